/**
 * Drops an alert left over from a lost link (see `stale.ts`) inside a page: `fresh` passes content
 * through while the link is up, and while it is down returns null once the content is stale,
 * arming one owned timeout to call `show` again at that moment. `show` is also called when the
 * link goes down, so content already on screen gets its deadline.
 */
import { onCleanup } from "solid-js";
import { useHub } from "../hub/hub";
import { createTimers } from "../lifecycle/timers";
import { freshOrNull, type Stamp, staleAt } from "./stale";

export interface StaleGuard {
  fresh<C extends { expires_at: string | null }>(content: C | null, stamp: Stamp): C | null;
}

export function createStaleGuard(show: () => void): StaleGuard {
  const hub = useHub();
  const timers = createTimers();
  let cancel: (() => void) | null = null;
  let open = hub.client.status().state === "open";
  const stopStatus = hub.client.onStatus((status) => {
    const nowOpen = status.state === "open";
    if (nowOpen === open) return;
    open = nowOpen;
    if (!open) show();
  });
  onCleanup(stopStatus);

  return {
    fresh(content, stamp) {
      cancel?.();
      cancel = null;
      if (open) return content;
      const now = Date.now();
      const kept = freshOrNull(content, stamp, now);
      const at = staleAt(kept, stamp);
      if (at !== null) cancel = timers.after(at - now, show);
      return kept;
    },
  };
}
