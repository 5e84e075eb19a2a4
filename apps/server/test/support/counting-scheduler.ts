/** Real timers, counted: a test asks how many are still set once what it started has stopped. */
import { type Scheduler, systemScheduler } from "../../src/scheduler";

export class CountingScheduler implements Scheduler {
  readonly #pending = new Set<unknown>();

  now = () => systemScheduler.now();
  setTimeout = (run: () => void, ms: number) => {
    const handle: unknown = systemScheduler.setTimeout(() => {
      this.#pending.delete(handle);
      run();
    }, ms);
    this.#pending.add(handle);
    return handle;
  };
  clearTimeout = (handle: unknown) => {
    this.#pending.delete(handle);
    systemScheduler.clearTimeout(handle);
  };
  /** Timers set and neither run nor cleared. */
  get pendingTimers(): number {
    return this.#pending.size;
  }
}
