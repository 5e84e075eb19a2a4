/**
 * Fan-out of committed windows: every `events:<filter>` topic with a subscriber gets one
 * `event_batch {events, from_seq, to_seq}` per window, holding only the events its filter admits,
 * in seq order. `from_seq`/`to_seq` bound the whole window, so a client resumes with
 * `since_seq = to_seq` of the last batch it saw.
 */
import {
  EVENTS_TOPIC_PREFIX,
  type EventBatch,
  type EventEnvelope,
  type EventFilter,
  filtersFor,
} from "@landale/shared";
import type { RecentEvents } from "./recent";

export const EVENT_BATCH = "event_batch";

export type Broadcast = (topic: string, event: string, payload: EventBatch) => void;

export function createFanout(
  recent: RecentEvents,
  broadcast: Broadcast,
): (envelopes: EventEnvelope[]) => void {
  return (envelopes) => {
    recent.push(envelopes);
    const first = envelopes[0];
    const last = envelopes[envelopes.length - 1];
    if (first === undefined || last === undefined) return;
    const byFilter = new Map<EventFilter, EventEnvelope[]>();
    for (const envelope of envelopes) {
      for (const filter of filtersFor(envelope.type)) {
        const list = byFilter.get(filter);
        if (list === undefined) byFilter.set(filter, [envelope]);
        else list.push(envelope);
      }
    }
    for (const [filter, events] of byFilter) {
      broadcast(`${EVENTS_TOPIC_PREFIX}${filter}`, EVENT_BATCH, {
        events,
        from_seq: first.seq,
        to_seq: last.seq,
      });
    }
  };
}
