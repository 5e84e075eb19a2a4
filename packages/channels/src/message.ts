/**
 * The Phoenix Channels message model, independent of any wire encoding.
 *
 * A client sends `InboundMessage`s; the server sends `Outbound` frames of three kinds, as Phoenix's
 * V2 binary protocol names them: a `push` to one channel member, a `reply` to one client push, and
 * a `broadcast` to every subscriber of a topic.
 */

/** Reserved events of the protocol. */
export const PHX = {
  join: "phx_join",
  leave: "phx_leave",
  reply: "phx_reply",
  close: "phx_close",
  error: "phx_error",
  heartbeat: "heartbeat",
} as const;

/** The topic heartbeats are sent on. */
export const HEARTBEAT_TOPIC = "phoenix";

/** A payload is any JSON value, or raw bytes for V2 binary frames. */
export type Payload = unknown;

export type ReplyStatus = "ok" | "error";

export interface InboundMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Payload;
  /**
   * The length of the frame it came in, set by the socket: bytes of a binary frame, UTF-16 units
   * of a text one (its bytes when it is ASCII, as JSON mostly is).
   */
  frameLength?: number;
}

export type Outbound =
  | {
      kind: "push";
      joinRef: string | null;
      /** Phoenix sets `ref` only on `phx_close`/`phx_error`, where it equals the join ref. */
      ref: string | null;
      topic: string;
      event: string;
      payload: Payload;
    }
  | {
      kind: "reply";
      joinRef: string | null;
      ref: string | null;
      topic: string;
      status: ReplyStatus;
      response: Payload;
    }
  | { kind: "broadcast"; topic: string; event: string; payload: Payload };

/** What a channel callback answers a client push with. */
export interface Reply {
  status: ReplyStatus;
  response: Payload;
}

export const ok = (response: Payload = {}): Reply => ({ status: "ok", response });
export const error = (response: Payload): Reply => ({ status: "error", response });

export function isBinary(payload: Payload): payload is Uint8Array | ArrayBuffer {
  return payload instanceof Uint8Array || payload instanceof ArrayBuffer;
}
