/**
 * `transcription:live` and `transcription:session:<id>`: captions and the AI worker join to hear
 * `new_transcription`. The audio worker pushes `submit_transcription` on `transcription:live`
 * (control or worker scope), in our shape or the older system's; it is stored first and then
 * pushed to both topics, and a re-sent id is answered without being pushed again. Any joined
 * client may read back: `get_recent {minutes}` on either topic (of the session, on a session's),
 * and `get_session_transcriptions {limit}` on a session's.
 */
import { type ChannelContext, type ChannelHandler, error, ok, type Reply } from "@landale/channels";
import { type Database, insertTranscription, listTranscriptions } from "@landale/db";
import type { Logger } from "@landale/logger";
import {
  GetRecentTranscriptions,
  GetSessionTranscriptions,
  PUSH,
  parseTranscriptionSubmission,
  type RecentTranscriptions,
  type SessionTranscriptions,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_REPLY_MAX,
  TRANSCRIPTION_SESSION,
  type Transcription,
  type TranscriptionInput,
  TranscriptionSessionId,
} from "@landale/shared";
import type { z } from "zod";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { invalidInput } from "../errors";
import { toTranscription } from "../transcription/rows";
import { answersPing } from "./ping";

const MINUTE_MS = 60_000;

/** The session a topic names, or null on `transcription:live`. */
function sessionOf(topic: string): string | null {
  return topic.startsWith(TRANSCRIPTION_SESSION.prefix)
    ? topic.slice(TRANSCRIPTION_SESSION.prefix.length)
    : null;
}

export function createTranscriptionChannel(
  database: Database,
  broadcast: Broadcast,
  logger: Logger,
  now: () => number = Date.now,
): ChannelHandler<Principal> {
  /** Answers later with what `read` resolves to, or `read_failed`; the channel takes pushes meanwhile. */
  function deferRead(ctx: ChannelContext<Principal>, what: string, read: () => Promise<Reply>) {
    const reply = ctx.deferReply();
    read().then(reply, (err: unknown) => {
      logger.error({ err }, `${what} could not be read`);
      reply(error({ code: "read_failed", message: `${what} could not be read` }));
    });
    return undefined;
  }

  function parsed<S extends z.ZodType>(
    schema: S,
    payload: unknown,
  ): { value: z.infer<S> } | { refusal: Reply } {
    const result = schema.safeParse(payload ?? {});
    return result.success
      ? { value: result.data }
      : { refusal: error(invalidInput(422, "invalid_payload", result.error).body()) };
  }

  function submit(payload: unknown, ctx: ChannelContext<Principal>) {
    if (ctx.assigns.scope === "overlay") {
      return error({
        code: "forbidden",
        message: "submit_transcription needs the control or worker scope",
      });
    }
    const submission = parseTranscriptionSubmission(payload);
    if (!submission.success) {
      return error(invalidInput(422, "invalid_transcription", submission.error).body());
    }
    const { legacy } = submission;
    const transcription = toWire(submission.data);
    const reply = ctx.deferReply();
    insertTranscription(database, {
      id: transcription.id,
      sessionId: transcription.session_id,
      ts: new Date(transcription.ts),
      durationMs: transcription.duration_ms,
      text: transcription.text,
      sourceId: transcription.source_id,
      confidence: transcription.confidence,
      meta: submission.data.meta ?? {},
    }).then(
      (inserted) => {
        if (inserted) {
          broadcast(TRANSCRIPTION_LIVE.name, PUSH.newTranscription, transcription);
          broadcast(
            TRANSCRIPTION_SESSION.topic(transcription.session_id).name,
            PUSH.newTranscription,
            transcription,
          );
        }
        const answer = { id: transcription.id, stored: inserted };
        // The older worker read its answer as `transcription_id`.
        reply(ok(legacy ? { ...answer, transcription_id: transcription.id } : answer));
      },
      (err: unknown) => {
        logger.error({ err }, "transcription not stored");
        reply(error({ code: "store_failed", message: "the transcription could not be stored" }));
      },
    );
    return undefined;
  }

  function recent(payload: unknown, ctx: ChannelContext<Principal>) {
    const params = parsed(GetRecentTranscriptions, payload);
    if ("refusal" in params) return params.refusal;
    const { minutes } = params.value;
    return deferRead(ctx, "recent transcriptions", async () => {
      const rows = await listTranscriptions(database, {
        sessionId: sessionOf(ctx.topic) ?? undefined,
        since: new Date(now() - minutes * MINUTE_MS),
        limit: TRANSCRIPTION_REPLY_MAX + 1,
      });
      const kept = rows.slice(0, TRANSCRIPTION_REPLY_MAX);
      const body: RecentTranscriptions = {
        transcriptions: kept.map(toTranscription),
        count: kept.length,
        truncated: rows.length > kept.length,
      };
      return ok(body);
    });
  }

  function ofSession(payload: unknown, ctx: ChannelContext<Principal>) {
    const sessionId = sessionOf(ctx.topic);
    if (sessionId === null) {
      return error({
        code: "unhandled_event",
        message: `get_session_transcriptions is taken on ${TRANSCRIPTION_SESSION.prefix}<session_id>`,
      });
    }
    const params = parsed(GetSessionTranscriptions, payload);
    if ("refusal" in params) return params.refusal;
    const { limit } = params.value;
    return deferRead(ctx, "the session's transcriptions", async () => {
      const rows = await listTranscriptions(database, { sessionId, limit: limit + 1 });
      const kept = rows.slice(0, limit);
      const body: SessionTranscriptions = {
        session_id: sessionId,
        // The latest `limit`, read in the order they were spoken.
        transcriptions: kept.reverse().map(toTranscription),
        count: kept.length,
        truncated: rows.length > kept.length,
      };
      return ok(body);
    });
  }

  return answersPing({
    join(topic) {
      const sessionId = sessionOf(topic);
      if (sessionId !== null && !TranscriptionSessionId.safeParse(sessionId).success) {
        return error({
          code: "invalid_topic",
          message: `"${sessionId}" is not a session id: 1-128 characters of A-Z a-z 0-9 . _ : -`,
        });
      }
      return ok({});
    },
    handleIn(event, payload, ctx) {
      const live = sessionOf(ctx.topic) === null;
      const takes: readonly string[] = live
        ? TRANSCRIPTION_LIVE.commands
        : TRANSCRIPTION_SESSION.commands;
      if (event === "get_recent") return recent(payload, ctx);
      if (event === "submit_transcription" && live) return submit(payload, ctx);
      if (event === "get_session_transcriptions") return ofSession(payload, ctx);
      return error({
        code: "unhandled_event",
        message: `${ctx.topic} takes ${takes.join(", ")} and ping`,
      });
    },
  });
}

function toWire(input: TranscriptionInput): Transcription {
  return {
    id: input.id ?? Bun.randomUUIDv7(),
    session_id: input.session_id,
    ts: input.ts,
    duration_ms: input.duration_ms,
    text: input.text,
    source_id: input.source_id ?? null,
    confidence: input.confidence ?? null,
  };
}
