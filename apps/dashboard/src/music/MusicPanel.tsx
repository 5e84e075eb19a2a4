/**
 * Now playing from Rainwave, in the Layers view: what the streamer hears (or that they tuned
 * out), the poller's state and problem in the hub's words, a switch and a station picker
 * (`rainwave:set_enabled`, `rainwave:set_station`). The status is the last `integration_status`
 * the hub pushed for Rainwave, read once with `rainwave:get_status` when the panel opens.
 */
import {
  DASHBOARD,
  PUSH,
  RAINWAVE_STATION_NAMES,
  RAINWAVE_STATIONS,
  RainwaveStatus,
} from "@landale/shared";
import { createSignal, For, onCleanup, Show } from "solid-js";
import { askHub, useSession } from "../hub/session";
import { describeMusic } from "./music";
import "./music.css";

export function MusicPanel() {
  const { client } = useSession();
  const [status, setStatus] = createSignal<RainwaveStatus | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let alive = true;
  onCleanup(() => {
    alive = false;
  });
  onCleanup(
    client.subscribe(DASHBOARD, PUSH.integrationStatus, (pushed) => {
      if (pushed.integration === "rainwave") setStatus(pushed.status);
    }),
  );
  void askHub(client, DASHBOARD, "rainwave:get_status", {}, RainwaveStatus).then((outcome) => {
    if (!alive) return;
    if (outcome.ok) setStatus((before) => before ?? outcome.value);
    else setError(outcome.error.message);
  });

  async function ask(event: "rainwave:set_enabled" | "rainwave:set_station", payload: object) {
    setBusy(true);
    setError(null);
    const outcome = await askHub(client, DASHBOARD, event, payload, RainwaveStatus);
    if (!alive) return;
    setBusy(false);
    if (outcome.ok) setStatus(outcome.value);
    else setError(outcome.error.message);
  }

  return (
    <section class="panel music-panel" aria-labelledby="music-title" data-testid="music-panel">
      <div class="panel-header">
        <h2 id="music-title">Now playing</h2>
        <span class="badge" data-testid="rainwave-state" data-state={status()?.state ?? "unknown"}>
          {status()?.state ?? "…"}
        </span>
      </div>
      <Show when={status()} fallback={<p class="empty">Asking the hub about Rainwave…</p>}>
        {(current) => (
          <>
            <p class="music-now" data-testid="rainwave-now-playing">
              {describeMusic(current())}
            </p>
            <Show when={current().problem}>
              {(problem) => (
                <div class="notice" data-tone="warn" role="alert" data-testid="rainwave-problem">
                  <p>{problem().message}</p>
                  <p>
                    <strong>What to do:</strong> {problem().action}
                  </p>
                </div>
              )}
            </Show>
            <div class="button-row">
              <button
                type="button"
                class="button"
                data-testid="rainwave-toggle"
                aria-pressed={current().enabled}
                disabled={busy() || !current().configured}
                onClick={() => void ask("rainwave:set_enabled", { enabled: !current().enabled })}
              >
                {current().enabled ? "Turn off" : "Turn on"}
              </button>
              <label class="music-station">
                Station
                <select
                  data-testid="rainwave-station"
                  disabled={busy()}
                  value={String(current().station)}
                  onChange={(event) =>
                    void ask("rainwave:set_station", { station: Number(event.currentTarget.value) })
                  }
                >
                  <For each={RAINWAVE_STATIONS}>
                    {(station) => (
                      <option value={String(station)}>{RAINWAVE_STATION_NAMES[station]}</option>
                    )}
                  </For>
                </select>
              </label>
            </div>
          </>
        )}
      </Show>
      <Show when={error()}>
        {(message) => (
          <p class="notice" data-tone="danger" role="alert" data-testid="rainwave-error">
            {message()}
          </p>
        )}
      </Show>
    </section>
  );
}
