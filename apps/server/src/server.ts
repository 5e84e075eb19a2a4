/**
 * The hub's one `Bun.serve` (HTTP and the channel socket on one port). It listens at once, checks
 * every request's Host before anything else (also while starting, also socket upgrades), takes
 * the full app with `serve()` when the hub is ready, and stops with a grace period.
 */
import type { Server } from "bun";
import type { AuthOptions } from "./auth";
import { refuseHost } from "./http/auth";

export const SOCKET_PATH = "/socket/websocket";
/** How long `stop()` waits for open connections to finish before cutting them. */
const STOP_GRACE_MS = 5_000;

export type Fetch = (
  request: Request,
  server: Server<unknown>,
) => Response | undefined | Promise<Response | undefined>;

export interface HubServer {
  /** Base URL, e.g. `http://127.0.0.1:7175`. */
  readonly url: string;
  readonly port: number;
  /** Answers every request from now on with `fetch` (after the Host check). */
  serve(fetch: Fetch): void;
  /** Lets open connections finish for a grace period, then cuts them. */
  stop(): Promise<void>;
}

export function listen(
  config: AuthOptions & { port: number; host: string },
  websocket: Bun.WebSocketHandler<unknown>,
  fetch: Fetch,
): HubServer {
  const guarded =
    (next: Fetch): Fetch =>
    (request, server) =>
      refuseHost(config, request) ?? next(request, server);
  const server: Server<unknown> = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: guarded(fetch),
    websocket,
  });
  const port = server.port ?? config.port;
  return {
    url: `http://${formatHost(config.host)}:${port}`,
    port,
    serve: (next) => server.reload({ fetch: guarded(next), websocket }),
    async stop() {
      const grace = setTimeout(() => server.stop(true), STOP_GRACE_MS);
      await server.stop();
      clearTimeout(grace);
    },
  };
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
