/**
 * The workers the hub supervises, as its health reports them: each one's state and health, and
 * the ones that make the hub degraded (failed, or long unwell) marked. The Services view has the
 * rest (problems, logs) and the controls.
 */
import type { HubHealth } from "@landale/shared";
import { For, Show } from "solid-js";

type WorkerBrief = HubHealth["workers"][number];

/** `running, healthy`; a worker that is not running says only its state. */
function describeWorker(worker: WorkerBrief): string {
  return worker.state === "running" ? `running, ${worker.health}` : worker.state;
}

export function WorkersPanel(props: { health: HubHealth | null }) {
  return (
    <section class="panel" aria-labelledby="workers-title">
      <h2 id="workers-title">Workers</h2>
      <Show when={props.health} fallback={<p class="muted">Loading…</p>}>
        {(h) => (
          <Show
            when={h().workers.length > 0}
            fallback={<p class="muted">The hub runs no workers.</p>}
          >
            <dl class="facts">
              <For each={h().workers}>
                {(worker) => (
                  <>
                    <dt>{worker.name}</dt>
                    <dd
                      data-testid={`health-worker-${worker.name}`}
                      data-state={worker.state}
                      data-warn={worker.problem !== null ? "" : undefined}
                    >
                      {describeWorker(worker)}
                    </dd>
                  </>
                )}
              </For>
            </dl>
          </Show>
        )}
      </Show>
    </section>
  );
}
