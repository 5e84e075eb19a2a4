/**
 * The Services view: each worker the hub supervises (`LANDALE_WORKERS`) — its state, uptime,
 * restarts, last error, health with since when and what is wrong (the worker's own problems when
 * it reports itself degraded, why its check failed when unhealthy) and last log lines — with
 * Start, Stop and Restart. It follows the `services_status` pushes on `dashboard:main`; the only
 * timer is the one-second tick of the uptime and the health's age.
 */
import type { WorkerStatus } from "@landale/shared";
import { createSignal, For, onCleanup, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { useSession } from "../hub/session";
import { describeHealth, describeState, uptimeOf } from "./format";
import { createServicesLink, type ServicesLink } from "./store";
import "./services.css";

const TICK_MS = 1_000;

export function ServicesView() {
  const session = useSession();
  const link = createServicesLink(session.client);
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), TICK_MS);
  onCleanup(() => clearInterval(tick));

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Services"
        lead="The workers the hub runs: whether each is up and well, what it last said, and a way to restart it."
      />
      <Show when={link.error()}>
        {(message) => (
          <div class="notice" data-tone="danger" role="alert" data-testid="services-error">
            <p>{message()}</p>
          </div>
        )}
      </Show>
      <Show
        when={link.status()}
        fallback={
          <p class="panel empty" role="status" data-testid="services-loading">
            Asking the hub about its workers…
          </p>
        }
      >
        {(status) => (
          <Show
            when={status().workers.length > 0}
            fallback={
              <p class="panel empty" data-testid="services-none">
                The hub runs no workers (LANDALE_WORKERS is none, or none of them is here).
              </p>
            }
          >
            <div class="services-grid">
              <For each={status().workers}>
                {(worker) => <WorkerPanel worker={worker} link={link} now={now()} />}
              </For>
            </div>
          </Show>
        )}
      </Show>
    </section>
  );
}

function WorkerPanel(props: { worker: WorkerStatus; link: ServicesLink; now: number }) {
  const running = () => props.worker.pid !== null || props.worker.state === "backoff";
  const busy = () => props.link.busy() !== null;
  return (
    <section
      class="panel worker-panel"
      aria-label={props.worker.name}
      data-testid={`worker-${props.worker.name}`}
      data-state={props.worker.state}
    >
      <div class="panel-header">
        <h2>{props.worker.name}</h2>
        <span class="badge" data-testid="worker-state" data-state={props.worker.state}>
          {describeState(props.worker)}
        </span>
      </div>
      <dl class="worker-facts">
        <dt>Health</dt>
        <dd data-testid="worker-health" data-health={props.worker.health}>
          {describeHealth(props.worker, props.now)}
        </dd>
        <Show when={props.worker.problems.length > 0}>
          <dt>Problems</dt>
          <dd>
            <ul class="worker-problems" data-testid="worker-problems">
              <For each={props.worker.problems}>{(problem) => <li>{problem}</li>}</For>
            </ul>
          </dd>
        </Show>
        <dt>Uptime</dt>
        <dd data-testid="worker-uptime">{uptimeOf(props.worker, props.now)}</dd>
        <dt>Restarts</dt>
        <dd data-testid="worker-restarts">{props.worker.restarts}</dd>
        <dt>PID</dt>
        <dd data-testid="worker-pid">{props.worker.pid ?? "—"}</dd>
        <dt>Last error</dt>
        <dd data-testid="worker-last-error">{props.worker.last_error ?? "none"}</dd>
      </dl>
      <div class="button-row">
        <button
          type="button"
          class="button"
          disabled={busy() || running()}
          onClick={() => void props.link.run("worker:start", props.worker.name)}
        >
          Start
        </button>
        <button
          type="button"
          class="button"
          disabled={busy() || !running()}
          onClick={() => void props.link.run("worker:stop", props.worker.name)}
        >
          Stop
        </button>
        <button
          type="button"
          class="button"
          disabled={busy()}
          onClick={() => void props.link.run("worker:restart", props.worker.name)}
        >
          Restart
        </button>
      </div>
      <details class="worker-logs">
        <summary>Last {props.worker.logs.length} log lines</summary>
        <pre data-testid="worker-logs">{props.worker.logs.join("\n")}</pre>
      </details>
    </section>
  );
}
