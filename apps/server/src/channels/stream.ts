/**
 * The stream state on the wire. `stream:overlays` pushes `stream_state` on join and after every
 * change, plus `takeover`/`takeover_clear`; it takes `takeover`, `takeover_clear` and
 * `force_content`. `stream:queue` pushes `queue_state` and takes the queue commands. Commands
 * need the control scope, and every one is answered: `{version}` or `{code, message, details}`.
 * `overlay:<name>` serves read-only queries (`get_state`) and pushes `initial_state` on join.
 * `streamPublisher` sends the engine's changes on the same topics the handlers answer joins on.
 */
import { type ChannelContext, type ChannelHandler, error, ok } from "@landale/channels";
import {
  isStreamCommandName,
  PUSH,
  STREAM_OVERLAYS,
  STREAM_QUEUE,
  type StreamCommandName,
  type TakeoverCleared,
} from "@landale/shared";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { AppError } from "../errors";
import { outcomeError, parseCommand } from "../stream/commands";
import type { EngineListener, StreamEngine } from "../stream/engine";
import { answersPing } from "./ping";

/** The engine's changes, pushed to everyone joined to the stream topics. */
export function streamPublisher(
  broadcast: Broadcast,
): Pick<EngineListener, "state" | "takeover" | "takeoverClear"> {
  return {
    state(stream, queue) {
      broadcast(STREAM_OVERLAYS.name, PUSH.streamState, stream);
      broadcast(STREAM_QUEUE.name, PUSH.queueState, queue);
    },
    takeover: (takeover) => broadcast(STREAM_OVERLAYS.name, PUSH.takeover, takeover),
    takeoverClear: ({ id, type }) =>
      broadcast(STREAM_OVERLAYS.name, PUSH.takeoverClear, { id, type } satisfies TakeoverCleared),
  };
}

export function createStreamChannels(engine: StreamEngine) {
  const commands = (accepted: readonly StreamCommandName[], topic: string) =>
    function handleIn(event: string, payload: unknown, ctx: ChannelContext<Principal>) {
      if (!isStreamCommandName(event) || !accepted.includes(event)) {
        return error({
          code: "unhandled_event",
          message: `${topic} takes ${accepted.join(", ")} and ping`,
        });
      }
      if (ctx.assigns.scope !== "control") {
        return error({ code: "forbidden", message: `${event} needs the control scope` });
      }
      let command: ReturnType<typeof parseCommand>;
      try {
        command = parseCommand(event, payload);
      } catch (err) {
        if (err instanceof AppError) return error(err.body());
        throw err;
      }
      const reply = ctx.deferReply();
      engine.command(command).then(
        (outcome) =>
          reply(
            outcome.ok ? ok({ version: outcome.version }) : error(outcomeError(outcome).body()),
          ),
        () => reply(error({ code: "internal", message: `${event} failed` })),
      );
      return undefined;
    };

  const overlays: ChannelHandler<Principal> = answersPing({
    join: () => ok({}),
    afterJoin: (ctx) => ctx.push(PUSH.streamState, engine.streamState()),
    handleIn: commands(STREAM_OVERLAYS.commands, STREAM_OVERLAYS.name),
  });

  const queue: ChannelHandler<Principal> = answersPing({
    join: () => ok({}),
    afterJoin: (ctx) => ctx.push(PUSH.queueState, engine.queueState()),
    handleIn: commands(STREAM_QUEUE.commands, STREAM_QUEUE.name),
  });

  const overlay: ChannelHandler<Principal> = answersPing({
    join: () => ok({}),
    afterJoin: (ctx) => ctx.push(PUSH.initialState, engine.streamState()),
    handleIn(event) {
      if (event === "get_state") return ok(engine.streamState());
      if (event === "get_queue") return ok(engine.queueState());
      return error({
        code: "unhandled_event",
        message: "overlay topics answer get_state, get_queue and ping",
      });
    },
  });

  return { overlays, queue, overlay };
}
