/**
 * Time as a dependency: a clock and timers. The batcher, the store and the stream engine take one,
 * so their tests run on a clock that moves only when told (`ManualScheduler` in test/support/scheduler.ts).
 */
export interface Scheduler {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's monotonic clock and real timers. */
export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
