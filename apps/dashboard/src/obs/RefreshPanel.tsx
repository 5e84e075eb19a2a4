/**
 * "Refresh overlays": the hub presses "Refresh cache of current page" on every OBS browser source
 * that shows one of its pages, and answers which; the list is shown until the next refresh.
 */
import { ObsRefreshed } from "@landale/shared";
import { createSignal, For, Show } from "solid-js";
import { createObsCommands, type ObsLink } from "./store";

export function RefreshPanel(props: { link: ObsLink; blocked: string | null }) {
  const commands = createObsCommands(props.link);
  const [refreshed, setRefreshed] = createSignal<string[] | null>(null);

  async function refresh(): Promise<void> {
    setRefreshed(null);
    const reply = await commands.run("obs:refresh_browser_sources", {}, ObsRefreshed);
    if (reply !== null) setRefreshed(reply.refreshed);
  }

  return (
    <section class="panel obs-refresh" aria-labelledby="obs-refresh-title">
      <div class="panel-header">
        <h2 id="obs-refresh-title">Overlays in OBS</h2>
      </div>
      <p class="muted">
        Reloads every browser source showing one of this hub's pages, skipping the cache — after
        changing an overlay, or when one looks stuck.
      </p>
      <div class="button-row">
        <button
          type="button"
          class="button"
          data-testid="obs-refresh-overlays"
          disabled={props.blocked !== null || commands.busy() !== null}
          onClick={() => void refresh()}
        >
          {commands.busy() === null ? "Refresh overlays" : "Refreshing…"}
        </button>
      </div>
      <Show when={props.blocked}>{(reason) => <p class="panel-note">{reason()}</p>}</Show>
      <Show when={refreshed()}>
        {(names) => (
          <div data-testid="obs-refresh-result" data-count={names().length} role="status">
            <Show
              when={names().length > 0}
              fallback={
                <p class="notice" data-tone="warn">
                  No browser source in OBS shows this hub's pages, so nothing was refreshed. Add the
                  overlays as browser sources with this hub's address.
                </p>
              }
            >
              <p>
                Refreshed{" "}
                {names().length === 1 ? "1 browser source" : `${names().length} browser sources`}:
              </p>
              <ul class="obs-refreshed">
                <For each={names()}>
                  {(name) => (
                    <li class="mono" data-testid="obs-refreshed-source" data-source={name}>
                      {name}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
      <Show when={commands.error()}>
        {(message) => (
          <p class="notice" data-tone="danger" role="alert" data-testid="obs-refresh-error">
            {message()}
          </p>
        )}
      </Show>
    </section>
  );
}
