/**
 * One client connection and the channels it has joined, as Phoenix.Socket runs it: heartbeats on
 * `phoenix`, `phx_join` / `phx_leave`, duplicate joins (the old channel gets `phx_close` with its
 * join_ref), stale join_refs and unknown topics answered with `unmatched topic`, a channel limit,
 * and a handler that throws closing only its own channel with `phx_error`.
 */
import type { ServerWebSocket } from "bun";
import type { ChannelContext, ChannelHandler, TerminateReason } from "./channel";
import { FrameError, type ProtocolErrorCode, protocolError } from "./errors";
import type { Logger, ThrottledWarn } from "./logger";
import {
  error,
  HEARTBEAT_TOPIC,
  type InboundMessage,
  type Outbound,
  ok,
  type Payload,
  PHX,
  type Reply,
} from "./message";
import type { Member, PubSub } from "./pubsub";
import type { Router } from "./router";
import { MAX_FIELD_BYTES } from "./serializer/binary";
import type { Serializer } from "./serializer/serializer";

export interface SocketLimits {
  maxChannels: number;
  maxFrameBytes: number;
  /** Client pushes and infos waiting behind a slow (async) callback, per channel. */
  maxPendingPerChannel: number;
  /** Bytes buffered for one socket past which it is closed as too slow (`CLOSE_TOO_SLOW`). */
  backpressureLimit: number;
}

/**
 * Close code for a socket that stopped keeping up: more than `backpressureLimit` bytes waited for
 * it. Private-use range; the client should reconnect and catch up (`since_seq`).
 */
export const CLOSE_TOO_SLOW = 4008;

/** Counters shared by every socket of one server. */
export interface SocketCounters {
  framesIn: number;
  malformed: number;
  oversize: number;
  /** Frames and infos for one client that were dropped: by back-pressure or a full channel queue. */
  dropped: number;
  crashes: number;
  /** Sockets closed with `CLOSE_TOO_SLOW`. */
  closedSlow: number;
}

interface SocketDeps<A> {
  router: Router<A>;
  pubsub: PubSub;
  limits: SocketLimits;
  counters: SocketCounters;
  logger: Logger;
  /** Warnings a flood of bad frames or slow sockets would repeat, one line per interval. */
  throttled: ThrottledWarn;
}

export class Socket<A = unknown> {
  #ws: ServerWebSocket<Socket<A>> | null = null;
  #open = false;
  readonly channels = new Map<string, Channel<A>>();
  lastSeenAt = 0;
  dropped = 0;

  constructor(
    readonly id: number,
    readonly serializer: Serializer,
    readonly params: Readonly<Record<string, string>>,
    readonly assigns: A,
    readonly deps: SocketDeps<A>,
  ) {}

  get ws(): ServerWebSocket<Socket<A>> {
    if (this.#ws === null) throw new Error("socket is not open");
    return this.#ws;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  opened(ws: ServerWebSocket<Socket<A>>, now: number): void {
    this.#ws = ws;
    this.#open = true;
    this.lastSeenAt = now;
  }

  /** The connection is gone: end every channel without telling the client. */
  closed(): void {
    this.#open = false;
    for (const channel of [...this.channels.values()]) this.endChannel(channel, "closed", null);
  }

  /** The server is stopping: end every channel, then close with `code` so clients reconnect. */
  shutdown(code: number, reason: string): void {
    for (const channel of [...this.channels.values()]) this.endChannel(channel, "shutdown", null);
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
    const task =
      message.event === PHX.leave
        ? () => this.#leave(channel, message)
        : () => this.#handleIn(channel, message);
    if (!channel.enqueue(task)) {
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
      this.endChannel(existing, "duplicate_join", PHX.close);
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
    channel.enqueue(() =>
      settle(
        () => route.handler.join(topic, message.payload, channel),
        (reply) => this.#joined(channel, message, reply),
        (err) => {
          this.deps.logger.error({ err, topic, socket: this.id }, "channel join crashed");
          this.#joined(
            channel,
            message,
            error(protocolError("join_crashed", "the join handler failed")),
          );
        },
      ),
    );
  }

  #joined(channel: Channel<A>, message: InboundMessage, reply: Reply): void {
    if (channel.state === "closed") {
      // Superseded (duplicate join) or disconnected while joining: undo a successful join.
      if (reply.status === "ok") channel.terminate(channel.endReason ?? "closed");
      return;
    }
    if (reply.status !== "ok") {
      channel.state = "closed";
      this.#forget(channel);
      this.reply(message, message.joinRef, reply);
      return;
    }
    channel.state = "joined";
    this.deps.pubsub.join(channel);
    this.reply(message, message.joinRef, reply);
    channel.flushDeferred();
    try {
      channel.handler.afterJoin?.(channel);
    } catch (err) {
      this.crash(channel, err, "after_join");
    }
  }

  #leave(channel: Channel<A>, message: InboundMessage): void {
    this.reply(message, channel.joinRef, ok({}));
    this.endChannel(channel, "leave", PHX.close);
  }

  #handleIn(channel: Channel<A>, message: InboundMessage): Promise<void> | undefined {
    if (channel.state !== "joined") {
      this.#refuse(message, null, "unmatched_topic", `topic "${message.topic}" is not joined`);
      return;
    }
    const handleIn = channel.handler.handleIn;
    if (handleIn === undefined) {
      this.#refuse(
        message,
        channel.joinRef,
        "unhandled_event",
        `this channel takes no "${message.event}"`,
      );
      return;
    }
    return settle(
      () => {
        channel.handling = message;
        try {
          return handleIn.call(channel.handler, message.event, message.payload, channel);
        } finally {
          channel.handling = null;
        }
      },
      (reply) => {
        if (reply !== undefined) this.reply(message, channel.joinRef, reply);
      },
      (err) => this.crash(channel, err, message.event),
    );
  }

  /** A callback threw: end that channel with `phx_error`; the socket and its other channels live. */
  crash(channel: Channel<A>, err: unknown, during: string): void {
    this.deps.counters.crashes++;
    this.deps.logger.error(
      { err, topic: channel.topic, event: during, socket: this.id },
      "channel crashed",
    );
    this.endChannel(channel, "crash", PHX.error);
  }

  /** Ends a channel once, telling the client with `notify` (`phx_close`/`phx_error`) if given. */
  endChannel(channel: Channel<A>, reason: TerminateReason, notify: string | null): void {
    if (channel.state === "closed") return;
    const wasJoined = channel.state === "joined";
    channel.state = "closed";
    channel.endReason = reason;
    this.#forget(channel);
    if (wasJoined) {
      this.deps.pubsub.leave(channel, this.#open);
      channel.terminate(reason);
    }
    if (notify !== null) {
      this.send({
        kind: "push",
        joinRef: channel.joinRef,
        ref: channel.joinRef,
        topic: channel.topic,
        event: notify,
        payload: {},
      });
    }
  }

  #forget(channel: Channel<A>): void {
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
    this.dropped++;
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

type ChannelState = "joining" | "joined" | "closed";

/** One joined topic of one socket; it is also the handler's `ChannelContext`. */
export class Channel<A> implements ChannelContext<A>, Member {
  state: ChannelState = "joining";
  endReason: TerminateReason | null = null;
  #deferred: [string, Payload][] = [];
  readonly #queue: Task[] = [];

  constructor(
    readonly socket: Socket<A>,
    readonly topic: string,
    readonly joinRef: string | null,
    readonly handler: ChannelHandler<A>,
  ) {}

  get serializer(): Serializer {
    return this.socket.serializer;
  }
  get ws(): ServerWebSocket<unknown> {
    return this.socket.ws as ServerWebSocket<unknown>;
  }
  get socketId(): number {
    return this.socket.id;
  }
  get params(): Readonly<Record<string, string>> {
    return this.socket.params;
  }
  get assigns(): A {
    return this.socket.assigns;
  }

  /** The push `handleIn` is running for, while it runs synchronously. */
  handling: InboundMessage | null = null;

  deferReply(): (reply: Reply) => void {
    const message = this.handling;
    if (message === null) throw new Error("deferReply() is only available while handleIn runs");
    let replied = false;
    return (reply) => {
      if (replied || this.state !== "joined") return;
      replied = true;
      this.socket.reply(message, this.joinRef, reply);
    };
  }

  push(event: string, payload: Payload): void {
    if (this.state === "closed") return;
    if (this.state === "joining") {
      if (this.#deferred.length >= this.socket.deps.limits.maxPendingPerChannel) {
        this.countDrop();
        return;
      }
      this.#deferred.push([event, payload]);
      return;
    }
    this.socket.send({
      kind: "push",
      joinRef: this.joinRef,
      ref: null,
      topic: this.topic,
      event,
      payload,
    });
  }

  flushDeferred(): void {
    const deferred = this.#deferred;
    this.#deferred = [];
    for (const [event, payload] of deferred) this.push(event, payload);
  }

  broadcast(event: string, payload: Payload): void {
    this.socket.deps.pubsub.broadcast(this.topic, event, payload);
  }

  broadcastFrom(event: string, payload: Payload): void {
    this.socket.deps.pubsub.broadcast(this.topic, event, payload, this.ws);
  }

  countDrop(): void {
    this.socket.countDrop();
  }

  closeTooSlow(): void {
    this.socket.closeTooSlow();
  }

  deliverInfo(message: unknown): void {
    const handleInfo = this.handler.handleInfo;
    if (handleInfo === undefined) return;
    const queued = this.enqueue(() => {
      if (this.state !== "joined") return;
      return settle(
        () => handleInfo.call(this.handler, message, this),
        () => {},
        (err) => this.socket.crash(this, err, "info"),
      );
    });
    if (!queued) this.countDrop();
  }

  terminate(reason: TerminateReason): void {
    try {
      this.handler.terminate?.(reason, this);
    } catch (err) {
      this.socket.deps.logger.error({ err, topic: this.topic }, "channel terminate failed");
    }
  }

  /**
   * Runs `task` after every task queued before it, so callbacks see messages in arrival order even
   * when some are async (as a Phoenix channel process handles its mailbox). Tasks handle their own
   * errors. Returns false, running nothing, when the channel's queue is full.
   */
  enqueue(task: Task): boolean {
    // The running task stays at the head of the queue until it has finished.
    if (this.#queue.length >= this.socket.deps.limits.maxPendingPerChannel) return false;
    this.#queue.push(task);
    // A task enqueued from inside the running one (a handler calling `info` on its own topic)
    // waits for it like any other.
    if (this.#queue.length === 1) this.#drain();
    return true;
  }

  /** Runs queued tasks in order: sync ones in this tick, each async one when the one before it
   * has settled. */
  #drain(): void {
    for (let task = this.#queue[0]; task !== undefined; task = this.#queue[0]) {
      const result = task();
      if (result instanceof Promise) {
        const next = () => {
          this.#queue.shift();
          this.#drain();
        };
        result.then(next, next);
        return;
      }
      this.#queue.shift();
    }
  }
}

type Task = () => Promise<void> | undefined | void;

/**
 * Calls `run` and hands its result to `onValue`, or what it threw (or rejected with) to `onError`.
 * Stays synchronous when `run` is, so sync handlers reply in the same tick.
 */
function settle<T>(
  run: () => T | Promise<T>,
  onValue: (value: T) => void,
  onError: (err: unknown) => void,
): Promise<void> | undefined {
  let result: T | Promise<T>;
  try {
    result = run();
  } catch (err) {
    onError(err);
    return;
  }
  if (result instanceof Promise) return result.then(onValue, onError);
  onValue(result);
  return;
}

function isOversize(frame: string | Uint8Array, limit: number): boolean {
  if (typeof frame !== "string") return frame.byteLength > limit;
  // A UTF-16 code unit is 1–3 UTF-8 bytes: count bytes only when the length alone cannot tell.
  if (frame.length * 3 <= limit) return false;
  return frame.length > limit || Buffer.byteLength(frame) > limit;
}
