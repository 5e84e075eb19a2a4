/**
 * A channel's mailbox: callbacks run one at a time in arrival order, even when some are async, as
 * a Phoenix channel process takes its messages. Bounded; a full mailbox refuses instead of growing.
 */

/** One queued callback. It handles its own errors; a returned promise holds the next one back. */
export type Task = () => Promise<void> | undefined | void;

export class Mailbox {
  readonly #queue: Task[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Runs `task` after every task queued before it. Returns false, running nothing, when `limit`
   * tasks are already waiting (the running one included).
   */
  enqueue(task: Task): boolean {
    // The running task stays at the head of the queue until it has finished.
    if (this.#queue.length >= this.limit) return false;
    this.#queue.push(task);
    // A task enqueued from inside the running one (a handler calling `info` on its own topic)
    // waits for it like any other.
    if (this.#queue.length === 1) this.#drain();
    return true;
  }

  /** Runs queued tasks in order: sync ones in this tick, each async one when the one before it
   * has settled. */
  #drain(): void {
    for (let task = this.#queue[0]; task !== undefined; task = this.#queue[0]) {
      const result = task();
      if (result instanceof Promise) {
        const next = () => {
          this.#queue.shift();
          this.#drain();
        };
        result.then(next, next);
        return;
      }
      this.#queue.shift();
    }
  }
}

/**
 * Calls `run` and hands its result to `onValue`, or what it threw (or rejected with) to `onError`.
 * Stays synchronous when `run` is, so sync handlers reply in the same tick.
 */
export function settle<T>(
  run: () => T | Promise<T>,
  onValue: (value: T) => void,
  onError: (err: unknown) => void,
): Promise<void> | undefined {
  let result: T | Promise<T>;
  try {
    result = run();
  } catch (err) {
    onError(err);
    return;
  }
  if (result instanceof Promise) return result.then(onValue, onError);
  onValue(result);
  return;
}
