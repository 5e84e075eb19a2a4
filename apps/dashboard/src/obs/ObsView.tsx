/**
 * The OBS view: the hub's link to obs-websocket, the scenes (one click puts one on program, or in
 * preview in studio mode), the stream and the recording, OBS's live stats, and a refresh of the
 * overlays' browser sources. All of it follows what the hub pushes on `dashboard:main`; nothing
 * here polls. While OBS is not connected the controls stay visible, off, with the reason.
 */
import { createMemo, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { useSession } from "../hub/session";
import { ConnectionPanel } from "./ConnectionPanel";
import { OutputsPanel } from "./OutputsPanel";
import { RefreshPanel } from "./RefreshPanel";
import { ScenesPanel } from "./ScenesPanel";
import { StatsPanel } from "./StatsPanel";
import { controlsBlocked } from "./status";
import { createObsLink } from "./store";
import "./obs.css";

export function ObsView() {
  const session = useSession();
  const link = createObsLink(session.client);
  const blocked = createMemo(() => controlsBlocked(link.status()));

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="OBS"
        lead="The hub's link to OBS, your scenes, the stream and the recording, and how OBS is keeping up."
      />
      <Show
        when={link.status()}
        fallback={
          <Show
            when={link.readError()}
            fallback={
              <p class="panel empty" role="status" data-testid="obs-loading">
                Asking the hub about OBS…
              </p>
            }
          >
            {(message) => (
              <div class="notice" data-tone="danger" role="alert" data-testid="obs-read-error">
                <p>Could not read the OBS status from the hub: {message()}</p>
                <button type="button" class="button" onClick={() => void link.refresh()}>
                  Try again
                </button>
              </div>
            )}
          </Show>
        }
      >
        {(status) => (
          <div class="obs-grid">
            <ConnectionPanel status={status()} />
            <OutputsPanel link={link} status={status()} blocked={blocked()} />
            <ScenesPanel link={link} scenes={status().scenes} blocked={blocked()} />
            <RefreshPanel link={link} blocked={blocked()} />
            <StatsPanel stats={link.stats()} connected={blocked() === null} />
          </div>
        )}
      </Show>
    </section>
  );
}
