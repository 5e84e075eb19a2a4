/**
 * When the hub restarts a worker that exited: capped exponential backoff, reset once a run lasted
 * long enough to count as healthy; never for a worker that refused its configuration (exit 78,
 * EX_CONFIG: a restart would fail the same way, forever); and no more once it was restarted
 * `maxRestarts` times within `windowMs` (it is reported as failed instead). Pure.
 */

/** sysexits' EX_CONFIG: the hub and the workers exit with it for a setting they cannot use. */
export const EXIT_CONFIG = 78;

export interface RestartPolicy {
  baseMs: number;
  maxMs: number;
  /** A run at least this long was healthy: the next crash starts the backoff over. */
  stableMs: number;
  maxRestarts: number;
  windowMs: number;
}

export const RESTART_DEFAULTS: RestartPolicy = {
  baseMs: 500,
  maxMs: 30_000,
  stableMs: 60_000,
  maxRestarts: 5,
  windowMs: 10 * 60_000,
};

/** The restarts (times, ms) still inside the window at `now`; when as many as allowed: give up. */
export function restartsInWindow(
  restarts: readonly number[],
  now: number,
  policy = RESTART_DEFAULTS,
): number[] {
  return restarts.filter((at) => now - at < policy.windowMs);
}

/** How many crashes in a row, counting the one that just happened. */
export function crashesInARow(
  previous: number,
  ranForMs: number,
  policy = RESTART_DEFAULTS,
): number {
  return ranForMs >= policy.stableMs ? 1 : previous + 1;
}

/** The wait before restarting after `crashes` crashes in a row (1-based), or null: do not. */
export function restartDelay(
  crashes: number,
  exitCode: number | null,
  policy = RESTART_DEFAULTS,
): number | null {
  if (exitCode === EXIT_CONFIG) return null;
  const doublings = Math.max(0, Math.min(crashes - 1, 30));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** doublings);
}
