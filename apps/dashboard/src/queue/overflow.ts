/**
 * The queue's overflow count in words. `queue_state.dropped` is part of the stream state the hub
 * saves and restores, and nothing resets it, so it counts every alert dropped by overflow, across
 * hub restarts — not since this hub started.
 */
import { plural } from "../format/format";

export function overflowNote(dropped: number): string {
  return `${plural(dropped, "alert")} dropped by overflow in all (kept across hub restarts)`;
}
