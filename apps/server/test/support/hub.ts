/** Test support: real hubs on port 0 and the official `phoenix` client, all torn down after each test. */
import { afterEach } from "bun:test";
import { createLogger } from "@landale/logger";
import { type Channel, Socket, type SocketConnectOption } from "phoenix";
import type { Config } from "../../src/config";
import { type Hub, type HubOptions, startHub } from "../../src/hub";

const hubs = new Set<Hub>();
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.disconnect();
  sockets.clear();
  await Promise.all([...hubs].map((hub) => hub.stop()));
  hubs.clear();
});

export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  port: 0,
  host: "127.0.0.1",
  token: null,
  overlayToken: null,
  allowedOrigins: [],
  logLevel: "silent",
  ...overrides,
});

export async function startTestHub(
  overrides: Partial<Config> = {},
  options?: HubOptions,
): Promise<Hub> {
  const hub = await startHub(
    testConfig(overrides),
    createLogger({ name: "test", level: "silent" }),
    options,
  );
  hubs.add(hub);
  return hub;
}

/** V1 with the official client: its JSON objects instead of the default V2 arrays. */
export const V1_OPTIONS: Partial<SocketConnectOption> = {
  vsn: "1.0.0",
  encode: (message, callback) => callback(JSON.stringify(message)),
  decode: (raw, callback) => callback(JSON.parse(raw)),
};

export function connect(hub: Hub, options: Partial<SocketConnectOption> = {}): Socket {
  const socket = new Socket(`${hub.url.replace(/^http/, "ws")}/socket`, {
    reconnectAfterMs: () => 50,
    rejoinAfterMs: () => 50,
    ...options,
  });
  socket.connect();
  sockets.add(socket);
  return socket;
}

export interface ReplyOf {
  status: "ok" | "error" | "timeout";
  response: unknown;
}

export function join(channel: Channel): Promise<ReplyOf> {
  return new Promise((resolve) => {
    channel
      .join()
      .receive("ok", (response) => resolve({ status: "ok", response }))
      .receive("error", (response) => resolve({ status: "error", response }))
      .receive("timeout", () => resolve({ status: "timeout", response: null }));
  });
}

export function push(channel: Channel, event: string, payload: object): Promise<ReplyOf> {
  return new Promise((resolve) => {
    channel
      .push(event, payload)
      .receive("ok", (response) => resolve({ status: "ok", response }))
      .receive("error", (response) => resolve({ status: "error", response }))
      .receive("timeout", () => resolve({ status: "timeout", response: null }));
  });
}

/** Resolves with the close event the next time the socket's connection closes. */
export function nextClose(socket: Socket): Promise<CloseEvent> {
  return new Promise((resolve) => {
    const ref = socket.onClose((event) => {
      socket.off([ref]);
      resolve(event);
    });
  });
}

/** Resolves when the socket's connection fails or closes without ever opening. */
export function nextError(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const ref = socket.onError(() => {
      socket.off([ref]);
      resolve();
    });
  });
}

export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return fetch(url, {
    headers: {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version": "13",
      ...headers,
    },
  }).then((response) => response.status);
}
