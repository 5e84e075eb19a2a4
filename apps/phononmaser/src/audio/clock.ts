/**
 * One connection's clock. OBS plugins send either µs since the epoch or, from a monotonic clock,
 * µs since OBS started. The latter (anything below 10^12 µs, i.e. before 2001-09-09) is pinned to
 * the wall clock once, at the connection's first such frame, so the connection's frames keep
 * their spacing instead of each being stamped with the time it happened to arrive.
 */

/** Below this a timestamp is relative to OBS's start, not the epoch. */
export const RELATIVE_BELOW_US = 1_000_000_000_000;

export class ConnectionClock {
  /** Wall-clock µs minus OBS-relative µs, fixed at the first relative frame. */
  private offsetUs: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Epoch milliseconds of a frame stamped `timestampUs`. */
  toWallMs(timestampUs: number): number {
    if (timestampUs >= RELATIVE_BELOW_US) return timestampUs / 1000;
    if (this.offsetUs === null) this.offsetUs = this.now() * 1000 - timestampUs;
    return (timestampUs + this.offsetUs) / 1000;
  }
}
