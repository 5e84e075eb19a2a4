/** The batcher's ids in flight, and the entries held back until the window with their id lands. */
import type { Entry } from "./batch-window";
import type { PendingQueue } from "./pending";

/**
 * An id is in one window in flight at most (the `Batcher`'s header says why): an entry whose id
 * is in flight when its window is taken is held, and goes back to the queue when a window lands.
 * Only ids a producer gave are tracked: a made id cannot come again.
 */
export class InFlightIds {
  readonly #queue: PendingQueue;
  /** The ids producers gave the events in the windows in flight. */
  readonly #ids = new Set<string>();
  #held: Entry[] = [];
  #heldBytes = 0;

  constructor(queue: PendingQueue) {
    this.#queue = queue;
  }

  /** How many entries are held. */
  get held(): number {
    return this.#held.length;
  }

  /** Approximate bytes of the held entries (their JSON length). */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Up to `max` of the oldest entries queued, less those whose id is in flight (held). */
  take(max: number): Entry[] {
    const taken = this.#queue.take(max);
    if (this.#ids.size === 0) return taken;
    const entries: Entry[] = [];
    for (const entry of taken) {
      if (entry.event.madeId === true || !this.#ids.has(entry.event.id)) {
        entries.push(entry);
        continue;
      }
      this.#held.push(entry);
      this.#heldBytes += entry.event.bytes;
    }
    return entries;
  }

  /** A window was given to the store: its ids are in flight. */
  add(entries: readonly Entry[]): void {
    for (const { event } of entries) if (event.madeId !== true) this.#ids.add(event.id);
  }

  /** A window was answered or returned: its ids leave, the held entries go back to the queue. */
  landed(entries: readonly Entry[]): void {
    if (this.#ids.size > 0) {
      for (const { event } of entries) {
        if (event.madeId !== true) this.#ids.delete(event.id);
      }
    }
    if (this.#held.length === 0) return;
    this.#queue.putBack(this.#held);
    this.#held = [];
    this.#heldBytes = 0;
  }
}
