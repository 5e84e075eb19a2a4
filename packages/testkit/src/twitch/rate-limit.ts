/**
 * Helix's rate limit as a client sees it: one bucket of points (a request costs one) that refills
 * at `Ratelimit-Reset`, reported in `Ratelimit-Limit`, `Ratelimit-Remaining` and `Ratelimit-Reset`
 * (epoch seconds) on every answer; an empty bucket answers 429. Time is the fake's clock (`now`).
 */

/** Twitch's default bucket for a user token: 800 points a minute. */
const DEFAULT_LIMIT = 800;
const WINDOW_SECONDS = 60;

export interface RateLimitSetting {
  limit: number;
  remaining: number;
  /** Seconds from now until the bucket is full again. */
  resetInSeconds: number;
}

export interface RateLimitBucket {
  set(setting: RateLimitSetting): void;
  /** Spends a point; false when the bucket is empty (the request gets 429). */
  take(): boolean;
  headers(): Record<string, string>;
}

export function createRateLimit(now: () => number): RateLimitBucket {
  let limit = DEFAULT_LIMIT;
  let remaining = DEFAULT_LIMIT;
  let resetAt = now() + WINDOW_SECONDS * 1000;

  const refill = () => {
    if (now() < resetAt) return;
    remaining = limit;
    resetAt = now() + WINDOW_SECONDS * 1000;
  };

  return {
    set(setting) {
      limit = setting.limit;
      remaining = Math.min(setting.remaining, setting.limit);
      resetAt = now() + setting.resetInSeconds * 1000;
    },
    take() {
      refill();
      if (remaining <= 0) return false;
      remaining -= 1;
      return true;
    },
    headers() {
      return {
        "Ratelimit-Limit": String(limit),
        "Ratelimit-Remaining": String(remaining),
        "Ratelimit-Reset": String(Math.ceil(resetAt / 1000)),
      };
    },
  };
}
