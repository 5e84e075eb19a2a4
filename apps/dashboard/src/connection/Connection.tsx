/**
 * The link to the hub, as the streamer sees it: a status chip in the header, and — while the
 * link is down — a banner under it saying since when, that the page shows the last state it
 * received, and that commands will go out once the link is back. Nothing is blanked: views keep
 * what they had, and the client rejoins and catches up on its own.
 *
 * While the link is down the banner also asks `GET /api/health` every few seconds: a socket the
 * hub refuses (a changed token) looks like an outage from the socket's side, and only the REST
 * answer (401) can tell, which sends the streamer back to sign-in.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, Show } from "solid-js";
import { formatClock } from "../format/format";
import { useSession } from "../hub/session";

const LABELS = {
  open: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  closed: "Disconnected",
} as const;

/** How often to ask the REST API while the socket is down. */
const PROBE_MS = 5_000;

export function ConnectionIndicator() {
  const session = useSession();
  const status = session.status;
  return (
    <div
      class="connection"
      data-state={status().state}
      role="status"
      aria-live="polite"
      title={status().lastError ?? undefined}
    >
      <span class="connection-dot" aria-hidden="true" />
      <span class="connection-label">
        <span class="visually-hidden">Hub connection: </span>
        {LABELS[status().state]}
      </span>
      <Show when={status().state === "reconnecting" && status().attempts > 0}>
        <span class="connection-attempts">attempt {status().attempts}</span>
      </Show>
    </div>
  );
}

export function ConnectionBanner() {
  const session = useSession();
  // A memo: the status changes often, whether the link is down seldom.
  const down = createMemo(() => session.status().state !== "open");
  const [since, setSince] = createSignal<string | null>(null);

  createEffect(
    on(down, (isDown) => {
      if (!isDown) {
        setSince(null);
        return;
      }
      setSince(new Date().toISOString());
      const probe = setInterval(() => {
        // a 401 here calls onUnauthorized; any other failure is the outage we already show
        session.api.health().catch(() => {});
      }, PROBE_MS);
      onCleanup(() => clearInterval(probe));
    }),
  );

  return (
    <Show when={down() && session.status().state !== "connecting"}>
      <div class="connection-banner" role="status">
        <strong>The link to the hub is down</strong>
        <span>
          since {formatClock(since() ?? new Date().toISOString())} — reconnecting by itself. You are
          seeing the last state received; commands you give are sent once the link is back.
        </span>
      </div>
    </Show>
  );
}
