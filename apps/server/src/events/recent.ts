/**
 * The most recent fanned-out events, in seq order, in a fixed ring. A joining channel uses it to
 * fill the gap between what it read from the database and the live stream it joins, so a client
 * that reconnects sees every event once.
 */
import type { EventEnvelope } from "@landale/shared";

export const DEFAULT_RECENT_CAPACITY = 10_000;

export class RecentEvents {
  readonly #ring: (EventEnvelope | undefined)[];
  #start = 0;
  #size = 0;
  #lastSeq: number;
  /** Events up to this seq were never held, or were forgotten. */
  #heldAfter: number;

  constructor(lastSeq: number, capacity = DEFAULT_RECENT_CAPACITY) {
    this.#ring = new Array(capacity);
    this.#lastSeq = lastSeq;
    this.#heldAfter = lastSeq;
  }

  /** The seq of the newest event fanned out (or stored before start-up). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Appends events in seq order, forgetting the oldest past capacity. */
  push(events: readonly EventEnvelope[]): void {
    const capacity = this.#ring.length;
    for (const event of events) {
      if (this.#size === capacity) {
        this.#heldAfter = this.#ring[this.#start]?.seq ?? this.#heldAfter;
        this.#start = (this.#start + 1) % capacity;
        this.#size--;
      }
      this.#ring[(this.#start + this.#size) % capacity] = event;
      this.#size++;
      this.#lastSeq = event.seq;
    }
  }

  /**
   * The events with seq above `seq`, oldest first; null when some of them are not held (from
   * before start-up, or forgotten).
   */
  after(seq: number): EventEnvelope[] | null {
    if (seq >= this.#lastSeq) return [];
    if (seq < this.#heldAfter) return null;
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#at(middle)?.seq ?? 0) <= seq) low = middle + 1;
      else high = middle;
    }
    const out: EventEnvelope[] = [];
    for (let index = low; index < this.#size; index++) {
      const event = this.#at(index);
      if (event !== undefined) out.push(event);
    }
    return out;
  }

  #at(index: number): EventEnvelope | undefined {
    return this.#ring[(this.#start + index) % this.#ring.length];
  }
}
