/**
 * `events:ingest`: producers on a socket (workers, the dashboard) push `ingest` with one event or
 * an array, exactly as `POST /api/events` takes them; the reply `{accepted: [{id, seq}]}` comes
 * after the commit. Replies are deferred so a producer can keep several pushes in flight.
 *
 * A push holds its frame's length in the byte budget that HTTP bodies and the pending events
 * share (refused with `backpressure` past it, counted in `refused_requests`) while it waits for
 * its turn of the event loop to be validated (`Turns`), in the order the pushes came.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import { INGEST } from "@landale/shared";
import type { Principal } from "../auth";
import { AppError } from "../errors";
import type { ByteAdmission } from "../events/admission";
import type { Ingest } from "../events/ingest";
import type { Turns } from "../events/turns";
import { correlationIdOf } from "../http/events";
import { OVER_BUDGET_MESSAGE } from "../http/in-flight";
import { answersPing } from "./ping";

export interface IngestChannelOptions {
  /** The byte budget shared with HTTP ingest and the pending events. */
  admission: ByteAdmission;
  /** Where validating a push waits for its turn of the event loop. */
  turns: Turns;
}

export function createIngestChannel(
  ingest: Ingest,
  { admission, turns }: IngestChannelOptions,
): ChannelHandler<Principal> {
  return answersPing({
    join(_topic, _payload, ctx) {
      if (ctx.assigns.scope === "overlay") {
        return error({ code: "forbidden", message: "ingest needs the control or worker scope" });
      }
      return ok({});
    },

    handleIn(event, payload, ctx) {
      if (!(INGEST.commands as readonly string[]).includes(event)) {
        return error({
          code: "unhandled_event",
          message: `${INGEST.name} takes "${INGEST.commands.join('", "')}" and "ping"`,
        });
      }
      const reservation = admission.reserve(ctx.frameLength);
      if (reservation === null)
        return error({ code: "backpressure", message: OVER_BUDGET_MESSAGE });
      const reply = ctx.deferReply();
      const source = ctx.assigns.scope === "worker" ? "worker" : "dashboard";
      const correlationId = correlationIdOf(ctx.params.correlation_id);
      turns
        .take()
        .then(() => {
          const answer = ingest(payload, { source, correlationId });
          // Validated and pending (or refused) by now: from here their bytes count as pending.
          reservation.release();
          return answer;
        })
        .then(
          (accepted) => reply(ok({ accepted })),
          (err: unknown) =>
            reply(
              error(
                err instanceof AppError
                  ? err.body()
                  : { code: "internal", message: "ingest failed" },
              ),
            ),
        )
        .finally(() => reservation.release());
      return undefined;
    },
  });
}
