/** Every hub channel answers `ping` with its payload, so clients can measure round trips. */
import { type ChannelHandler, error, ok, protocolError } from "@landale/channels";

export function answersPing<A>(handler: ChannelHandler<A>): ChannelHandler<A> {
  return {
    ...handler,
    handleIn(event, payload, ctx) {
      if (event === "ping") return ok(payload);
      if (handler.handleIn === undefined) {
        return error(protocolError("unhandled_event", `this channel takes no "${event}"`));
      }
      return handler.handleIn.call(handler, event, payload, ctx);
    },
  };
}
