/**
 * A fake Twitch EventSub over WebSocket for tests, on its own server: the WebSocket protocol and
 * the Helix subscriptions endpoint (`eventsub-sessions.ts`), accepting any bearer token unless one
 * is pinned. `startFakeTwitch` (`fake.ts`) mounts the same server beside OAuth and Helix.
 */
import type { Server } from "bun";
import { createEventSub, type EventSubCore } from "./eventsub-sessions";
import type { EventSubControls, EventSubSettings, SocketData } from "./eventsub-types";
import { helixError } from "./wire";

export {
  EVENTSUB_CLOSE,
  type EventSubControls,
  type EventSubSettings,
  type EventSubTimings,
  type FakeSession,
  type FakeSubscription,
  type RevocationStatus,
  type SubscriptionStatus,
} from "./eventsub-types";

export interface FakeEventSubOptions extends EventSubSettings {
  /** When set, the bearer token the API accepts (any non-empty token otherwise). */
  accessToken?: string;
  /** When set, the Client-Id the API accepts (any non-empty id otherwise). */
  clientId?: string;
}

export interface FakeEventSub extends EventSubControls {
  /** The WebSocket URL (TWITCH_EVENTSUB_WS_URL). */
  readonly url: string;
  /** The Helix base URL (TWITCH_API_URL), e.g. http://127.0.0.1:1234/helix. */
  readonly apiUrl: string;
  stop(): Promise<void>;
}

export function startFakeEventSub(options: FakeEventSubOptions = {}): FakeEventSub {
  let base = "";
  const core = createEventSub({
    ...options,
    wsUrl: () => `ws://${base}/ws`,
    authorize(request) {
      const bearer = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
      const clientId = request.headers.get("client-id") ?? "";
      const pinned =
        (options.accessToken === undefined || bearer === options.accessToken) &&
        (options.clientId === undefined || clientId === options.clientId);
      if (!bearer || clientId === "" || !pinned) {
        return helixError(401, "Unauthorized", "OAuth token and Client-Id are required");
      }
      return { owner: null };
    },
  });

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request, srv) {
      const url = new URL(request.url);
      if (url.pathname === "/ws") return core.upgrade(request, srv, url);
      if (url.pathname === "/helix/eventsub/subscriptions") return core.api(request, url);
      return helixError(404, "Not Found", "not found");
    },
    websocket: core.websocket,
  });
  base = `127.0.0.1:${server.port}`;

  let stopped: Promise<void> | null = null;
  return {
    ...eventSubControls(core),
    url: `ws://${base}/ws`,
    apiUrl: `http://${base}/helix`,
    stop() {
      stopped ??= (async () => {
        core.close();
        await server.stop(true);
      })();
      return stopped;
    },
  };
}

/** Only the test-facing controls of a core, for spreading onto a fake's public object. */
export function eventSubControls(core: EventSubCore): EventSubControls {
  const {
    sessions,
    subscriptions,
    notify,
    sendRaw,
    reconnect,
    revoke,
    disconnect,
    stopKeepalives,
  } = core;
  return {
    sessions,
    subscriptions,
    notify,
    sendRaw,
    reconnect,
    revoke,
    disconnect,
    stopKeepalives,
  };
}
