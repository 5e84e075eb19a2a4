/**
 * Each page's composition root: reads the page's URL once, writes the design tokens, opens the
 * hub client, installs the debug hook and renders the page. Disposing the root (page hide, or a
 * hot reload in development) closes the client and releases everything the page started.
 */
import { ClientContext } from "@landale/client/solid";
import { type Component, type JSX, Show } from "solid-js";
import { render } from "solid-js/web";
import { DebugPanel } from "../debug/DebugPanel";
import { DebugContext, installDebugHook } from "../debug/hook";
import { applyTokens } from "../design/tokens";
import { createHub, HubContext } from "../hub/hub";
import { type PageConfig, pageConfigFrom } from "./config";
import type { PageName } from "./pages";
import "../design/base.css";

function PageRoot(props: { page: PageName; config: PageConfig; children: JSX.Element }) {
  const debug = installDebugHook(props.page);
  const hub = createHub(props.config);
  debug.connection(hub.status);
  return (
    <DebugContext.Provider value={debug}>
      <HubContext.Provider value={hub}>
        <ClientContext.Provider value={hub.client}>
          <main data-page={props.page} data-debug={props.config.debug ? "" : undefined}>
            {props.children}
            <Show when={props.config.debug}>
              <DebugPanel />
            </Show>
          </main>
        </ClientContext.Provider>
      </HubContext.Provider>
    </DebugContext.Provider>
  );
}

export function mountPage(page: PageName, Page: Component): void {
  const root = document.getElementById("root");
  if (root === null) throw new Error("the page has no #root element");
  applyTokens(document.documentElement);
  const config = pageConfigFrom(window.location);
  const dispose = render(
    () => (
      <PageRoot page={page} config={config}>
        <Page />
      </PageRoot>
    ),
    root,
  );
  const onPageHide = () => {
    window.removeEventListener("pagehide", onPageHide);
    dispose();
  };
  window.addEventListener("pagehide", onPageHide);
  import.meta.hot?.dispose(onPageHide);
}
