/**
 * The hub's trust boundary as a web page, a rebinding attacker and a script meet it: Host, Origin
 * and content type on the API, the socket and the pages; bad paths and wrong methods.
 */
import { describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@landale/logger";
import { freePort } from "@landale/testkit";
import { type Hub, startHub } from "../src/hub";
import { startTestHub, testConfig, upgradeStatus, useTestDatabase } from "./support/hub";

const database = useTestDatabase("pglite");
const start = (
  overrides: Parameters<typeof startTestHub>[0] = {},
  options: Parameters<typeof startTestHub>[1] = {},
) => startTestHub(overrides, { database: database.current, ...options });

const JSON_TYPE = { "content-type": "application/json" };
const follow = (name: string) => ({
  type: "channel.follow",
  data: {
    user_id: name,
    user_login: name.toLowerCase(),
    user_name: name,
    broadcaster_user_id: "1",
    broadcaster_user_login: "streamer",
    broadcaster_user_name: "Streamer",
    followed_at: "2026-11-21T12:00:00Z",
  },
});

async function send(hub: Hub, path: string, init: RequestInit = {}) {
  const response = await fetch(`${hub.url}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === "" ? null : JSON.parse(text)) as Record<string, unknown> | null,
  };
}

async function storedEvents(hub: Hub): Promise<number> {
  const { body } = await send(hub, "/api/activity/events?limit=100");
  return (body as { events: unknown[] }).events.length;
}

describe("API writes from other web pages", () => {
  it("refuses a JSON POST from another site's page with 403, and stores nothing", async () => {
    await database.reset();
    const hub = await start();
    const injected = await send(hub, "/api/events", {
      method: "POST",
      headers: { ...JSON_TYPE, origin: "http://evil.example" },
      body: JSON.stringify(follow("Mallory")),
    });
    expect(injected.status).toBe(403);
    expect(injected.body).toMatchObject({ code: "origin_not_allowed" });
    expect(injected.body?.message).toContain("LANDALE_ALLOWED_ORIGINS");
    const takeover = await send(hub, "/api/stream/takeover", {
      method: "POST",
      headers: { ...JSON_TYPE, origin: "http://evil.example" },
      body: JSON.stringify({ type: "technical-difficulties" }),
    });
    expect(takeover.status).toBe(403);
    expect((await send(hub, "/api/stream/state")).body).toMatchObject({ takeover: null });
    expect(await storedEvents(hub)).toBe(0);
  });

  it("refuses a text/plain POST with 415 naming application/json, even from no page", async () => {
    await database.reset();
    const hub = await start();
    const response = await send(hub, "/api/events", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(follow("Mallory")),
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ code: "unsupported_media_type" });
    expect(response.body?.message).toContain("application/json");
    expect(response.headers.get("accept")).toBe("application/json");
    expect(await storedEvents(hub)).toBe(0);
  });

  it("refuses form-encoded and multipart POSTs with 415", async () => {
    await database.reset();
    const hub = await start();
    const form = await send(hub, "/api/events", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `${JSON.stringify(follow("Mallory"))}=`,
    });
    expect(form.status).toBe(415);
    const data = new FormData();
    data.set("event", JSON.stringify(follow("Mallory")));
    const multipart = await send(hub, "/api/events", { method: "POST", body: data });
    expect(multipart.status).toBe(415);
    expect(await storedEvents(hub)).toBe(0);
  });

  it("refuses a body-less command without the JSON content type, and runs it with", async () => {
    const hub = await start();
    const bare = await send(hub, "/api/stream/queue/clear", { method: "POST" });
    expect(bare.status).toBe(415);
    const clearTakeover = await send(hub, "/api/stream/takeover", { method: "DELETE" });
    expect(clearTakeover.status).toBe(415);
    const typed = await send(hub, "/api/stream/queue/clear", {
      method: "POST",
      headers: JSON_TYPE,
    });
    expect(typed.status).toBe(200);
    const charset = await send(hub, "/api/stream/queue/clear", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(charset.status).toBe(200);
  });

  it("admits the hub's own pages and allowed origins, and `null` only when listed", async () => {
    await database.reset();
    const hub = await start({ allowedOrigins: ["https://deck.example"] });
    const post = (origin: string) =>
      send(hub, "/api/events", {
        method: "POST",
        headers: { ...JSON_TYPE, origin },
        body: JSON.stringify(follow("Ada")),
      });
    expect((await post(hub.url)).status).toBe(202);
    expect((await post("https://deck.example")).status).toBe(202);
    expect((await post("null")).status).toBe(403);
    expect((await post("http://127.0.0.1:1")).status).toBe(403);
    const reads = await send(hub, "/api/stream/state", { headers: { origin: "null" } });
    expect(reads.status).toBe(403);

    const sandboxed = await start({ allowedOrigins: ["null"] });
    const fromSandbox = await send(sandboxed, "/api/stream/state", { headers: { origin: "null" } });
    expect(fromSandbox.status).toBe(200);
  });
});

describe("DNS rebinding", () => {
  it("answers 421 to a Host the hub is not, on the API, the socket and the pages", async () => {
    const hub = await start();
    const rebound = `evil.example:${hub.port}`;
    const headers = { host: rebound, origin: `http://${rebound}` };
    const api = await send(hub, "/api/stream/state", { headers });
    expect(api.status).toBe(421);
    expect(api.body).toMatchObject({ code: "host_not_allowed" });
    expect(api.body?.message).toContain("LANDALE_ALLOWED_HOSTS");
    const write = await send(hub, "/api/events", {
      method: "POST",
      headers: { ...headers, ...JSON_TYPE },
      body: JSON.stringify(follow("Mallory")),
    });
    expect(write.status).toBe(421);
    expect(await upgradeStatus(`${hub.url}/socket/websocket?vsn=2.0.0`, headers)).toBe(421);
    expect((await send(hub, "/dashboard/", { headers })).status).toBe(421);
    expect((await send(hub, "/overlays/omnibar", { headers })).status).toBe(421);

    // The hub's own origin, and clients that send none, still get their socket.
    const socketUrl = `${hub.url}/socket/websocket?vsn=2.0.0`;
    expect(await upgradeStatus(socketUrl, { origin: hub.url })).toBe(101);
    expect(await upgradeStatus(socketUrl)).toBe(101);
    const local = `localhost:${hub.port}`;
    expect(await upgradeStatus(socketUrl, { host: local, origin: `http://${local}` })).toBe(101);
  });

  it("answers 421 to a foreign Host while starting, too", async () => {
    const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/none`;
    const logger = createLogger({ name: "test", level: "silent" });
    const hub = await startHub(testConfig({ databaseUrl: nowhere }), logger);
    try {
      const headers = { host: `evil.example:${hub.port}` };
      expect((await send(hub, "/ready")).status).toBe(503);
      expect((await send(hub, "/ready", { headers })).status).toBe(421);
      expect((await send(hub, "/api/stream/state", { headers })).status).toBe(421);
      expect(await upgradeStatus(`${hub.url}/socket/websocket?vsn=2.0.0`, headers)).toBe(421);
    } finally {
      await hub.stop();
    }
  });

  it("answers to loopback names with or without the port, and to LANDALE_ALLOWED_HOSTS", async () => {
    const hub = await start({ allowedHosts: ["mybox.tailnet.ts.net"] });
    const status = async (host: string) =>
      (await send(hub, "/api/stream/state", { headers: { host } })).status;
    for (const host of ["127.0.0.1", "localhost", `localhost:${hub.port}`, `[::1]:${hub.port}`]) {
      expect(await status(host)).toBe(200);
    }
    expect(await status(`mybox.tailnet.ts.net:${hub.port}`)).toBe(200);
    expect(await status("MyBox.Tailnet.ts.net")).toBe(200);
    expect(await status(`otherbox.tailnet.ts.net:${hub.port}`)).toBe(421);
    expect(await status(`evil.example@127.0.0.1:${hub.port}`)).toBe(421);
    expect(await status(`127.0.0.2:${hub.port}`)).toBe(421);

    const tailnet = `mybox.tailnet.ts.net:${hub.port}`;
    const socketUrl = `${hub.url}/socket/websocket?vsn=2.0.0`;
    expect(await upgradeStatus(socketUrl, { host: tailnet, origin: `http://${tailnet}` })).toBe(
      101,
    );
    expect(await upgradeStatus(socketUrl, { host: tailnet, origin: "http://evil.example" })).toBe(
      403,
    );
  });
});

describe("paths and methods", () => {
  it("answers 400 to bad percent-encoding or a NUL in a page path, 404 to a too long one", async () => {
    const overlays = mkdtempSync(join(tmpdir(), "landale-overlays-"));
    mkdirSync(join(overlays, "omnibar"));
    writeFileSync(join(overlays, "omnibar", "index.html"), "<html>omnibar</html>");
    const dashboard = mkdtempSync(join(tmpdir(), "landale-dashboard-"));
    writeFileSync(join(dashboard, "index.html"), "<html>dashboard</html>");
    const hub = await start({}, { overlaysDir: overlays, dashboardDir: dashboard });
    for (const path of [
      "/overlays/%E0%A4%A",
      "/overlays/%00",
      "/dashboard/%00",
      "/dashboard/queue%00.html",
      "/dashboard/%ZZ",
    ]) {
      const response = await send(hub, path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body).toMatchObject({ code: "invalid_path" });
    }
    for (const path of [`/overlays/${"a".repeat(5000)}`, `/overlays/${"a/".repeat(3000)}`]) {
      const response = await send(hub, path);
      expect({ path: path.slice(0, 20), status: response.status }).toEqual({
        path: path.slice(0, 20),
        status: 404,
      });
    }
    // The dashboard is a single-page app: any path it cannot find is the app.
    const long = await fetch(`${hub.url}/dashboard/${"a".repeat(5000)}`);
    expect(await long.text()).toBe("<html>dashboard</html>");
    const encoded = await fetch(`${hub.url}/overlays/omni%62ar`);
    expect(await encoded.text()).toBe("<html>omnibar</html>");
  });

  it("answers 405 with Allow to a method a path does not take", async () => {
    const hub = await start();
    const cases: [string, string, string][] = [
      ["GET", "/api/events", "POST"],
      ["DELETE", "/api/stream/state", "GET, HEAD"],
      ["PUT", "/api/stream/takeover", "POST, DELETE"],
      ["OPTIONS", "/api/events", "POST"],
      ["POST", "/health", "GET, HEAD"],
      ["POST", "/dashboard/queue", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await send(hub, path, { method, headers: JSON_TYPE });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 405 });
      expect(response.headers.get("allow")).toBe(allow);
      expect(response.body).toMatchObject({ code: "method_not_allowed" });
    }
    expect((await send(hub, "/api/nope", { method: "POST", headers: JSON_TYPE })).status).toBe(404);
    // Without the token, the API says nothing about its routes.
    const guarded = await start({ token: "control-token-0123456789" });
    expect((await send(guarded, "/api/events")).status).toBe(401);
  });
});

describe("scopes on the API", () => {
  const token = "control-token-0123456789";
  const overlayToken = "overlay-token-0123456789";
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  it("lets an overlay token read past events to fill a gap, and nothing else", async () => {
    const hub = await start({ token, overlayToken });
    const posted = await send(hub, "/api/events", {
      method: "POST",
      headers: { ...JSON_TYPE, ...bearer(token) },
      body: JSON.stringify(follow("Reader")),
    });
    expect(posted.status).toBe(202);

    const read = await send(hub, "/api/activity/events?after_seq=0", {
      headers: bearer(overlayToken),
    });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).toContain("Reader");

    const write = await send(hub, "/api/events", {
      method: "POST",
      headers: { ...JSON_TYPE, ...bearer(overlayToken) },
      body: JSON.stringify(follow("Intruder")),
    });
    expect(write).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await send(hub, "/api/health", { headers: bearer(overlayToken) })).toMatchObject({
      status: 403,
    });
    expect(await send(hub, "/api/activity/events")).toMatchObject({ status: 401 });
  });
});
