/**
 * Where the hub's link to obs-websocket stands, in words: connected (since when, OBS's and the
 * WebSocket server's versions), connecting (the attempts so far), or not connected with the
 * problem in OBS's words and the one thing to do (a wrong password: set it and restart).
 */
import type { ObsStatus } from "@landale/shared";
import { Show } from "solid-js";
import { formatClock, formatCount } from "../format/format";
import { describeStatus, OBS_DOCS } from "./status";

export function ConnectionPanel(props: { status: ObsStatus }) {
  const words = () => describeStatus(props.status);
  const state = () => props.status.state;

  return (
    <section
      class="panel obs-connection"
      aria-labelledby="obs-connection-title"
      data-state={state()}
      data-tone={words().tone}
    >
      <div class="panel-header">
        <h2 id="obs-connection-title">Connection</h2>
        <span class="badge" data-accent={words().tone} data-testid="obs-state" data-state={state()}>
          {words().label}
        </span>
      </div>
      <p class="obs-summary" data-testid="obs-summary">
        {words().summary}
      </p>

      <Show when={props.status.problem}>
        {(problem) => (
          <div
            class="notice"
            data-tone={words().tone === "danger" ? "danger" : "warn"}
            data-testid="obs-problem"
            data-code={problem().code}
            role="alert"
          >
            <p data-testid="obs-problem-message">{problem().message}</p>
            <p data-testid="obs-problem-action">
              <strong>What to do:</strong> {problem().action}
            </p>
          </div>
        )}
      </Show>

      <dl class="facts">
        <dt>Address</dt>
        <dd class="mono" data-testid="obs-url">
          {props.status.url}
        </dd>
        <Show
          when={state() === "connected"}
          fallback={
            <>
              <dt>Attempts since the last connection</dt>
              <dd data-testid="obs-attempts">{formatCount(props.status.attempts)}</dd>
            </>
          }
        >
          <dt>Connected since</dt>
          <dd data-testid="obs-connected-at">
            {props.status.connected_at === null ? "—" : formatClock(props.status.connected_at)}
          </dd>
        </Show>
        <dt>OBS version</dt>
        <dd data-testid="obs-version">{props.status.obs_version ?? "—"}</dd>
        <dt>obs-websocket version</dt>
        <dd data-testid="obs-websocket-version">{props.status.websocket_version ?? "—"}</dd>
      </dl>

      <Show when={state() !== "connected"}>
        <p class="muted">
          Setting up OBS for Landale (the WebSocket server, its password, the overlays as browser
          sources) is explained in <code>{OBS_DOCS}</code> in the Landale repository.
        </p>
      </Show>
    </section>
  );
}
