/** This dashboard's own link to the hub: its state, retries, and what it dropped or refused. */
import type { ClientStatus } from "@landale/client";
import { Show } from "solid-js";
import { formatCount } from "../format/format";

export function ClientPanel(props: { status: ClientStatus }) {
  return (
    <section class="panel" aria-labelledby="client-title">
      <h2 id="client-title">This dashboard</h2>
      <dl class="facts">
        <dt>Link</dt>
        <dd>{props.status.state}</dd>
        <dt>Failed attempts</dt>
        <dd>{formatCount(props.status.attempts)}</dd>
        <dt>Commands waiting</dt>
        <dd>{formatCount(props.status.queueDepth)}</dd>
        <dt>Commands dropped</dt>
        <dd data-testid="client-dropped" data-warn={props.status.dropped > 0 ? "" : undefined}>
          {formatCount(props.status.dropped)}
        </dd>
        <dt>Invalid payloads</dt>
        <dd data-testid="client-invalid" data-warn={props.status.invalid > 0 ? "" : undefined}>
          {formatCount(props.status.invalid)}
        </dd>
        <Show when={props.status.lastError}>
          <dt>Last error</dt>
          <dd class="mono">{props.status.lastError}</dd>
        </Show>
      </dl>
    </section>
  );
}
