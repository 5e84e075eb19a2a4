/** Stored rows and batcher rows as the envelopes clients see (`packages/shared` EventEnvelope). */
import type { EventRow, NewEvent } from "@landale/db";
import type { EventEnvelope, EventSource } from "@landale/shared";

export function toEnvelope(event: NewEvent): EventEnvelope {
  return {
    id: event.id,
    seq: event.seq,
    type: event.type,
    source: event.source as EventSource,
    ts: event.ts,
    received_at: event.receivedAt,
    correlation_id: event.correlationId,
    data: event.data,
  };
}

export function rowToEnvelope(row: EventRow): EventEnvelope {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    source: row.source as EventSource,
    ts: row.ts.toISOString(),
    received_at: row.receivedAt.toISOString(),
    correlation_id: row.correlationId,
    data: row.data,
  };
}
