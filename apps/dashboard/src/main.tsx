/**
 * The dashboard's composition root: reads where the hub is (the page's own origin, as the hub
 * serves it), opens the token store on `localStorage`, and renders the app. Disposing the root
 * on page hide (or a hot reload) closes the socket and every timer the app started.
 */
// The design tokens and base styles first: every view's own styles come after and refine them.
import "./design/tokens.css";
import "./design/base.css";
import "./app/app.css";
import { render } from "solid-js/web";
import { Root } from "./app/Root";
import { createTokenStore } from "./auth/token";

const root = document.getElementById("root");
if (root === null) throw new Error("the page has no #root element");

const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
const config = {
  socketUrl: `${scheme}//${window.location.host}/socket`,
  base: import.meta.env.BASE_URL,
  tokens: createTokenStore(safeLocalStorage()),
};

const dispose = render(() => <Root {...config} />, root);
const onPageHide = (event: PageTransitionEvent) => {
  // A page kept in the back/forward cache comes back as it was; dispose only on a real unload.
  if (event.persisted) return;
  window.removeEventListener("pagehide", onPageHide);
  dispose();
};
window.addEventListener("pagehide", onPageHide);
import.meta.hot?.dispose(() => dispose());

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
