/** The ids the store wrote last, so a re-send while spooling is answered with its stored seq. */
/**
 * Recently written ids and their seqs, the oldest forgotten first past `capacity`. A ring of ids
 * says which is oldest: asking a Map for its first key after many deletions walks past every
 * deleted entry, which made each insert cost as much as the whole map.
 */
export class KnownIds {
  readonly #seqs = new Map<string, number>();
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array(capacity);
  }

  seqOf(id: string): number | undefined {
    return this.#seqs.get(id);
  }

  remember(id: string, seq: number): void {
    if (this.#seqs.has(id)) return;
    const oldest = this.#ring[this.#next];
    if (oldest !== undefined) this.#seqs.delete(oldest);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#seqs.set(id, seq);
  }
}
