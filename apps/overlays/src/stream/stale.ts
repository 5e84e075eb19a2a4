/**
 * Content the hub would have taken down while the link was lost: an alert whose time ran out
 * (plus a grace). While the link is up the hub's pushes decide; while it is down, pages drop such
 * content instead of leaving it on screen until the hub is back, and the hub's state on rejoin
 * puts back whatever is true.
 *
 * The deadline is measured on the page's own clock from when the state arrived — the content's
 * time left as the hub saw it (`expires_at − updated_at`) after the moment of receipt — so a hub
 * whose clock differs from this machine's does not cut alerts short.
 */

/** How long past its time content may stay before the page drops it on its own. */
export const STALE_GRACE_MS = 1_500;

interface Expiring {
  expires_at: string | null;
}

/** When the state a page received was true: the hub's `updated_at` and the local time of receipt. */
export interface Stamp {
  updatedAt: string;
  receivedAt: number;
}

/** When `content` goes stale on the local clock, in epoch ms; null when it never does. */
export function staleAt(
  content: Expiring | null,
  stamp: Stamp,
  graceMs = STALE_GRACE_MS,
): number | null {
  if (content === null || content.expires_at === null) return null;
  const left = Date.parse(content.expires_at) - Date.parse(stamp.updatedAt);
  return Number.isFinite(left) ? stamp.receivedAt + Math.max(0, left) + graceMs : null;
}

/** `content`, or null once it is stale at `now`. */
export function freshOrNull<C extends Expiring>(
  content: C | null,
  stamp: Stamp,
  now: number,
  graceMs = STALE_GRACE_MS,
): C | null {
  const at = staleAt(content, stamp, graceMs);
  return at !== null && at <= now ? null : content;
}
