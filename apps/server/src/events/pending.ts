/**
 * The events waiting for a window, in arrival order, bounded in count and in bytes (their JSON
 * length), with how many of them are critical. A submission is taken whole or refused whole.
 */
import type { Entry, PendingEvent, Submission } from "./batch-window";
import { BackpressureError } from "./refusals";

export class PendingQueue {
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  #entries: Entry[] = [];
  #bytes = 0;
  #critical = 0;

  constructor(maxEvents: number, maxBytes: number) {
    this.#maxEvents = maxEvents;
    this.#maxBytes = maxBytes;
  }

  get length(): number {
    return this.#entries.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Whether a critical event is waiting. */
  get critical(): boolean {
    return this.#critical > 0;
  }

  /** When the oldest waiting event arrived (undefined when none waits). */
  get oldestArrivedAt(): number | undefined {
    return this.#entries[0]?.arrivedAt;
  }

  /** Queues a submission's events, or throws `BackpressureError` when they would pass a bound. */
  add(events: readonly PendingEvent[], submission: Submission, arrivedAt: number): void {
    if (this.#entries.length + events.length > this.#maxEvents) {
      throw new BackpressureError(this.#entries.length, this.#maxEvents);
    }
    const bytes = events.reduce((sum, event) => sum + event.bytes, 0);
    if (this.#bytes + bytes > this.#maxBytes) {
      throw new BackpressureError(this.#bytes, this.#maxBytes, "bytes");
    }
    for (const [index, event] of events.entries()) {
      this.#entries.push({ event, submission, index, arrivedAt });
    }
    this.#count(events, 1);
  }

  /** Takes up to `max` of the oldest entries. */
  take(max: number): Entry[] {
    const taken = this.#entries.splice(0, max);
    this.#count(
      taken.map((entry) => entry.event),
      -1,
    );
    return taken;
  }

  /** Returns entries to the front, in order (a window that must be numbered again). */
  putBack(entries: readonly Entry[]): void {
    this.#entries.unshift(...entries);
    this.#count(
      entries.map((entry) => entry.event),
      1,
    );
  }

  #count(events: readonly PendingEvent[], sign: 1 | -1): void {
    for (const event of events) {
      this.#bytes += sign * event.bytes;
      if (event.critical) this.#critical += sign;
    }
  }
}
