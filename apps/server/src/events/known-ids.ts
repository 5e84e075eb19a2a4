/**
 * The ids the store wrote last and their seqs, so a re-send while spooling is answered with its
 * stored seq. Only a spooling store asks, and it rarely does; every committed window is
 * remembered. So remembering a window costs one push of the window's answer, and the id → seq
 * index is built at the first question — once per outage — and kept up to date from then on,
 * until as many ids as the capacity have gone by with no question (the outage is long over).
 * At most `capacity` ids are remembered (whole windows, the oldest forgotten first). An id
 * remembered twice (a re-send the database answered) is forgotten with the first window that
 * held it.
 */

/** An id and the seq it is stored with. */
export interface KnownId {
  readonly id: string;
  readonly seq: number;
}

/** Past this many forgotten windows at the front, the list of windows is compacted. */
const COMPACT_AFTER = 1024;

export class KnownIds {
  readonly #capacity: number;
  /** Remembered windows, oldest first from `#head`. */
  #windows: (readonly KnownId[])[] = [];
  #head = 0;
  /** Ids in the remembered windows. */
  #count = 0;
  /** id → seq over every remembered window; null until asked. */
  #index: Map<string, number> | null = null;
  /** Ids remembered since the last question. */
  #sinceAsked = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The seq `id` was stored with, if it is among the ids remembered. */
  seqOf(id: string): number | undefined {
    this.#sinceAsked = 0;
    this.#index ??= this.#built();
    return this.#index.get(id);
  }

  /** Remembers a window's ids and seqs (the array is kept as it is: do not change it). */
  remember(window: readonly KnownId[]): void {
    if (window.length === 0) return;
    this.#windows.push(window);
    this.#count += window.length;
    const index = this.#index;
    if (index !== null) {
      for (const { id, seq } of window) if (!index.has(id)) index.set(id, seq);
      this.#sinceAsked += window.length;
      if (this.#sinceAsked > this.#capacity) this.#index = null;
    }
    while (this.#count > this.#capacity) this.#forgetOldest();
  }

  #forgetOldest(): void {
    const oldest = this.#windows[this.#head];
    if (oldest === undefined) return;
    this.#windows[this.#head] = [];
    this.#head++;
    this.#count -= oldest.length;
    if (this.#index !== null) {
      for (const { id, seq } of oldest) if (this.#index.get(id) === seq) this.#index.delete(id);
    }
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#windows.length) {
      this.#windows = this.#windows.slice(this.#head);
      this.#head = 0;
    }
  }

  #built(): Map<string, number> {
    const index = new Map<string, number>();
    for (let i = this.#head; i < this.#windows.length; i++) {
      for (const { id, seq } of this.#windows[i] ?? []) if (!index.has(id)) index.set(id, seq);
    }
    return index;
  }
}
