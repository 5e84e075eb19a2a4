/** Test support: real hubs on port 0 and the official `phoenix` client, all torn down after each test. */
import { afterAll, beforeAll, onTestFinished } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database, Engine } from "@landale/db";
import { openTestDatabase, type TestDatabase } from "@landale/db/testing";
import { createLogger } from "@landale/logger";
import { HubHealth } from "@landale/shared";
import { sql } from "drizzle-orm";
import { type Channel, Socket, type SocketConnectOption } from "phoenix";
import type { Config } from "../../src/config";
import { type Hub, type HubOptions, startHub } from "../../src/hub";

const hubs = new Set<Hub>();
const sockets = new Set<Socket>();
let cleanupRegistered = false;

/**
 * Disconnects the test's sockets, then stops its hubs, when the test finishes. Not a module-level
 * `afterEach`: bun evaluates this module once per run, so such a hook would only ever be attached
 * to the first test file that imports it, and every other file's hubs would keep running.
 */
function cleanUpAfterThisTest(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  onTestFinished(async () => {
    cleanupRegistered = false;
    for (const socket of sockets) socket.disconnect();
    sockets.clear();
    await Promise.all([...hubs].map((hub) => hub.stop()));
    hubs.clear();
  });
}

export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  port: 0,
  host: "127.0.0.1",
  token: null,
  overlayToken: null,
  allowedOrigins: [],
  allowedHosts: [],
  logLevel: "silent",
  databaseUrl: null,
  dataDir: mkdtempSync(join(tmpdir(), "landale-hub-")),
  batchWindowMs: 50,
  maxPending: 20_000,
  maxPendingBytes: 16 * 1024 * 1024,
  retentionDays: 90,
  omnibarHiddenScenes: [],
  categoryShows: [],
  twitchEventSubSecret: null,
  twitch: {
    clientId: null,
    clientSecret: null,
    authUrl: "https://id.twitch.tv/oauth2",
    apiUrl: "https://api.twitch.tv/helix",
    eventSubWsUrl: "wss://eventsub.wss.twitch.tv/ws",
  },
  secretKey: null,
  // Nothing listens on port 1: a test hub never reaches a real OBS on this machine.
  obs: { url: "ws://127.0.0.1:1", password: null, requestTimeoutMs: 5000 },
  // No credentials: a test hub polls Rainwave only when a test gives it a fake's.
  rainwave: { userId: null, apiKey: null, station: 3, apiUrl: "http://127.0.0.1:1/api4" },
  // A free port each: hubs of parallel test files never fight over 8080.
  ironmon: { port: 0, host: "127.0.0.1", maxConnections: 16 },
  exitWithParent: false,
  workerToken: null,
  ...overrides,
});

/** Starts a hub and waits until it is ready. */
export async function startTestHub(
  overrides: Partial<Config> = {},
  options?: HubOptions,
): Promise<Hub> {
  const logger = createLogger({ name: "test", level: "silent" });
  const hub = await startHub(testConfig(overrides), logger, options);
  hubs.add(hub);
  cleanUpAfterThisTest();
  await hub.ready;
  return hub;
}

/**
 * One migrated database for a whole test file (opening PGlite takes seconds), emptied with
 * `reset()`. Call inside a `describe`.
 */
export function useTestDatabase(engine: Engine): {
  readonly current: Database;
  reset(): Promise<void>;
} {
  let test: TestDatabase | null = null;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await test?.dispose();
  });
  const current = () => {
    if (test === null) throw new Error("the test database is not open yet");
    return test.database;
  };
  return {
    get current() {
      return current();
    },
    async reset() {
      await current().rows(
        sql`TRUNCATE events, transcriptions, contexts, stream_state, twitch_grants, integration_settings, ironmon_results, ironmon_runs`,
      );
    },
  };
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
  cleanUpAfterThisTest();
  return socket;
}

export interface ReplyOf {
  status: "ok" | "error" | "timeout";
  response: unknown;
}

export function joinChannel(channel: Channel): Promise<ReplyOf> {
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

/**
 * `POST /api/events` with `body` as JSON (a string is sent as it is, to send what is not JSON):
 * the status and the parsed answer.
 */
export async function postEvents(hub: Hub, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${hub.url}/api/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `GET /api/health`, parsed by its schema. */
export async function healthOf(hub: Hub): Promise<HubHealth> {
  return HubHealth.parse(await (await fetch(`${hub.url}/api/health`)).json());
}
