/**
 * The hub: one `Bun.serve` for HTTP (Hono) and Phoenix channels on `/socket/websocket`. `startHub`
 * builds it from a config and returns a handle whose `stop()` is the graceful shutdown: stop
 * accepting, close every socket with 1001 so clients reconnect elsewhere or later, then finish.
 */
import { type ChannelServerStats, createChannelServer, createRouter } from "@landale/channels";
import type { Logger } from "@landale/logger";
import type { Server } from "bun";
import { authenticateToken, isAllowedOrigin, type Principal } from "./auth";
import { eventsChannel } from "./channels/events";
import type { Config } from "./config";
import { createHttpApp, type Lifecycle } from "./http/app";

export const SOCKET_PATH = "/socket/websocket";
/** How long `stop()` waits for open connections to finish before cutting them. */
const STOP_GRACE_MS = 5_000;

export interface Hub {
  /** Base URL, e.g. `http://127.0.0.1:7175`. */
  readonly url: string;
  readonly port: number;
  channelStats(): ChannelServerStats;
  stop(): Promise<void>;
}

export type HubConfig = Pick<Config, "port" | "host" | "token" | "overlayToken" | "allowedOrigins">;

export interface HubOptions {
  /** Overrides for tests: a shorter idle timeout, smaller limits. */
  channels?: { idleTimeoutMs?: number; maxFrameBytes?: number };
}

export async function startHub(
  config: HubConfig,
  logger: Logger,
  options: HubOptions = {},
): Promise<Hub> {
  let lifecycle: Lifecycle = "starting";
  const router = createRouter<Principal>().channel("events:*", eventsChannel);
  const channels = createChannelServer<Principal>({
    router,
    logger: logger.child({ component: "channels" }),
    authenticate: ({ token }) => authenticateToken(config, token),
    checkOrigin: (origin, request) => isAllowedOrigin(config, origin, request),
    ...options.channels,
  });
  const app = createHttpApp({ logger, lifecycle: () => lifecycle });

  const server: Server<unknown> = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch(request, bunServer) {
      if (new URL(request.url).pathname === SOCKET_PATH) {
        return channels.upgrade(request, bunServer as Parameters<typeof channels.upgrade>[1]);
      }
      return app.fetch(request, bunServer);
    },
    websocket: channels.websocket as Bun.WebSocketHandler<unknown>,
  });

  const port = server.port ?? config.port;
  const url = `http://${formatHost(config.host)}:${port}`;
  let stopping: Promise<void> | null = null;
  lifecycle = "ready";

  return {
    url,
    port,
    channelStats: () => channels.stats(),
    stop() {
      stopping ??= (async () => {
        lifecycle = "stopping";
        logger.info("hub stopping");
        channels.close();
        const grace = setTimeout(() => server.stop(true), STOP_GRACE_MS);
        await server.stop();
        clearTimeout(grace);
        logger.info("hub stopped");
      })();
      return stopping;
    },
  };
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
