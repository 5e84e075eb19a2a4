/** A FIFO with a bound: past it the oldest item leaves (handed to `onDrop`) and is counted. */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  #dropped = 0;

  constructor(
    readonly max: number,
    private readonly onDrop: (item: T) => void = () => {},
  ) {}

  push(item: T): void {
    this.#items.push(item);
    while (this.#items.length > this.max) {
      const oldest = this.#items.shift();
      this.#dropped++;
      if (oldest !== undefined) this.onDrop(oldest);
    }
  }

  /** Removes and returns every item matching `take`, oldest first; the rest stay in order. */
  takeWhere(take: (item: T) => boolean): T[] {
    const taken: T[] = [];
    for (let index = 0; index < this.#items.length; ) {
      const item = this.#items[index] as T;
      if (take(item)) {
        taken.push(item);
        this.#items.splice(index, 1);
      } else {
        index++;
      }
    }
    return taken;
  }

  get size(): number {
    return this.#items.length;
  }

  get dropped(): number {
    return this.#dropped;
  }
}
