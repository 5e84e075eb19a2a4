/** The simulator's log of what it sent: when, what, and the seqs the hub gave the events. */
import { For, Show } from "solid-js";
import { formatClock, plural } from "../format/format";

/** One send the hub accepted. */
export interface Sent {
  at: string;
  label: string;
  count: number;
  seqs: number[];
}

export function SentLog(props: { log: Sent[] }) {
  return (
    <section class="panel" aria-labelledby="sent-title">
      <h2 id="sent-title">Sent</h2>
      <Show when={props.log.length > 0} fallback={<p class="empty">Nothing sent yet.</p>}>
        <ol class="sent-log" aria-live="polite">
          <For each={props.log}>
            {(sent) => (
              <li data-testid="sent-entry">
                <time datetime={sent.at}>{formatClock(sent.at)}</time>
                <span>
                  {sent.count === 1 ? sent.label : `${plural(sent.count, "event")} (${sent.label})`}
                </span>
                <span class="mono muted">
                  seq {sent.seqs[0]}
                  {sent.seqs.length > 1 ? `–${sent.seqs.at(-1)}` : ""}
                </span>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <p class="panel-note">
        Simulated events are stored with source <code>dashboard</code> and go through the same
        queue, overlays and history as real ones.
      </p>
    </section>
  );
}
