/** A database write the hub stops waiting for: the store treats it as the database being away. */
import type { Scheduler } from "../scheduler";

export class StoreTimeoutError extends Error {
  readonly code = "STORE_TIMEOUT";
}

/** `work`, or `StoreTimeoutError` once `ms` have passed on `scheduler`'s clock. */
export function withTimeout<T>(work: Promise<T>, ms: number, scheduler: Scheduler): Promise<T> {
  let timer: unknown;
  const timeout = new Promise<never>((_, reject) => {
    timer = scheduler.setTimeout(
      () => reject(new StoreTimeoutError(`database write took over ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => scheduler.clearTimeout(timer));
}
