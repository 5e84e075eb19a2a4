/**
 * `transcription:live` and `transcription:session:<id>`: captions and the AI worker join to hear
 * `new_transcription`; the audio worker pushes `submit_transcription` (control scope),
 * which is stored first and then pushed to both topics. A re-sent id is answered without being
 * pushed again.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import { type Database, insertTranscription } from "@landale/db";
import type { Logger } from "@landale/logger";
import {
  TRANSCRIPTION_SESSION_PREFIX,
  TRANSCRIPTION_TOPIC,
  type Transcription,
  TranscriptionInput,
} from "@landale/shared";
import type { Principal } from "../auth";
import { answersPing } from "./ping";

export const NEW_TRANSCRIPTION = "new_transcription";

type Broadcast = (topic: string, event: string, payload: unknown) => void;

export function createTranscriptionChannel(
  database: Database,
  broadcast: Broadcast,
  logger: Logger,
): ChannelHandler<Principal> {
  return answersPing({
    join: () => ok({}),
    handleIn(event, payload, ctx) {
      if (event !== "submit_transcription" || ctx.topic !== TRANSCRIPTION_TOPIC) {
        return error({
          code: "unhandled_event",
          message: `${TRANSCRIPTION_TOPIC} takes submit_transcription and ping`,
        });
      }
      if (ctx.assigns.scope === "overlay") {
        return error({
          code: "forbidden",
          message: "submit_transcription needs the control scope",
        });
      }
      const parsed = TranscriptionInput.safeParse(payload);
      if (!parsed.success) {
        const details = parsed.error.issues.map((issue) => ({
          path: issue.path.join("."),
          message: issue.message,
        }));
        return error({
          code: "invalid_transcription",
          message: `${details[0]?.path}: ${details[0]?.message}`,
          details,
        });
      }
      const input = parsed.data;
      const transcription: Transcription = {
        id: input.id ?? Bun.randomUUIDv7(),
        session_id: input.session_id,
        ts: input.ts,
        duration_ms: input.duration_ms,
        text: input.text,
        source_id: input.source_id ?? null,
        confidence: input.confidence ?? null,
      };
      const reply = ctx.deferReply();
      insertTranscription(database, {
        id: transcription.id,
        sessionId: transcription.session_id,
        ts: new Date(transcription.ts),
        durationMs: transcription.duration_ms,
        text: transcription.text,
        sourceId: transcription.source_id,
        confidence: transcription.confidence,
      }).then(
        (inserted) => {
          if (inserted) {
            broadcast(TRANSCRIPTION_TOPIC, NEW_TRANSCRIPTION, transcription);
            broadcast(
              `${TRANSCRIPTION_SESSION_PREFIX}${transcription.session_id}`,
              NEW_TRANSCRIPTION,
              transcription,
            );
          }
          reply(ok({ id: transcription.id, stored: inserted }));
        },
        (err: unknown) => {
          logger.error({ err }, "transcription not stored");
          reply(error({ code: "store_failed", message: "the transcription could not be stored" }));
        },
      );
      return undefined;
    },
  });
}
