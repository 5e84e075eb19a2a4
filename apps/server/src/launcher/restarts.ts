/**
 * When the launcher restarts a worker that exited: capped exponential backoff, reset once a run
 * lasted long enough to count as healthy, and never for a worker that refused its configuration
 * (exit 78, EX_CONFIG: a restart would fail the same way, forever). Pure.
 */

/** sysexits' EX_CONFIG: the hub and the workers exit with it for a setting they cannot use. */
export const EXIT_CONFIG = 78;

export interface RestartPolicy {
  baseMs: number;
  maxMs: number;
  /** A run at least this long was healthy: the next crash starts the backoff over. */
  stableMs: number;
}

export const RESTART_DEFAULTS: RestartPolicy = { baseMs: 500, maxMs: 30_000, stableMs: 60_000 };

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
