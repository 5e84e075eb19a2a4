/** What the fan-out servers and clients agree on: the topic, the payload, the clock and the frames. */

export const TOPIC = "bench:fanout";
export const EVENT = "tick";
export const SOCKET_PATH = "/socket/websocket";

/** `redis`: two channels servers sharing a Redis adapter; the bench broadcasts on one and the
 * sockets join the other (bench:fanout-redis). */
export type ServerKind = "bare" | "channels" | "redis";
export const SERVER_KINDS: readonly ServerKind[] = ["bare", "channels"];

/** What every broadcast carries; the same object for both servers. */
export interface TickPayload {
  seq: number;
  /** `wallClock()` just before the publish call. */
  sent_at: number;
  pad: string;
}

/** Size of the payload's JSON, before the channels server wraps it in its V2 envelope. */
const PAYLOAD_BYTES = 100;
/** A typical send timestamp: 13 integer digits and 3 decimals. */
const TYPICAL_SENT_AT = 1_700_000_000_000.125;
const PAD = "x".repeat(
  PAYLOAD_BYTES - JSON.stringify({ seq: 1000, sent_at: TYPICAL_SENT_AT, pad: "" }).length,
);

export function tickPayload(seq: number, sentAt: number): TickPayload {
  return { seq, sent_at: sentAt, pad: PAD };
}

/** Milliseconds since the epoch, sub-millisecond, comparable between processes on one machine. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** How a client speaks to one kind of server: its URL, its join, and how it reads a broadcast. */
export interface ClientProtocol {
  url(port: number): string;
  /** The frame that joins the topic, or null when opening the socket is enough. */
  readonly joinFrame: string | null;
  isJoinReply(frame: string): boolean;
  /** Tells broadcasts from replies (to joins and heartbeats) without parsing the frame. */
  isBroadcast(frame: string): boolean;
  payloadOf(frame: string): TickPayload;
  /** A keep-alive frame, or null when the server needs none. */
  heartbeat(ref: number): string | null;
}

const JOIN_REF = "1";
const CHANNELS_BROADCAST_PREFIX = `[null,null,${JSON.stringify(TOPIC)},${JSON.stringify(EVENT)},`;
const JOIN_REPLY_PREFIX = `[${JSON.stringify(JOIN_REF)},${JSON.stringify(JOIN_REF)},${JSON.stringify(TOPIC)},"phx_reply",`;
const BARE_BROADCAST_PREFIX = '{"seq":';

/** Phoenix V2 JSON frames, written by hand so 5,000 sockets cost no client library. */
export const channelsProtocol: ClientProtocol = {
  url: (port) => `ws://127.0.0.1:${port}${SOCKET_PATH}?vsn=2.0.0`,
  joinFrame: JSON.stringify([JOIN_REF, JOIN_REF, TOPIC, "phx_join", {}]),
  isJoinReply: (frame) => frame.startsWith(JOIN_REPLY_PREFIX) && frame.includes('"status":"ok"'),
  isBroadcast: (frame) => frame.startsWith(CHANNELS_BROADCAST_PREFIX),
  payloadOf: (frame) => (JSON.parse(frame) as [null, null, string, string, TickPayload])[4],
  heartbeat: (ref) => JSON.stringify([null, `hb${ref}`, "phoenix", "heartbeat", {}]),
};

/** The ceiling: the payload as the whole frame, no envelope, no join. */
export const bareProtocol: ClientProtocol = {
  url: (port) => `ws://127.0.0.1:${port}${SOCKET_PATH}`,
  joinFrame: null,
  isJoinReply: () => false,
  isBroadcast: (frame) => frame.startsWith(BARE_BROADCAST_PREFIX),
  payloadOf: (frame) => JSON.parse(frame) as TickPayload,
  heartbeat: () => null,
};

export function protocolFor(kind: ServerKind): ClientProtocol {
  return kind === "bare" ? bareProtocol : channelsProtocol;
}
