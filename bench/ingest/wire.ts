/** Phoenix V2 frames as the ingest bench writes and reads them by hand: joins, ingest pushes, replies, `event_batch`. */
import { type CommandName, EVENTS, INGEST, PUSH } from "@landale/shared";

export const SOCKET_PATH = "/socket/websocket";
export const INGEST_TOPIC = INGEST.name;
export const ALL_TOPIC = EVENTS.topic("all").name;
export const INGEST_EVENT: CommandName<typeof INGEST> = "ingest";
/** Phoenix's client sends a heartbeat every 30 s; the hub closes a socket silent for 60 s. */
export const HEARTBEAT_MS = 30_000;

const JOIN_REF = "1";
const BATCH_PREFIX = `[null,null,${JSON.stringify(ALL_TOPIC)},${JSON.stringify(PUSH.eventBatch)},`;
const FROM_KEY = '"from_seq":';
const TO_KEY = ',"to_seq":';

export function socketUrl(hubUrl: string): string {
  return `${hubUrl.replace(/^http/, "ws")}${SOCKET_PATH}?vsn=2.0.0`;
}

export function joinFrame(topic: string): string {
  return JSON.stringify([JOIN_REF, JOIN_REF, topic, "phx_join", {}]);
}

/** `[join_ref, ref, topic, event, payload]`; the body is spliced in as JSON already encoded. */
export function ingestFrame(ref: string, eventsJson: string): string {
  return `[${JSON.stringify(JOIN_REF)},${JSON.stringify(ref)},${JSON.stringify(INGEST_TOPIC)},${JSON.stringify(INGEST_EVENT)},${eventsJson}]`;
}

export function heartbeatFrame(ref: number): string {
  return JSON.stringify([null, `hb${ref}`, "phoenix", "heartbeat", {}]);
}

export interface Reply {
  ref: string | null;
  topic: string;
  status: string;
  response: unknown;
}

/** A `phx_reply` frame, or null for anything else. */
export function parseReply(frame: string): Reply | null {
  const value = JSON.parse(frame) as unknown;
  if (!Array.isArray(value) || value[3] !== "phx_reply") return null;
  const payload = value[4] as { status?: unknown; response?: unknown } | null;
  return {
    ref: typeof value[1] === "string" ? value[1] : null,
    topic: String(value[2]),
    status: String(payload?.status),
    response: payload?.response,
  };
}

export function isJoinReply(frame: string, topic: string): boolean {
  const reply = frame.startsWith("[") ? parseReply(frame) : null;
  return reply !== null && reply.ref === JOIN_REF && reply.topic === topic && reply.status === "ok";
}

export function isEventBatch(frame: string): boolean {
  return frame.startsWith(BATCH_PREFIX);
}

/**
 * The seqs an `event_batch` covers, read from the frame's tail without parsing the events: the
 * payload is `{events, from_seq, to_seq}`, in that order, so the last `"from_seq":` is the key.
 */
export function batchRange(frame: string): { from: number; to: number } | null {
  const fromAt = frame.lastIndexOf(FROM_KEY);
  const toAt = frame.indexOf(TO_KEY, fromAt);
  if (fromAt === -1 || toAt === -1) return null;
  const from = Number(frame.slice(fromAt + FROM_KEY.length, toAt));
  const to = Number.parseInt(frame.slice(toAt + TO_KEY.length), 10);
  return Number.isInteger(from) && Number.isInteger(to) ? { from, to } : null;
}

export interface ReceivedEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

/** The events of a batch frame, parsed in full (sampled sockets only). */
export function batchEvents(frame: string): ReceivedEvent[] {
  const value = JSON.parse(frame) as [null, null, string, string, { events: ReceivedEvent[] }];
  return value[4].events;
}
