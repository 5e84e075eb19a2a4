/**
 * Fan-out of committed windows: every `events:<filter>` topic with a subscriber gets one
 * `event_batch {events, from_seq, to_seq}` per window, holding only the events its filter admits,
 * in seq order. `from_seq`/`to_seq` is the range the batch accounts for: from just after the
 * previous batch on that topic to the end of this window, so consecutive batches of a topic are
 * contiguous whatever the filter left out or the seqs skipped, a client that sees `from_seq` above
 * its last `to_seq + 1` knows it missed one, and it resumes with `since_seq = to_seq`.
 */
import {
  EVENTS,
  type EventBatch,
  type EventEnvelope,
  type EventFilter,
  filtersFor,
  PUSH,
} from "@landale/shared";
import type { Broadcast } from "../broadcast";
import type { RecentEvents } from "./recent";

export function createFanout(
  recent: RecentEvents,
  broadcast: Broadcast,
): (envelopes: readonly EventEnvelope[]) => void {
  // One entry per filter at most: the to_seq of its latest batch.
  const covered = new Map<EventFilter, number>();
  const startSeq = recent.lastSeq;
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
      const batch: EventBatch = {
        events,
        from_seq: Math.min(first.seq, (covered.get(filter) ?? startSeq) + 1),
        to_seq: last.seq,
      };
      broadcast(EVENTS.topic(filter).name, PUSH.eventBatch, batch);
      covered.set(filter, last.seq);
    }
  };
}
