/**
 * The events the ingest bench sends, shaped as Twitch's EventSub sends them (the shared fixtures):
 * ordinary chat messages and follows, and the critical `stream.online`. Each carries its send time
 * in `data.bench_sent_at` — Twitch's schemas keep unknown fields — so a subscriber can time it.
 */
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";

export const SENT_AT_FIELD = "bench_sent_at";
export const CRITICAL_TYPE = "stream.online";
/** Every type the bench sends; the hub's own events (stream engine) are of other types. */
export const SENT_TYPES: readonly string[] = [
  "channel.chat.message",
  "channel.follow",
  CRITICAL_TYPE,
];
/** One ordinary event in this many is a follow; the rest are chat, as on a busy channel. */
export const FOLLOW_EVERY = 5;
/** Distinct viewers the events are spread over. */
const VIEWERS = 5_000;

export interface OutgoingEvent {
  type: string;
  source: "twitch";
  data: Record<string, unknown>;
}

/** Milliseconds since the epoch, sub-millisecond, comparable between processes on one machine. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** The n-th ordinary event: a chat message, or every FOLLOW_EVERY-th a follow, from a rotating viewer. */
export function ordinaryEvent(n: number, sentAt: number): OutgoingEvent {
  const viewer = n % VIEWERS;
  if (n % FOLLOW_EVERY === 0) {
    return {
      type: "channel.follow",
      source: "twitch",
      data: {
        ...TWITCH_SAMPLES["channel.follow"],
        user_id: String(100_000 + viewer),
        user_login: `viewer_${viewer}`,
        user_name: `Viewer_${viewer}`,
        followed_at: new Date(sentAt).toISOString(),
        [SENT_AT_FIELD]: sentAt,
      },
    };
  }
  return {
    type: "channel.chat.message",
    source: "twitch",
    data: {
      ...TWITCH_SAMPLES["channel.chat.message"],
      chatter_user_id: String(100_000 + viewer),
      chatter_user_login: `viewer_${viewer}`,
      chatter_user_name: `Viewer_${viewer}`,
      message_id: crypto.randomUUID(),
      [SENT_AT_FIELD]: sentAt,
    },
  };
}

export function criticalEvent(n: number, sentAt: number): OutgoingEvent {
  return {
    type: CRITICAL_TYPE,
    source: "twitch",
    data: {
      ...TWITCH_SAMPLES[CRITICAL_TYPE],
      id: String(900_000 + n),
      started_at: new Date(sentAt).toISOString(),
      [SENT_AT_FIELD]: sentAt,
    },
  };
}

/** A JSON array of `size` ordinary events numbered from `first`, all stamped now. */
export function ordinaryBatchJson(first: number, size: number): string {
  const sentAt = wallClock();
  const events: OutgoingEvent[] = new Array(size);
  for (let i = 0; i < size; i++) events[i] = ordinaryEvent(first + i, sentAt);
  return JSON.stringify(events);
}

/**
 * Bodies sent in turn by the loops that measure throughput and overload, made before the
 * measurement: a 500-event body takes milliseconds of `JSON.stringify`, and at capacity making
 * them cost the driver a fifth of a core of the two the hub and its database share. The hub gives
 * every event a new id, so a body sent again is stored again.
 */
export const BODY_POOL = 16;

export type PooledBatches = (first: number) => { json: string; count: number };

/** `BODY_POOL` bodies of `batch` ordinary events, taken in turn by the number of the first event. */
export function pooledBatches(batch: number): PooledBatches {
  const bodies = Array.from({ length: BODY_POOL }, (_, i) => ordinaryBatchJson(i * batch, batch));
  return (first) => ({
    json: bodies[Math.floor(first / batch) % BODY_POOL] as string,
    count: batch,
  });
}
