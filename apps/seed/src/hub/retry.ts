/**
 * Tries a read until it succeeds, with the client's jittered backoff between tries: the worker's
 * read-backs (speech after a (re)connect, chat and interactions at start) are worth having only
 * while what they bring is still inside the analysis window, so the tries stop once the next
 * would start later than `withinMs` after the first, or at an error `isFinal` calls final.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { backoff } from "@landale/client";

/** The first retry waits 1 s, doubling to at most 30 s (jittered). */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface RetryOptions {
  /** Aborting it ends the tries: the promise rejects with the abort's reason. */
  signal: AbortSignal;
  withinMs: number;
  isFinal?: (err: unknown) => boolean;
  /** The wait before try `tries + 1`; by default the client's backoff from 1 s to 30 s. */
  delay?: (tries: number) => number;
  /** Told of every failed try that will be tried again. */
  onRetry: (err: unknown, tries: number, waitMs: number) => void;
}

export async function retrying<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const started = Date.now();
  const delay = options.delay ?? backoff({ baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS });
  for (let tries = 1; ; tries++) {
    options.signal.throwIfAborted();
    try {
      return await attempt();
    } catch (err) {
      options.signal.throwIfAborted();
      const waitMs = delay(tries);
      const final = options.isFinal?.(err) ?? false;
      if (final || Date.now() + waitMs - started > options.withinMs) throw err;
      options.onRetry(err, tries, waitMs);
      // An abort ends the sleep; the loop's first line then rejects with its reason.
      await sleep(waitMs, undefined, { signal: options.signal }).catch(() => {});
    }
  }
}
