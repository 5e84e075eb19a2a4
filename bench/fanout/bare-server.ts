/** The ceiling: Bun.serve and `server.publish` of the raw payload, no protocol at all. */
import type { Server } from "bun";
import { exitWithParent, lifetimeFromArgv } from "../lib/lifetime";
import { announceReady, CONTROL_PREFIX, createBroadcaster, createControlHandler } from "./control";
import { DEFAULT_LIFETIME_MS, HOSTNAME, TRANSPORT } from "./server-options";
import { SOCKET_PATH, TOPIC } from "./wire";

exitWithParent(lifetimeFromArgv(DEFAULT_LIFETIME_MS));

let connections = 0;
let server: Server<undefined> | null = null;
const broadcaster = createBroadcaster((payload) => {
  server?.publish(TOPIC, JSON.stringify(payload), false);
});
const control = createControlHandler({
  broadcaster,
  connections: () => connections,
  serverStats: () => ({ connections }),
});

server = Bun.serve<undefined>({
  hostname: HOSTNAME,
  port: 0,
  fetch(request, bunServer) {
    const { pathname } = new URL(request.url);
    if (pathname === SOCKET_PATH) {
      if (bunServer.upgrade(request, { data: undefined })) return undefined;
      return new Response("expected a WebSocket upgrade", { status: 400 });
    }
    if (pathname.startsWith(CONTROL_PREFIX)) return control(request);
    return new Response("not found", { status: 404 });
  },
  websocket: {
    open(ws) {
      connections++;
      ws.subscribe(TOPIC);
    },
    message() {},
    close() {
      connections--;
    },
    ...TRANSPORT,
  },
});

announceReady(server.port);
