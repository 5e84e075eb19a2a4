/**
 * `?debug`: the hub connection (state, attempts, queue depth, invalid payloads, last error) and
 * each layer's phase, in a corner of the canvas. Without `?debug` the page renders none of it.
 */
import { For, Show } from "solid-js";
import { useHub } from "../hub/hub";
import { LAYER_ORDER } from "../orchestrator/machine";
import { useDebugRegistry } from "./hook";

export function DebugPanel() {
  const hub = useHub();
  const debug = useDebugRegistry();
  const layers = () => debug?.layerStates() ?? {};
  return (
    <aside data-debug-panel data-connection={hub.status().state}>
      <div data-debug-row="connection">
        <span data-debug-dot />
        <strong>{hub.status().state}</strong>
        <span>attempts {hub.status().attempts}</span>
        <span>queue {hub.status().queueDepth}</span>
        <span>dropped {hub.status().dropped}</span>
        <span>invalid {hub.status().invalid}</span>
      </div>
      <Show when={hub.status().lastError}>
        {(error) => <div data-debug-row="error">{error()}</div>}
      </Show>
      <Show when={Object.keys(layers()).length > 0}>
        <div data-debug-row="layers">
          <For each={LAYER_ORDER.filter((layer) => layers()[layer] !== undefined)}>
            {(layer) => (
              <span data-debug-layer={layer} data-state={layers()[layer]}>
                {layer} <strong>{layers()[layer]}</strong>
              </span>
            )}
          </For>
        </div>
      </Show>
    </aside>
  );
}
