/**
 * When to try the model again after a 429 or a 5xx: exponential backoff with jitter, never sooner
 * than the server's `Retry-After`, and not at all when the server asks for a longer wait than the
 * worker allows (the next window asks again instead). Pure; the randomness is handed in.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** The first retry's step; each later one doubles it. */
  baseMs: number;
  /** The longest wait before a retry, the server's `Retry-After` included. */
  maxMs: number;
}

export const RETRY_DEFAULTS: RetryPolicy = { retries: 2, baseMs: 500, maxMs: 10_000 };

/** Whether an HTTP status is worth another try: rate limited, or the server's own trouble. */
export function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds or an HTTP date; null when absent or
 * unreadable. A date in the past means now.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/**
 * The wait before retry number `retry` (1 for the first), or null when no retry should follow.
 * The step is `baseMs · 2^(retry-1)`, capped at `maxMs`, and the wait a random point between half
 * and all of it, so workers that failed together do not come back together.
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  if (retry < 1 || retry > policy.retries) return null;
  if (retryAfterMs !== null && retryAfterMs > policy.maxMs) return null;
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
  const jittered = step / 2 + (random() * step) / 2;
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
