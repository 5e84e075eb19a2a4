/**
 * `contexts:live`: the dashboard (and anything else, any scope) joins to hear `new_context`. The AI
 * worker pushes `submit_context` (control or worker scope) with one analysed window; it is stored
 * first and then pushed, as stored (times in UTC), and a re-sent id is answered without being
 * pushed again, so a worker may resend until it hears the answer.
 */
import { type ChannelContext, type ChannelHandler, error, ok } from "@landale/channels";
import { type Database, insertContext } from "@landale/db";
import type { Logger } from "@landale/logger";
import { CONTEXTS_LIVE, ContextInput, PUSH } from "@landale/shared";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { toContextRow, toStreamContext } from "../context/rows";
import { invalidInput } from "../errors";
import { answersPing } from "./ping";

const INVALID = "invalid_context";

export function createContextsChannel(
  database: Database,
  broadcast: Broadcast,
  logger: Logger,
): ChannelHandler<Principal> {
  function submit(payload: unknown, ctx: ChannelContext<Principal>) {
    if (ctx.assigns.scope === "overlay") {
      return error({
        code: "forbidden",
        message: "submit_context needs the control or worker scope",
      });
    }
    const parsed = ContextInput.safeParse(payload ?? {});
    if (!parsed.success) return error(invalidInput(422, INVALID, parsed.error).body());
    const row = toContextRow(parsed.data);
    if (row.endedAt.getTime() < row.startedAt.getTime()) {
      return error(
        invalidInput(422, INVALID, [
          { path: "ended_at", message: "must not be before started_at" },
        ]).body(),
      );
    }
    // What is pushed is what a later read gives back: the row, times and all.
    const context = toStreamContext(row);
    const reply = ctx.deferReply();
    insertContext(database, row).then(
      (stored) => {
        if (stored) broadcast(CONTEXTS_LIVE.name, PUSH.newContext, context);
        reply(ok({ id: context.id, stored }));
      },
      (err: unknown) => {
        logger.error({ err, id: context.id }, "context not stored");
        reply(error({ code: "store_failed", message: "the context could not be stored" }));
      },
    );
    return undefined;
  }

  return answersPing({
    join: () => ok({}),
    handleIn(event, payload, ctx) {
      if (event === "submit_context") return submit(payload, ctx);
      return error({
        code: "unhandled_event",
        message: `${ctx.topic} takes ${CONTEXTS_LIVE.commands.join(", ")} and ping`,
      });
    },
  });
}
