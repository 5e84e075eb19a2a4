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
  PUSH,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_SESSION,
  type Transcription,
  TranscriptionInput,
} from "@landale/shared";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { invalidInput } from "../errors";
import { answersPing } from "./ping";

export function createTranscriptionChannel(
  database: Database,
  broadcast: Broadcast,
  logger: Logger,
): ChannelHandler<Principal> {
  return answersPing({
    join: () => ok({}),
    handleIn(event, payload, ctx) {
      const takes = TRANSCRIPTION_LIVE.commands;
      if (!(takes as readonly string[]).includes(event) || ctx.topic !== TRANSCRIPTION_LIVE.name) {
        return error({
          code: "unhandled_event",
          message: `${TRANSCRIPTION_LIVE.name} takes ${takes.join(", ")} and ping`,
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
        return error(invalidInput(422, "invalid_transcription", parsed.error).body());
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
            broadcast(TRANSCRIPTION_LIVE.name, PUSH.newTranscription, transcription);
            broadcast(
              TRANSCRIPTION_SESSION.topic(transcription.session_id).name,
              PUSH.newTranscription,
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
