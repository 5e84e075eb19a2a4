import { describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@landale/logger";
import { DASHBOARD, EVENTS, PUSH } from "@landale/shared";
import { freePort } from "@landale/testkit";
import { startHub } from "../src/hub";
import {
  connect,
  joinChannel,
  nextClose,
  nextError,
  push,
  startTestHub,
  testConfig,
  upgradeStatus,
  useTestDatabase,
  V1_OPTIONS,
} from "./support/hub";

const database = useTestDatabase("pglite");
const start = (
  overrides: Parameters<typeof startTestHub>[0] = {},
  options: Parameters<typeof startTestHub>[1] = {},
) => startTestHub(overrides, { database: database.current, ...options });

describe("hub HTTP", () => {
  it("answers /health and /ready once started", async () => {
    const hub = await start();
    const health = await fetch(`${hub.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${hub.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("answers an unknown route with the error body", async () => {
    const hub = await start();
    const response = await fetch(`${hub.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: "not_found", message: "no route for GET /nope" });
  });
});

describe.each([
  ["V2", {}],
  ["V1", V1_OPTIONS],
] as const)("events channels over %s", (_name, options) => {
  it("joins events:all and echoes a ping", async () => {
    const hub = await start();
    const channel = connect(hub, options).channel(EVENTS.topic("all").name);
    expect(await joinChannel(channel)).toEqual({ status: "ok", response: { filter: "all" } });
    expect(await push(channel, "ping", { n: 1, nested: { ok: true } })).toEqual({
      status: "ok",
      response: { n: 1, nested: { ok: true } },
    });
  });

  it("refuses an unknown filter and names the allowed ones", async () => {
    const hub = await start();
    const reply = await joinChannel(connect(hub, options).channel(`${EVENTS.prefix}nope`));
    expect(reply.status).toBe("error");
    expect(reply.response).toMatchObject({
      code: "unknown_filter",
      details: {
        allowed: expect.arrayContaining([EVENTS.topic("all").name, EVENTS.topic("twitch").name]),
      },
    });
  });

  it("answers an event the channel does not take with an error", async () => {
    const hub = await start();
    const channel = connect(hub, options).channel(EVENTS.topic("obs").name);
    await joinChannel(channel);
    const reply = await push(channel, "dance", {});
    expect(reply).toMatchObject({ status: "error", response: { code: "unhandled_event" } });
  });
});

describe("binary frames", () => {
  it("echoes a binary ping as a binary reply", async () => {
    const hub = await start();
    const channel = connect(hub).channel(EVENTS.topic("all").name);
    await joinChannel(channel);
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const reply = await push(channel, "ping", bytes.buffer as ArrayBuffer);
    expect(reply.status).toBe("ok");
    expect(reply.response).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(reply.response as ArrayBuffer)]).toEqual([...bytes]);
  });
});

describe("socket admission", () => {
  it("refuses an unsupported vsn with 403", async () => {
    const hub = await start();
    expect(await upgradeStatus(`${hub.url}/socket/websocket?vsn=3.0.0`)).toBe(403);
    expect(await upgradeStatus(`${hub.url}/socket/websocket?vsn=2.0.0`)).toBe(101);
  });

  it("requires the token when one is configured, from params or the authToken subprotocol", async () => {
    const token = "control-token-0123456789";
    const overlayToken = "overlay-token-0123456789";
    const hub = await start({ token, overlayToken });
    const socketUrl = `${hub.url}/socket/websocket?vsn=2.0.0`;
    expect(await upgradeStatus(socketUrl)).toBe(403);
    expect(await upgradeStatus(`${socketUrl}&token=wrong-token-0123456789`)).toBe(403);
    expect(await upgradeStatus(`${socketUrl}&token=${token}`)).toBe(101);
    expect(await upgradeStatus(`${socketUrl}&token=${overlayToken}`)).toBe(101);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);

    const refused = connect(hub, { params: { token: "wrong-token-0123456789" } });
    await nextError(refused);
    expect(refused.isConnected()).toBe(false);

    const channel = connect(hub, { authToken: token }).channel(EVENTS.topic("all").name);
    expect((await joinChannel(channel)).status).toBe("ok");
  });

  it("admits its own origin and allowed origins, and refuses others", async () => {
    const hub = await start({ allowedOrigins: ["https://dash.example"] });
    const socketUrl = `${hub.url}/socket/websocket`;
    expect(await upgradeStatus(socketUrl, { Origin: "https://evil.example" })).toBe(403);
    expect(await upgradeStatus(socketUrl, { Origin: "https://dash.example" })).toBe(101);
    expect(await upgradeStatus(socketUrl, { Origin: hub.url })).toBe(101);
  });
});

describe(DASHBOARD.name, () => {
  it("pushes the hub's health on join to the control scope, and refuses overlays", async () => {
    const token = "control-token-0123456789";
    const overlayToken = "overlay-token-0123456789";
    const hub = await start({ token, overlayToken });
    const channel = connect(hub, { params: { token } }).channel(DASHBOARD.name);
    const health = new Promise<unknown>((resolve) => channel.on(PUSH.healthUpdate, resolve));
    expect((await joinChannel(channel)).status).toBe("ok");
    expect(await health).toMatchObject({ status: "ok", database: { engine: "pglite" } });
    const overlay = connect(hub, { params: { token: overlayToken } }).channel(DASHBOARD.name);
    expect(await joinChannel(overlay)).toMatchObject({
      status: "error",
      response: { code: "forbidden" },
    });
  });
});

describe("while starting", () => {
  it("serves the pages at once and answers the API and sockets with 503 until the database is up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "landale-overlays-"));
    mkdirSync(join(dir, "omnibar"));
    writeFileSync(join(dir, "omnibar", "index.html"), "<html>omnibar</html>");
    const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/none`;
    const logger = createLogger({ name: "test", level: "silent" });
    const hub = await startHub(testConfig({ databaseUrl: nowhere }), logger, { overlaysDir: dir });
    try {
      expect((await fetch(`${hub.url}/ready`)).status).toBe(503);
      expect(await (await fetch(`${hub.url}/overlays/omnibar`)).text()).toBe(
        "<html>omnibar</html>",
      );
      const api = await fetch(`${hub.url}/api/stream/state`);
      expect(api.status).toBe(503);
      expect(await api.json()).toMatchObject({ code: "starting" });
      expect(await upgradeStatus(`${hub.url}/socket/websocket?vsn=2.0.0`)).toBe(503);
    } finally {
      await hub.stop();
    }
  });
});

describe("built front-ends", () => {
  it("serves overlay pages by name and their assets, and nothing outside the build", async () => {
    const dir = mkdtempSync(join(tmpdir(), "landale-overlays-"));
    mkdirSync(join(dir, "omnibar"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "omnibar", "index.html"), "<html>omnibar</html>");
    writeFileSync(join(dir, "assets", "app-1234.js"), "console.log(1)");
    const hub = await startTestHub({}, { database: database.current, overlaysDir: dir });
    const page = await fetch(`${hub.url}/overlays/omnibar`);
    expect(await page.text()).toBe("<html>omnibar</html>");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const asset = await fetch(`${hub.url}/overlays/assets/app-1234.js`);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${hub.url}/overlays/nope`)).status).toBe(404);
    expect((await fetch(`${hub.url}/overlays/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it("answers any dashboard path with the app, so its own routes survive a reload", async () => {
    const dir = mkdtempSync(join(tmpdir(), "landale-dashboard-"));
    writeFileSync(join(dir, "index.html"), "<html>dashboard</html>");
    const hub = await start({}, { dashboardDir: dir });
    expect(await (await fetch(`${hub.url}/dashboard/`)).text()).toBe("<html>dashboard</html>");
    expect(await (await fetch(`${hub.url}/dashboard/queue`)).text()).toBe("<html>dashboard</html>");
    expect((await fetch(`${hub.url}/dashboard/assets/missing.js`)).status).toBe(404);
  });

  it("says the overlays are not built yet instead of a bare 404", async () => {
    const hub = await startTestHub(
      {},
      { database: database.current, overlaysDir: "/nonexistent/landale" },
    );
    const response = await fetch(`${hub.url}/overlays/omnibar`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "not_built" });
  });
});

describe("restart", () => {
  it("closes sockets with 1001 on stop, and the client rejoins when the hub is back", async () => {
    const hub = await start();
    const socket = connect(hub);
    const channel = socket.channel(EVENTS.topic("all").name);
    await joinChannel(channel);

    const closed = nextClose(socket);
    await hub.stop();
    expect((await closed).code).toBe(1001);

    const rejoined = new Promise<void>((resolve) => {
      const ref = socket.onOpen(() => {
        socket.off([ref]);
        resolve();
      });
    });
    await start({ port: hub.port });
    await rejoined;
    // A push made before the rejoin completes waits for it; a channel not rejoined gets an error.
    const reply = await push(channel, "ping", { after: "restart" });
    expect(reply).toEqual({ status: "ok", response: { after: "restart" } });
    expect(channel.state).toBe("joined");
  });
});
