/** The event pipeline's figures: what waits, what was spooled, refused, written and quarantined. */
import type { HubHealth } from "@landale/shared";
import { Show } from "solid-js";
import { formatBytes, formatCount } from "../format/format";

export function PipelinePanel(props: { health: HubHealth | null }) {
  return (
    <section class="panel" aria-labelledby="pipeline-title">
      <h2 id="pipeline-title">Event pipeline</h2>
      <Show when={props.health} fallback={<p class="muted">Loading…</p>}>
        {(h) => (
          <dl class="facts">
            <dt>Pending</dt>
            <dd>
              {formatCount(h().events.pending)} of {formatCount(h().events.max_pending)}
            </dd>
            <dt>Spooled</dt>
            <dd data-warn={h().events.spooled > 0 ? "" : undefined}>
              {formatCount(h().events.spooled)} events ({formatBytes(h().events.spool_bytes)})
            </dd>
            <dt>Refused (back-pressure)</dt>
            <dd data-warn={h().events.refused_backpressure > 0 ? "" : undefined}>
              {formatCount(h().events.refused_backpressure)}
            </dd>
            <dt>Requests refused</dt>
            <dd
              data-warn={h().events.refused_requests > 0 ? "" : undefined}
              data-testid="refused-requests"
            >
              {formatCount(h().events.refused_requests)}
            </dd>
            <dt>Windows written</dt>
            <dd>{formatCount(h().events.windows)}</dd>
            <dt>Events committed</dt>
            <dd>{formatCount(h().events.committed)}</dd>
            <dt>Duplicates ignored</dt>
            <dd>{formatCount(h().events.duplicates)}</dd>
            <dt>Failed windows</dt>
            <dd data-warn={h().events.failed_windows > 0 ? "" : undefined}>
              {formatCount(h().events.failed_windows)}
            </dd>
            <dt>Refused by the database</dt>
            <dd data-warn={h().events.refused_store > 0 ? "" : undefined}>
              {formatCount(h().events.refused_store)}
            </dd>
            <dt>Quarantined</dt>
            <dd data-testid="quarantined" data-warn={h().events.quarantined > 0 ? "" : undefined}>
              {formatCount(h().events.quarantined)}
            </dd>
          </dl>
        )}
      </Show>
    </section>
  );
}
