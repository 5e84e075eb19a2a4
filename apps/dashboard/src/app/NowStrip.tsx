/** The header's one-glance summary of what is on stream: the alert showing, the queue, pause, takeover. */
import { Show } from "solid-js";
import { describeEvent } from "../feed/describe";
import { plural } from "../format/format";
import { useSession } from "../hub/session";
import { useApp } from "./context";

export function NowStrip() {
  const { live } = useApp();
  const session = useSession();
  // While the link is down this is the last state received, not necessarily what is on screen.
  const stale = () => session.status().state !== "open";
  const current = () => live.queue?.current ?? null;
  const pending = () => live.queue?.pending.length ?? 0;
  return (
    <section class="now-strip" aria-label="On stream now">
      <Show when={live.stream?.takeover}>
        {(takeover) => (
          <span class="badge" data-accent="danger">
            Takeover: {takeover().type}
          </span>
        )}
      </Show>
      <Show when={live.queue?.paused}>
        <span class="badge" data-accent="warning">
          Alerts paused
        </span>
      </Show>
      <Show when={current()} fallback={<span class="now-idle muted">No alert showing</span>}>
        {(alert) => {
          const text = () => {
            const summary = describeEvent(alert().type, alert().data);
            return [summary.actor, summary.action].filter(Boolean).join(" ");
          };
          return (
            <span class="now-alert">
              <span class="badge" data-accent={describeEvent(alert().type, alert().data).accent}>
                {stale() ? "Last known" : "On screen"}
              </span>
              <span class="now-text">{text()}</span>
            </span>
          );
        }}
      </Show>
      <span class="muted now-queued">{plural(pending(), "alert")} queued</span>
    </section>
  );
}
