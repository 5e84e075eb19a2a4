/**
 * `events:ingest`: producers on a socket (workers, the dashboard) push `ingest` with one event or
 * an array, exactly as `POST /api/events` takes them; the reply `{accepted: [{id, seq}]}` comes
 * after the commit. Replies are deferred so a producer can keep several pushes in flight.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import { INGEST } from "@landale/shared";
import type { Principal } from "../auth";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";
import { correlationIdOf } from "../http/events";
import { answersPing } from "./ping";

export function createIngestChannel(ingest: Ingest): ChannelHandler<Principal> {
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
      const reply = ctx.deferReply();
      const source = ctx.assigns.scope === "worker" ? "worker" : "dashboard";
      const correlationId = correlationIdOf(ctx.params.correlation_id);
      ingest(payload, { source, correlationId }).then(
        (accepted) => reply(ok({ accepted })),
        (err: unknown) =>
          reply(
            error(
              err instanceof AppError ? err.body() : { code: "internal", message: "ingest failed" },
            ),
          ),
      );
      return undefined;
    },
  });
}
