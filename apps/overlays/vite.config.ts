/**
 * Builds one HTML page per overlay under `/overlays/` — `dist/<page>/index.html` plus shared
 * `dist/assets/*` — which the hub serves at `GET /overlays/<page>`. The dev server proxies the
 * hub's socket and API so a page under `vite` talks to a hub on its default port.
 */
import { resolve } from "node:path";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { PAGES } from "./src/page/pages.ts";

const HUB = "http://127.0.0.1:7175";

export default defineConfig({
  base: "/overlays/",
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // OBS's browser source is an embedded Chromium that lags the desktop browser.
    target: "chrome103",
    rolldownOptions: {
      input: Object.fromEntries(
        PAGES.map((page) => [page, resolve(import.meta.dirname, page, "index.html")]),
      ),
    },
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      // The hub checks the Host and Origin of sockets and API calls: under the proxy the page's
      // origin is the dev server's, so both are rewritten to the hub's own.
      "/socket": { target: HUB, ws: true, changeOrigin: true, rewriteWsOrigin: true },
      "/api": { target: HUB, changeOrigin: true, headers: { origin: HUB } },
    },
  },
});
