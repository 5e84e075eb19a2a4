/**
 * When EventSub is tried again, as pure decisions: the wait (a capped, jittered backoff, for a new
 * session and for a subscription create alike) and whether a failed create may succeed later.
 * Twitch not reached, a 5xx or a 429 may pass — an outage, Twitch's own trouble, the rate limit,
 * whose reset the Helix core already waits for before its next call — so that create is tried
 * again within the session; any other refusal is Twitch's answer for good.
 */
import { TwitchUnreachableError } from "./failures";
import { HelixError } from "./helix";
import { TwitchOAuthError } from "./oauth";

/** The first wait and the longest (named as in `EventSubTimings`), and the jitter's source. */
export interface Backoff {
  backoffBaseMs: number;
  backoffMaxMs: number;
  random?: () => number;
}

/** Subscription creates: 1 s doubling to 60 s, as a new session's. */
export const CREATE_RETRY_BACKOFF: Backoff = { backoffBaseMs: 1_000, backoffMaxMs: 60_000 };

/**
 * The wait before try `tries` (1-based): between half and all of `base·2^(tries-1)`, capped — the
 * jitter keeps clients that lost Twitch together from coming back at the same instant.
 */
export function backoffDelay(backoff: Backoff, tries: number): number {
  const random = backoff.random ?? Math.random;
  const doublings = Math.max(0, Math.min(tries - 1, 30));
  const ceiling = Math.min(backoff.backoffMaxMs, backoff.backoffBaseMs * 2 ** doublings);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Whether a failed call may succeed when tried again: Twitch not reached, a 5xx, a 429. */
export function isTransient(err: unknown): boolean {
  if (err instanceof TwitchUnreachableError) return true;
  if (err instanceof TwitchOAuthError && err.kind === "network") return true;
  const status = err instanceof HelixError || err instanceof TwitchOAuthError ? err.status : null;
  return status !== null && (status === 429 || status >= 500);
}
