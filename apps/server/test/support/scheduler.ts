/** A `Scheduler` for tests: a clock and timers that move only when the test says so. */
import type { Scheduler } from "../../src/scheduler";

/** Lets promise callbacks (and the I/O they wait on, once ready) run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

export class ManualScheduler implements Scheduler {
  #now: number;
  #timers = new Map<number, { at: number; run: () => void }>();
  #next = 1;

  /** `start` is where the clock begins: 0 for durations, an epoch time for a wall clock. */
  constructor(start = 0) {
    this.#now = start;
  }

  now = () => this.#now;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + ms, run });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.#timers.delete(handle as number);
  };
  get pendingTimers() {
    return this.#timers.size;
  }
  /** Moves the clock on by `ms` and runs every timer that is then due. */
  async advance(ms: number) {
    this.#now += ms;
    for (const [id, timer] of [...this.#timers]) {
      if (timer.at > this.#now) continue;
      this.#timers.delete(id);
      timer.run();
    }
    await settle();
  }
}
