/**
 * One topic of one client, as Phoenix.Channel.Server runs it. An application writes a
 * `ChannelHandler` (`join`, `afterJoin`, `handleIn`, `handleInfo`, `terminate`); a `Channel` runs
 * it: joining → joined → closed, subscribed to the topic only while joined, callbacks one at a
 * time in arrival order even when async, a throw ending this channel alone with `phx_error`.
 * The socket carrying it is reached only through `ChannelHost`; what the handler implements and
 * is given is in `./handler`.
 */
import type { ServerWebSocket } from "bun";
import { type ProtocolErrorCode, protocolError } from "./errors";
import type { ChannelContext, ChannelHandler, TerminateReason } from "./handler";
import type { Logger } from "./logger";
import { Mailbox, settle } from "./mailbox";
import {
  error,
  type InboundMessage,
  type Outbound,
  ok,
  type Payload,
  PHX,
  type Reply,
} from "./message";
import type { Member, PubSub } from "./pubsub";
import type { Serializer } from "./serializer/serializer";

/**
 * What a channel needs from the socket that carries it: the connection's identity, the way out
 * (`send`, `reply`), the pub/sub it joins, and where to report a crash or its end.
 */
export interface ChannelHost<A> {
  readonly id: number;
  readonly serializer: Serializer;
  readonly ws: ServerWebSocket<unknown>;
  /** False once the connection has closed (Bun has then unsubscribed it by itself). */
  readonly isOpen: boolean;
  readonly params: Readonly<Record<string, string>>;
  readonly assigns: A;
  /** Pushes and infos that may wait behind a slow (async) callback, and pushes made while joining. */
  readonly maxPendingPerChannel: number;
  readonly pubsub: Pick<PubSub, "join" | "leave" | "broadcast">;
  readonly logger: Logger;
  send(message: Outbound): void;
  reply(message: InboundMessage, joinRef: string | null, reply: Reply): void;
  /** Counts and logs a callback that threw; the channel then ends itself with `phx_error`. */
  crashed(channel: Channel<A>, err: unknown, during: string): void;
  /** The channel is over: the socket stops routing its topic to it. */
  ended(channel: Channel<A>): void;
  /** Counts a frame dropped for this client. */
  countDrop(): void;
  /** Closes the connection: more than the back-pressure limit waits for it. */
  closeTooSlow(): void;
}

type ChannelState = "joining" | "joined" | "closed";

/** One joined topic of one socket; it is also the handler's `ChannelContext`. */
export class Channel<A> implements ChannelContext<A>, Member {
  #state: ChannelState = "joining";
  #endReason: TerminateReason | null = null;
  /** The push `handleIn` is running for, while it runs synchronously. */
  #handling: InboundMessage | null = null;
  #deferred: [string, Payload][] = [];
  readonly #mailbox: Mailbox;

  constructor(
    private readonly host: ChannelHost<A>,
    readonly topic: string,
    readonly joinRef: string | null,
    private readonly handler: ChannelHandler<A>,
  ) {
    this.#mailbox = new Mailbox(host.maxPendingPerChannel);
  }

  get serializer(): Serializer {
    return this.host.serializer;
  }
  get ws(): ServerWebSocket<unknown> {
    return this.host.ws;
  }
  get socketId(): number {
    return this.host.id;
  }
  get params(): Readonly<Record<string, string>> {
    return this.host.params;
  }
  get assigns(): A {
    return this.host.assigns;
  }
  get frameLength(): number {
    return this.#handling?.frameLength ?? 0;
  }

  /** Runs the handler's `join` for `message` (a `phx_join`) and answers it. */
  join(message: InboundMessage): void {
    this.#mailbox.enqueue(() =>
      settle(
        () => this.handler.join(this.topic, message.payload, this),
        (reply) => this.#joined(message, reply),
        (err) => {
          this.host.logger.error(
            { err, topic: this.topic, socket: this.host.id },
            "channel join crashed",
          );
          this.#joined(message, error(protocolError("join_crashed", "the join handler failed")));
        },
      ),
    );
  }

  /**
   * Queues a client push (or `phx_leave`) behind the callbacks before it. Returns false, taking
   * nothing, when the channel's queue is full.
   */
  receive(message: InboundMessage): boolean {
    return this.#mailbox.enqueue(
      message.event === PHX.leave ? () => this.#leave(message) : () => this.#handleIn(message),
    );
  }

  /** Ends the channel once, telling the client with `notify` (`phx_close`/`phx_error`) if given. */
  end(reason: TerminateReason, notify: string | null): void {
    if (this.#state === "closed") return;
    const wasJoined = this.#state === "joined";
    this.#state = "closed";
    this.#endReason = reason;
    this.host.ended(this);
    if (wasJoined) {
      this.host.pubsub.leave(this, this.host.isOpen);
      this.#terminate(reason);
    }
    if (notify !== null) {
      this.host.send({
        kind: "push",
        joinRef: this.joinRef,
        ref: this.joinRef,
        topic: this.topic,
        event: notify,
        payload: {},
      });
    }
  }

  deferReply(): (reply: Reply) => void {
    const message = this.#handling;
    if (message === null) throw new Error("deferReply() is only available while handleIn runs");
    let replied = false;
    return (reply) => {
      if (replied || this.#state !== "joined") return;
      replied = true;
      this.host.reply(message, this.joinRef, reply);
    };
  }

  push(event: string, payload: Payload): void {
    if (this.#state === "closed") return;
    if (this.#state === "joining") {
      if (this.#deferred.length >= this.host.maxPendingPerChannel) {
        this.countDrop();
        return;
      }
      this.#deferred.push([event, payload]);
      return;
    }
    this.host.send({
      kind: "push",
      joinRef: this.joinRef,
      ref: null,
      topic: this.topic,
      event,
      payload,
    });
  }

  broadcast(event: string, payload: Payload): void {
    this.host.pubsub.broadcast(this.topic, event, payload);
  }

  broadcastFrom(event: string, payload: Payload): void {
    this.host.pubsub.broadcast(this.topic, event, payload, this.ws);
  }

  countDrop(): void {
    this.host.countDrop();
  }

  closeTooSlow(): void {
    this.host.closeTooSlow();
  }

  deliverInfo(message: unknown): void {
    const handleInfo = this.handler.handleInfo;
    if (handleInfo === undefined) return;
    const queued = this.#mailbox.enqueue(() => {
      if (this.#state !== "joined") return;
      return settle(
        () => handleInfo.call(this.handler, message, this),
        () => {},
        (err) => this.#crash(err, "info"),
      );
    });
    if (!queued) this.countDrop();
  }

  #joined(message: InboundMessage, reply: Reply): void {
    if (this.#state === "closed") {
      // Superseded (duplicate join) or disconnected while joining: undo a successful join.
      if (reply.status === "ok") this.#terminate(this.#endReason ?? "closed");
      return;
    }
    if (reply.status !== "ok") {
      this.#state = "closed";
      this.host.ended(this);
      this.host.reply(message, message.joinRef, reply);
      return;
    }
    this.#state = "joined";
    this.host.pubsub.join(this);
    this.host.reply(message, message.joinRef, reply);
    this.#flushDeferred();
    try {
      this.handler.afterJoin?.(this);
    } catch (err) {
      this.#crash(err, "after_join");
    }
  }

  #leave(message: InboundMessage): void {
    this.host.reply(message, this.joinRef, ok({}));
    this.end("leave", PHX.close);
  }

  #handleIn(message: InboundMessage): Promise<void> | undefined {
    if (this.#state !== "joined") {
      this.#refuse(message, null, "unmatched_topic", `topic "${message.topic}" is not joined`);
      return;
    }
    const handleIn = this.handler.handleIn;
    if (handleIn === undefined) {
      this.#refuse(
        message,
        this.joinRef,
        "unhandled_event",
        `this channel takes no "${message.event}"`,
      );
      return;
    }
    return settle(
      () => {
        this.#handling = message;
        try {
          return handleIn.call(this.handler, message.event, message.payload, this);
        } finally {
          this.#handling = null;
        }
      },
      (reply) => {
        if (reply !== undefined) this.host.reply(message, this.joinRef, reply);
      },
      (err) => this.#crash(err, message.event),
    );
  }

  #refuse(
    message: InboundMessage,
    joinRef: string | null,
    code: ProtocolErrorCode,
    text: string,
  ): void {
    this.host.reply(message, joinRef, error(protocolError(code, text)));
  }

  /** A callback threw: end this channel with `phx_error`; the socket and its other channels live. */
  #crash(err: unknown, during: string): void {
    this.host.crashed(this, err, during);
    this.end("crash", PHX.error);
  }

  #flushDeferred(): void {
    const deferred = this.#deferred;
    this.#deferred = [];
    for (const [event, payload] of deferred) this.push(event, payload);
  }

  #terminate(reason: TerminateReason): void {
    try {
      this.handler.terminate?.(reason, this);
    } catch (err) {
      this.host.logger.error({ err, topic: this.topic }, "channel terminate failed");
    }
  }
}
