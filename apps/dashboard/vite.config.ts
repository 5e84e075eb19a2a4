/**
 * Builds the dashboard as one single-page app under `/dashboard/` (`dist/index.html` plus hashed
 * `dist/assets/*`), which the hub serves for any path below `/dashboard/`. The dev server proxies
 * the hub's socket and API so `vite` works against a hub on its default port.
 */
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const HUB = "http://127.0.0.1:7175";

export default defineConfig({
  base: "/dashboard/",
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
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
