/**
 * Turns of the event loop for the hub's heavy steps. One poll of the event loop hands over every
 * socket that became readable, and each one's JavaScript runs before the next poll: at PGlite's
 * capacity eight 500-event bodies arriving together were parsed and validated back to back
 * (~3.4 ms each), and a heartbeat that arrived meanwhile waited for all of them. So each heavy step
 * — parsing an ingest body, validating it, encoding a window for the database — waits for a turn:
 * one step a turn (`setImmediate`), in the order they asked, and whatever became readable in
 * between is served between two steps. A step that finds nothing waiting and the turn unused runs
 * at once, so an idle hub adds no hop. A window's encoding goes ahead of the steps waiting
 * (`first`): its events are accepted already, and the database waits for it.
 *
 * What waits is bounded before it gets here (ingest requests by their number and their bytes,
 * windows by the batcher's flights); `limit` is the backstop, and a step past it is refused,
 * counted, rather than queued.
 */
import { AppError } from "../errors";

/** Steps waiting at most: far above what the ingest route and the batcher can have waiting. */
export const MAX_WAITING_STEPS = 1_024;

export interface TurnsStats {
  /** Steps waiting for their turn now. */
  waiting: number;
  /** Steps refused because `limit` were waiting. */
  refused: number;
}

export class Turns {
  readonly #limit: number;
  #waiting: (() => void)[] = [];
  #immediate: ReturnType<typeof setImmediate> | null = null;
  #stopped = false;
  #refused = 0;

  constructor(limit = MAX_WAITING_STEPS) {
    this.#limit = limit;
  }

  /**
   * Resolves when it is this step's turn: at once when nothing waits and no step has had this
   * turn, else after the steps that asked before it, or before all of them when `first`. Rejects
   * with a 503 `backpressure` `AppError` when `limit` steps wait (never a `first` one). After
   * `stop()` it resolves at once.
   */
  take(first = false): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (!first && this.#waiting.length >= this.#limit) {
      this.#refused++;
      return Promise.reject(
        new AppError(
          503,
          "backpressure",
          `${this.#waiting.length} steps already wait for the hub's event loop; retry shortly`,
        ),
      );
    }
    if (this.#immediate === null) {
      // Nothing waits and no step has had this turn: this one has it, and the next waits.
      this.#immediate = setImmediate(this.#next);
      return Promise.resolve();
    }
    const { promise, resolve } = Promise.withResolvers<void>();
    if (first) this.#waiting.unshift(resolve);
    else this.#waiting.push(resolve);
    return promise;
  }

  /** Lets every waiting step go on at once, and every later one without waiting. */
  stop(): void {
    this.#stopped = true;
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#immediate = null;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }

  stats(): TurnsStats {
    return { waiting: this.#waiting.length, refused: this.#refused };
  }

  /** The next waiting step's turn; the one after it waits for the event loop to poll again. */
  readonly #next = (): void => {
    const resolve = this.#waiting.shift();
    this.#immediate = resolve === undefined ? null : setImmediate(this.#next);
    resolve?.();
  };
}
