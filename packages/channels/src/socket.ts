/**
 * One client connection, as Phoenix.Socket runs it: frames in and out through its serializer,
 * heartbeats on `phoenix`, `phx_join` routed to a new `Channel` (a duplicate join first closes the
 * old one with `phx_close` and its join_ref), other pushes handed to the joined channel, stale
 * join_refs and unknown topics answered with `unmatched topic`, the channel and frame limits, and
 * a client too slow to read closed with `CLOSE_TOO_SLOW`. What a channel does is `channel.ts`.
 */
import type { ServerWebSocket } from "bun";
import { Channel, type ChannelHost } from "./channel";
import { FrameError, type ProtocolErrorCode, protocolError } from "./errors";
import { CLOSE_TOO_SLOW, isOversize, type SocketCounters, type SocketLimits } from "./limits";
import type { Logger, ThrottledWarn } from "./logger";
import {
  error,
  HEARTBEAT_TOPIC,
  type InboundMessage,
  type Outbound,
  ok,
  PHX,
  type Reply,
} from "./message";
import type { PubSub } from "./pubsub";
import type { Router } from "./router";
import { MAX_FIELD_BYTES } from "./serializer/binary";
import type { Serializer } from "./serializer/serializer";

interface SocketDeps<A> {
  router: Router<A>;
  pubsub: PubSub;
  limits: SocketLimits;
  counters: SocketCounters;
  logger: Logger;
  /** Warnings a flood of bad frames or slow sockets would repeat, one line per interval. */
  throttled: ThrottledWarn;
}

export class Socket<A = unknown> implements ChannelHost<A> {
  #ws: ServerWebSocket<Socket<A>> | null = null;
  #open = false;
  readonly channels = new Map<string, Channel<A>>();
  lastSeenAt = 0;

  constructor(
    readonly id: number,
    readonly serializer: Serializer,
    readonly params: Readonly<Record<string, string>>,
    readonly assigns: A,
    private readonly deps: SocketDeps<A>,
  ) {}

  get ws(): ServerWebSocket<Socket<A>> {
    if (this.#ws === null) throw new Error("socket is not open");
    return this.#ws;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  get maxPendingPerChannel(): number {
    return this.deps.limits.maxPendingPerChannel;
  }
  get pubsub(): Pick<PubSub, "join" | "leave" | "broadcast"> {
    return this.deps.pubsub;
  }
  get logger(): Logger {
    return this.deps.logger;
  }

  opened(ws: ServerWebSocket<Socket<A>>, now: number): void {
    this.#ws = ws;
    this.#open = true;
    this.lastSeenAt = now;
  }

  /** The connection is gone: end every channel without telling the client. */
  closed(): void {
    this.#open = false;
    for (const channel of [...this.channels.values()]) channel.end("closed", null);
  }

  /** The server is stopping: end every channel, then close with `code` so clients reconnect. */
  shutdown(code: number, reason: string): void {
    for (const channel of [...this.channels.values()]) channel.end("shutdown", null);
    this.#ws?.close(code, reason);
  }

  receive(frame: string | Uint8Array, now: number): void {
    this.lastSeenAt = now;
    this.deps.counters.framesIn++;
    if (isOversize(frame, this.deps.limits.maxFrameBytes)) {
      this.deps.counters.oversize++;
      const size = typeof frame === "string" ? Buffer.byteLength(frame) : frame.byteLength;
      this.#refuseFrame(
        new FrameError(
          "frame_too_large",
          `frame of ${size} bytes exceeds the limit of ${this.deps.limits.maxFrameBytes} bytes`,
          this.serializer.peek(frame),
        ),
      );
      return;
    }
    let message: InboundMessage;
    try {
      message = this.serializer.decode(frame);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      this.deps.counters.malformed++;
      this.#refuseFrame(err);
      return;
    }
    message.frameLength = typeof frame === "string" ? frame.length : frame.byteLength;
    this.#dispatch(message);
  }

  #dispatch(message: InboundMessage): void {
    if (message.topic === HEARTBEAT_TOPIC && message.event === PHX.heartbeat) {
      this.reply(message, null, ok({}));
      return;
    }
    if (message.event === PHX.join) {
      this.#join(message);
      return;
    }
    const channel = this.channels.get(message.topic);
    // A V1 client sends no join_ref; a V2 push must carry the join_ref of the current join.
    if (
      channel === undefined ||
      (channel.joinRef !== null && channel.joinRef !== message.joinRef)
    ) {
      this.#refuse(message, null, "unmatched_topic", `topic "${message.topic}" is not joined`);
      return;
    }
    if (!channel.receive(message)) {
      this.#refuse(
        message,
        channel.joinRef,
        "overloaded",
        "too many pushes are waiting on this channel",
      );
    }
  }

  #join(message: InboundMessage): void {
    const { topic } = message;
    const existing = this.channels.get(topic);
    if (existing !== undefined) {
      this.deps.logger.debug({ topic, socket: this.id }, "duplicate join; closing the old channel");
      existing.end("duplicate_join", PHX.close);
    }
    if (this.channels.size >= this.deps.limits.maxChannels) {
      const limit = this.deps.limits.maxChannels;
      this.#refuse(
        message,
        message.joinRef,
        "too_many_channels",
        `a socket may join at most ${limit} channels`,
      );
      return;
    }
    if (Buffer.byteLength(topic) > MAX_FIELD_BYTES) {
      this.#refuse(
        message,
        message.joinRef,
        "topic_too_long",
        `topics are at most ${MAX_FIELD_BYTES} bytes`,
      );
      return;
    }
    const route = this.deps.router.match(topic);
    if (route === null) {
      this.#refuse(
        message,
        message.joinRef,
        "unmatched_topic",
        `no channel serves topic "${topic}"`,
      );
      return;
    }
    const channel = new Channel(this, topic, message.joinRef, route.handler);
    this.channels.set(topic, channel);
    channel.join(message);
  }

  crashed(channel: Channel<A>, err: unknown, during: string): void {
    this.deps.counters.crashes++;
    this.deps.logger.error(
      { err, topic: channel.topic, event: during, socket: this.id },
      "channel crashed",
    );
  }

  ended(channel: Channel<A>): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  send(message: Outbound): void {
    if (!this.#open) return;
    let frame: string | Uint8Array;
    try {
      frame = this.serializer.encode(message);
    } catch (err) {
      this.deps.logger.warn(
        { err, topic: message.topic, socket: this.id },
        "message not encodable",
      );
      return;
    }
    const status = this.ws.send(frame, false);
    if (status === 0) this.countDrop();
    if (status <= 0 && this.ws.getBufferedAmount() > this.deps.limits.backpressureLimit) {
      this.closeTooSlow();
    }
  }

  /**
   * More than the back-pressure limit waits for this client: close it (the close frame queues
   * behind what it was sent) rather than drop frames it would never know it missed.
   */
  closeTooSlow(): void {
    if (!this.#open) return;
    this.deps.counters.closedSlow++;
    const buffered = this.ws.getBufferedAmount();
    this.deps.throttled.warn(
      "too_slow",
      { socket: this.id, buffered, limit: this.deps.limits.backpressureLimit },
      "socket closed: too slow to read what it was sent",
    );
    this.ws.close(CLOSE_TOO_SLOW, "too slow: back-pressure limit passed");
  }

  countDrop(): void {
    this.deps.counters.dropped++;
  }

  reply(message: InboundMessage, joinRef: string | null, reply: Reply): void {
    this.send({
      kind: "reply",
      joinRef,
      ref: message.ref,
      topic: message.topic,
      status: reply.status,
      response: reply.response,
    });
  }

  #refuse(
    message: InboundMessage,
    joinRef: string | null,
    code: ProtocolErrorCode,
    text: string,
  ): void {
    this.reply(message, joinRef, error(protocolError(code, text)));
  }

  /** A frame we will not process: answer its push with an error when we can tell which it was. */
  #refuseFrame(err: FrameError): void {
    this.deps.throttled.warn(
      err.code,
      { socket: this.id, code: err.code, reason: err.message },
      "frame refused",
    );
    const partial = err.partial;
    if (partial === null || partial.ref === null) return;
    this.reply(
      { ...partial, event: "", payload: null },
      partial.joinRef,
      error(protocolError(err.code, err.message)),
    );
  }
}
