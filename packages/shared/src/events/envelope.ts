/** The event envelope: what a producer sends to the hub, and what the hub stores and fans out. */
import { z } from "zod";

/** Largest event the hub accepts, measured as the UTF-8 bytes of the event's JSON. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Largest request body or socket frame, which may carry many events. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Most events one request may carry. It matches the batcher's window, so one accepted request
 * never needs more than one window beyond what is pending.
 */
export const MAX_EVENTS_PER_INPUT = 1000;

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * An event id is the idempotency key of the store (`ON CONFLICT (id) DO NOTHING`): a producer's own
 * id (a Twitch message id) or a UUIDv7 the hub makes. The charset keeps it safe in URLs and logs.
 */
export const EventId = z
  .string()
  .regex(ID_PATTERN, "must be 1-128 characters of A-Z a-z 0-9 . _ : -");

/** Event types are dotted names; the catalogue decides which ones exist. */
export const EventTypeName = z.string().min(1).max(128);

/**
 * Where an event came in, which says how far to trust it and where to look when it is wrong. It
 * names the producer, not the type family: a test script may POST a Twitch-shaped event with
 * source "api".
 */
export const EVENT_SOURCES = [
  /** The hub's Twitch EventSub integration, or a relay forwarding EventSub notifications. */
  "twitch",
  /** The hub's obs-websocket integration. */
  "obs",
  /** The hub's Rainwave poller. */
  "rainwave",
  /** Game and emulator scripts on the TCP ingest port. */
  "tcp",
  /** REST `POST /api/events`: scripts, stream decks, tests. */
  "api",
  /** The control panel, through its channel. */
  "dashboard",
  /** The phononmaser and seed workers. */
  "worker",
  /** The hub itself: `system.*` and the `stream.*` events its stream state makes. */
  "system",
] as const;
export const EventSource = z.enum(EVENT_SOURCES);
export type EventSource = z.infer<typeof EventSource>;

const FIRST_INSTANT = Date.parse("0001-01-01T00:00:00Z");
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * An ISO-8601 date-time with a zone (`Z` or `±hh:mm`), any fraction of a second, that falls in the
 * years 0001-9999 once its offset is applied. Postgres has no year 0000 (`0000-…` is out of its
 * range) and JavaScript writes years past 9999 as `+010000-…`, so a time outside that span could
 * not be stored or read back as this schema reads it.
 */
export const Timestamp = z.iso.datetime({ offset: true }).refine(inStorableRange, {
  message: "must fall between 0001-01-01 and 9999-12-31 in UTC",
  // Only a well-formed time is placed: a malformed one has its one issue already.
  when: (payload) => payload.issues.length === 0,
});

function inStorableRange(time: string): boolean {
  const instant = Date.parse(time);
  return instant >= FIRST_INSTANT && instant <= LAST_INSTANT;
}

export const CorrelationId = z.string().min(1).max(128);

/**
 * What a producer sends. Only `type` and `data` are required: the hub fills `id` (UUIDv7), `source`
 * (from the ingest path), `ts` (arrival), and `correlation_id` (header, socket, or new). Unknown
 * keys are refused so a misspelt `correlationId` is an error rather than silently ignored. `data`
 * is checked against the type's schema by `parseEventInput`.
 */
export const EventInput = z.strictObject({
  id: EventId.optional(),
  type: EventTypeName,
  source: EventSource.optional(),
  ts: Timestamp.optional(),
  correlation_id: CorrelationId.optional(),
  data: z.unknown(),
});
// zod types an `unknown` key as optional, but the parser requires it: say so in the type too.
export type EventInput = Omit<z.infer<typeof EventInput>, "data"> & { data: unknown };

/**
 * An event as stored and broadcast. `seq` is assigned at commit and increases with every event;
 * `ts` is when it happened (the producer's clock, else arrival), `received_at` when the hub took
 * it in. Unknown keys are stripped, so an older client keeps reading a newer hub's envelopes.
 */
export const EventEnvelope = z.object({
  id: EventId,
  seq: z.int().nonnegative(),
  type: EventTypeName,
  source: EventSource,
  ts: Timestamp,
  received_at: Timestamp,
  correlation_id: CorrelationId,
  data: z.unknown(),
});
export type EventEnvelope = Omit<z.infer<typeof EventEnvelope>, "data"> & { data: unknown };
