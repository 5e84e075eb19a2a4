/**
 * The signed-in app: one session (socket + REST), the state every view reads (the live stream
 * and queue state, the activity feed), the header with navigation and the connection status,
 * and the view the URL names. State is created here, once, so moving between views keeps the
 * feed and never re-subscribes; views only render it.
 */
import { ClientContext } from "@landale/client/solid";
import { createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { ConnectionBanner, ConnectionIndicator } from "../connection/Connection";
import { ContextView } from "../context/ContextView";
import { ActivityView } from "../feed/ActivityView";
import { createFeed } from "../feed/store";
import { HealthView } from "../health/HealthView";
import { createSession, SessionContext } from "../hub/session";
import { LayersView } from "../layers/LayersView";
import { ObsView } from "../obs/ObsView";
import { QueueView } from "../queue/QueueView";
import { ServicesView } from "../services/ServicesView";
import { SimulatorView } from "../simulator/SimulatorView";
import { createLiveState } from "../stream/live";
import { TakeoverView } from "../takeover/TakeoverView";
import { TranscriptsView } from "../transcripts/TranscriptsView";
import { TwitchView } from "../twitch/TwitchView";
import { AppContext, type AppState } from "./context";
import { NowStrip } from "./NowStrip";
import { pathOfView, VIEWS, type ViewId, viewOfPath } from "./routes";

export interface ShellProps {
  base: string;
  socketUrl: string;
  token: string | null;
  tokenRequired: boolean;
  onSignOut: () => void;
  onUnauthorized: () => void;
}

export function Shell(props: ShellProps) {
  const session = createSession({
    socketUrl: props.socketUrl,
    token: props.token,
    tokenRequired: props.tokenRequired,
    onUnauthorized: props.onUnauthorized,
    signOut: props.onSignOut,
  });
  const live = createLiveState(session.client);
  const feed = createFeed(session.client, session.api, session.status);

  const [view, setView] = createSignal<ViewId>(viewOfPath(window.location.pathname, props.base));
  const onPopState = () => setView(viewOfPath(window.location.pathname, props.base));
  window.addEventListener("popstate", onPopState);
  onCleanup(() => window.removeEventListener("popstate", onPopState));

  function navigate(next: ViewId): void {
    if (next === view()) return;
    window.history.pushState(null, "", pathOfView(next, props.base));
    setView(next);
    // Move focus to the new view's heading, as a page load would.
    queueMicrotask(() => document.getElementById("view-title")?.focus());
  }

  const app: AppState = { live, feed, navigate };

  return (
    <SessionContext.Provider value={session}>
      <ClientContext.Provider value={session.client}>
        <AppContext.Provider value={app}>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="app-header">
            <div class="brand">
              <span class="brand-mark" aria-hidden="true" />
              Landale
            </div>
            <nav aria-label="Views">
              <ul class="nav-list">
                <For each={VIEWS}>
                  {(item) => (
                    <li>
                      <a
                        class="nav-link"
                        href={pathOfView(item.id, props.base)}
                        aria-current={view() === item.id ? "page" : undefined}
                        onClick={(event) => {
                          if (
                            event.ctrlKey ||
                            event.metaKey ||
                            event.shiftKey ||
                            event.button !== 0
                          )
                            return;
                          event.preventDefault();
                          navigate(item.id);
                        }}
                      >
                        {item.label}
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </nav>
            <NowStrip />
            <ConnectionIndicator />
            <Show when={props.tokenRequired}>
              <button
                type="button"
                class="button"
                data-variant="ghost"
                data-size="small"
                onClick={props.onSignOut}
              >
                Sign out
              </button>
            </Show>
          </header>
          <ConnectionBanner />
          <main id="main" class="app-main">
            <Switch>
              <Match when={view() === "activity"}>
                <ActivityView />
              </Match>
              <Match when={view() === "queue"}>
                <QueueView />
              </Match>
              <Match when={view() === "layers"}>
                <LayersView />
              </Match>
              <Match when={view() === "takeover"}>
                <TakeoverView />
              </Match>
              <Match when={view() === "twitch"}>
                <TwitchView />
              </Match>
              <Match when={view() === "obs"}>
                <ObsView />
              </Match>
              <Match when={view() === "transcripts"}>
                <TranscriptsView />
              </Match>
              <Match when={view() === "context"}>
                <ContextView />
              </Match>
              <Match when={view() === "simulator"}>
                <SimulatorView />
              </Match>
              <Match when={view() === "services"}>
                <ServicesView />
              </Match>
              <Match when={view() === "health"}>
                <HealthView />
              </Match>
            </Switch>
          </main>
        </AppContext.Provider>
      </ClientContext.Provider>
    </SessionContext.Provider>
  );
}
