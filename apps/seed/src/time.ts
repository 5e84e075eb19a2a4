/**
 * The worker's one time unit: milliseconds since the epoch, as a branded number. The older worker
 * kept seconds, milliseconds and microseconds side by side and pruned chat as "old" before it was
 * analysed; here an instant can only be made from an ISO timestamp (every envelope's and
 * transcription's `ts`) or from the clock, so a bare number in another unit does not typecheck.
 */

declare const unit: unique symbol;

/** An instant, in milliseconds since the epoch. */
export type EpochMs = number & { readonly [unit]: "epoch-ms" };

/** The worker's clock; tests hand in their own. */
export type Clock = () => EpochMs;

export const systemClock: Clock = () => Date.now() as EpochMs;

/** The instant an ISO-8601 timestamp names, or null when it names none. */
export function epochMsOf(iso: string): EpochMs | null {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? (ms as EpochMs) : null;
}

/** `at` moved by a duration in milliseconds (negative: earlier). */
export function shift(at: EpochMs, ms: number): EpochMs {
  return (at + ms) as EpochMs;
}

export function isoOf(at: EpochMs): string {
  return new Date(at).toISOString();
}
