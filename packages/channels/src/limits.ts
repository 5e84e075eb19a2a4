/**
 * What a server allows each socket (`SocketLimits`), the close code of one that stopped reading,
 * the counters every socket of one server adds to, and the frame size check.
 */

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

/** Whether `frame` is over `limit` bytes, without encoding a string that cannot be. */
export function isOversize(frame: string | Uint8Array, limit: number): boolean {
  if (typeof frame !== "string") return frame.byteLength > limit;
  // A UTF-16 code unit is 1–3 UTF-8 bytes: count bytes only when the length alone cannot tell.
  if (frame.length * 3 <= limit) return false;
  return frame.length > limit || Buffer.byteLength(frame) > limit;
}
