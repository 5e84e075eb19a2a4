/**
 * A bounded buffer of timed items. Past its capacity the oldest arrival is dropped and counted;
 * items leave otherwise only through `prune`, which the worker calls with a horizon older than
 * every window still to be analysed — never on arrival, so nothing is pruned before analysis.
 * Items are kept in arrival order (a catch-up replay may bring older ones late) and read by time.
 */
import type { EpochMs } from "../time";

export interface Timed {
  readonly at: EpochMs;
}

export interface BufferStats {
  size: number;
  capacity: number;
  /** Dropped because the buffer was full. */
  dropped: number;
  /** Left because they were older than the horizon. */
  pruned: number;
}

export class TimedBuffer<T extends Timed> {
  readonly #capacity: number;
  #items: T[] = [];
  #dropped = 0;
  #pruned = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    }
    this.#capacity = capacity;
  }

  add(item: T): void {
    if (this.#items.length >= this.#capacity) {
      this.#items.shift();
      this.#dropped++;
    }
    this.#items.push(item);
  }

  /** Items with `from <= at < to`, oldest first. */
  between(from: EpochMs, to: EpochMs): T[] {
    return this.#items
      .filter((item) => item.at >= from && item.at < to)
      .sort((a, b) => a.at - b.at);
  }

  some(predicate: (item: T) => boolean): boolean {
    return this.#items.some(predicate);
  }

  /** Removes the items older than `horizon`; returns how many left. */
  prune(horizon: EpochMs): number {
    const before = this.#items.length;
    this.#items = this.#items.filter((item) => item.at >= horizon);
    const removed = before - this.#items.length;
    this.#pruned += removed;
    return removed;
  }

  clear(): void {
    this.#items = [];
  }

  stats(): BufferStats {
    return {
      size: this.#items.length,
      capacity: this.#capacity,
      dropped: this.#dropped,
      pruned: this.#pruned,
    };
  }
}
