/**
 * A circuit breaker for the model: after `threshold` failed analyses in a row it opens and the
 * worker goes straight to the fallback; after `cooldownMs` it lets one trial through (half-open),
 * which closes it on success and opens it again on failure. Pure state over an injected clock.
 */

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  now: () => number;
}

export const BREAKER_DEFAULTS = { threshold: 3, cooldownMs: 60_000 } as const;

export interface BreakerStatus {
  state: BreakerState;
  consecutiveFailures: number;
  /** Times it opened. */
  opened: number;
  /** When it lets a trial through, while open. */
  retryAt: number | null;
}

export class CircuitBreaker {
  readonly #options: BreakerOptions;
  #failures = 0;
  #openedAt: number | null = null;
  #trialRunning = false;
  #opened = 0;

  constructor(options: BreakerOptions) {
    this.#options = options;
  }

  state(): BreakerState {
    if (this.#openedAt === null) return "closed";
    return this.#options.now() - this.#openedAt >= this.#options.cooldownMs ? "half_open" : "open";
  }

  /** Whether a call may go to the model now; a half-open breaker lets one trial through at a time. */
  allow(): boolean {
    const state = this.state();
    if (state === "closed") return true;
    if (state === "open" || this.#trialRunning) return false;
    this.#trialRunning = true;
    return true;
  }

  success(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#trialRunning = false;
  }

  failure(): void {
    this.#failures++;
    const trial = this.#trialRunning;
    this.#trialRunning = false;
    if (trial || (this.#openedAt === null && this.#failures >= this.#options.threshold)) {
      this.#openedAt = this.#options.now();
      this.#opened++;
    }
  }

  status(): BreakerStatus {
    const state = this.state();
    return {
      state,
      consecutiveFailures: this.#failures,
      opened: this.#opened,
      retryAt: this.#openedAt === null ? null : this.#openedAt + this.#options.cooldownMs,
    };
  }
}
