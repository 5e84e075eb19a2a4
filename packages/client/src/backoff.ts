/**
 * Reconnect delays: capped exponential backoff with jitter, so a hub that comes back is not hit
 * by every page at the same instant. Pure: the randomness is injected.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export const BACKOFF_DEFAULTS = { baseMs: 250, maxMs: 10_000 } as const;

/** The delay before attempt `tries` (1-based): between half and all of `base·2^(tries-1)`, capped. */
export function backoff(options: BackoffOptions = {}): (tries: number) => number {
  const baseMs = options.baseMs ?? BACKOFF_DEFAULTS.baseMs;
  const maxMs = options.maxMs ?? BACKOFF_DEFAULTS.maxMs;
  const random = options.random ?? Math.random;
  return (tries) => {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(tries - 1, 30)));
    return Math.round(ceiling * (0.5 + random() / 2));
  };
}
