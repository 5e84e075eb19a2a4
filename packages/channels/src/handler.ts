/**
 * What an application writes for a topic, as with Phoenix.Channel: a `ChannelHandler`'s callbacks,
 * the `ChannelContext` each is given (this client's side of the topic), and why a channel ended.
 * `./channel` runs it.
 */
import type { Payload, Reply } from "./message";

/** Why a channel ended: the client left, joined the topic again, the handler threw, the socket
 * closed, or the server is shutting down. */
export type TerminateReason = "leave" | "duplicate_join" | "crash" | "closed" | "shutdown";

export interface ChannelContext<A = unknown> {
  readonly topic: string;
  readonly joinRef: string | null;
  /** The socket's id, unique within this server. */
  readonly socketId: number;
  /** Connect params (the query string, less `vsn`). */
  readonly params: Readonly<Record<string, string>>;
  /** What `authenticate` returned for this socket. */
  readonly assigns: A;
  /** Sends an event to this client only. During `join` it is sent right after the join reply. */
  push(event: string, payload: Payload): void;
  /**
   * Answers the push being handled later, instead of by `handleIn`'s return value (which must then
   * be nothing), so the channel can take its next push meanwhile. Only callable while `handleIn`
   * runs synchronously; the answer is dropped if the channel has ended. Phoenix's `socket_ref/1`.
   */
  deferReply(): (reply: Reply) => void;
  /**
   * The length of the frame the push being handled came in (`InboundMessage.frameLength`), so a
   * handler that keeps the payload can count what it holds. Only while `handleIn` runs
   * synchronously; 0 otherwise.
   */
  readonly frameLength: number;
  /** Sends an event to every subscriber of this channel's topic, this client included. */
  broadcast(event: string, payload: Payload): void;
  /** Sends an event to every subscriber of this channel's topic but this client. */
  broadcastFrom(event: string, payload: Payload): void;
}

export interface ChannelHandler<A = unknown> {
  /** Accept with `ok(response)` or refuse with `error(response)`. A throw refuses with
   * `{reason: "join crashed"}`. */
  join(topic: string, payload: Payload, ctx: ChannelContext<A>): Reply | Promise<Reply>;
  /**
   * Runs right after a successful join is answered, synchronously with the channel's subscription:
   * no broadcast can reach the client between the two, so pushes made here (catch-up, initial
   * state) line up with the live stream without a gap. Phoenix's `send(self(), :after_join)`.
   */
  afterJoin?(ctx: ChannelContext<A>): void;
  /** A client push. Return a reply, or nothing for no reply. A throw closes this channel with
   * `phx_error`; the socket and its other channels live on. */
  handleIn?(
    event: string,
    payload: Payload,
    ctx: ChannelContext<A>,
  ): Reply | undefined | Promise<Reply | undefined>;
  /** A message from the server side, sent with `ChannelServer.info(topic, message)`. */
  handleInfo?(message: unknown, ctx: ChannelContext<A>): void | Promise<void>;
  /** Called once when a joined channel ends, whatever the reason. */
  terminate?(reason: TerminateReason, ctx: ChannelContext<A>): void;
}
