/**
 * The server under test: Bun.serve with `@landale/channels` serving one topic the bench broadcasts
 * to. Given a Redis channel as its second argument, it shares broadcasts through the Redis adapter
 * on that channel (the Redis on 127.0.0.1:6379).
 */
import { createChannelServer, createRedisAdapter, createRouter, ok } from "@landale/channels";
import { exitWithParent, lifetimeFromArgv } from "../lib/lifetime";
import { announceReady, CONTROL_PREFIX, createBroadcaster, createControlHandler } from "./control";
import { DEFAULT_LIFETIME_MS, HOSTNAME } from "./server-options";
import { EVENT, SOCKET_PATH, TOPIC } from "./wire";

exitWithParent(lifetimeFromArgv(DEFAULT_LIFETIME_MS));

const router = createRouter().channel(TOPIC, { join: () => ok() });
const redisChannel = process.argv[3];
const adapter =
  redisChannel === undefined ? undefined : createRedisAdapter({ channel: redisChannel });
const channels = createChannelServer({ router, adapter });
const broadcaster = createBroadcaster((payload) => channels.broadcast(TOPIC, EVENT, payload));
const control = createControlHandler({
  broadcaster,
  connections: () => channels.stats().connections,
  serverStats: () => ({ ...channels.stats() }),
});

const server = Bun.serve({
  hostname: HOSTNAME,
  port: 0,
  fetch(request, bunServer) {
    const { pathname } = new URL(request.url);
    if (pathname === SOCKET_PATH) return channels.upgrade(request, bunServer);
    if (pathname.startsWith(CONTROL_PREFIX)) return control(request);
    return new Response("not found", { status: 404 });
  },
  websocket: channels.websocket,
});

announceReady(server.port);
