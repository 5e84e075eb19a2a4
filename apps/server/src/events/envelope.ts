/** An event as clients see it (`packages/shared` EventEnvelope), from a stored row or a committed one. */
import type { EventRow, NewEvent } from "@landale/db";
import type { EventEnvelope, EventSource } from "@landale/shared";

/**
 * The one mapping from the store's shape to the envelope. A row read back from the database
 * carries its times as `Date`s; a window the batcher just committed carries the ISO strings it
 * was written with.
 */
export function toEnvelope(event: EventRow | NewEvent): EventEnvelope {
  return {
    id: event.id,
    seq: event.seq,
    type: event.type,
    source: event.source as EventSource,
    ts: iso(event.ts),
    received_at: iso(event.receivedAt),
    correlation_id: event.correlationId,
    data: event.data,
  };
}

function iso(time: Date | string): string {
  return typeof time === "string" ? time : time.toISOString();
}
