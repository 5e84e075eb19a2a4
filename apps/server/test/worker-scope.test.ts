/**
 * The worker scope (`LANDALE_WORKER_TOKEN`) at each of its boundaries, through a real hub over
 * HTTP and the socket: it may ingest, submit transcriptions and stream contexts, and read events,
 * transcriptions and contexts; it may not run a stream, queue, dashboard, Twitch or OBS command,
 * nor read the hub's health. (`contexts.test.ts` has the contexts' own scope boundaries.)
 */
import { describe, expect, it } from "bun:test";
import {
  DASHBOARD,
  EVENTS,
  type EventBatch,
  INGEST,
  PUSH,
  STREAM_OVERLAYS,
  STREAM_QUEUE,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_SESSION,
} from "@landale/shared";
import type { Hub } from "../src/hub";
import { connect, joinChannel, push, startTestHub, useTestDatabase } from "./support/hub";

const CONTROL = "control-token-0123456789";
const OVERLAY = "overlay-token-0123456789";
const WORKER = "worker-token-0123456789";

const follow = {
  type: "channel.follow",
  data: {
    user_id: "42",
    user_login: "viewer",
    user_name: "Viewer",
    broadcaster_user_id: "1",
    broadcaster_user_login: "streamer",
    broadcaster_user_name: "Streamer",
    followed_at: "2026-11-21T12:00:00Z",
  },
};

const segment = {
  id: "seg-w1",
  session_id: "stream-w",
  ts: "2026-11-21T12:00:00.000Z",
  duration_ms: 1000,
  text: "the worker speaks",
};

async function call(hub: Hub, method: string, path: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the worker scope", () => {
  const database = useTestDatabase("pglite");
  const start = async (tokens: { token?: string | null } = {}) => {
    await database.reset();
    return startTestHub(
      { token: CONTROL, overlayToken: OVERLAY, workerToken: WORKER, ...tokens },
      { database: database.current },
    );
  };

  it("may ingest and read events, transcriptions and contexts over HTTP", async () => {
    const hub = await start();
    const ingested = await call(hub, "POST", "/api/events", WORKER, follow);
    expect(ingested.status).toBe(202);
    const events = await call(hub, "GET", "/api/activity/events", WORKER);
    expect(events.status).toBe(200);
    // Ingest through the worker's token is recorded as the worker's.
    expect(events.body.events).toMatchObject([{ type: "channel.follow", source: "api" }]);
    for (const path of [
      "/api/transcriptions",
      "/api/transcriptions?session=stream-w&limit=5",
      "/api/transcriptions/search?q=worker",
      "/api/transcriptions/stats",
      "/api/contexts",
      "/api/contexts/search?q=worker",
      "/api/contexts/stats?hours=1",
    ]) {
      expect({ path, status: (await call(hub, "GET", path, WORKER)).status }).toEqual({
        path,
        status: 200,
      });
    }
  });

  it("may not run a command, change the stream or read the hub's health over HTTP", async () => {
    const hub = await start();
    const refused: [string, string, unknown?][] = [
      ["POST", "/api/stream/takeover", { type: "technical-difficulties" }],
      ["DELETE", "/api/stream/takeover"],
      ["POST", "/api/stream/queue/clear", {}],
      ["POST", "/api/stream/force", { layer: "foreground", type: "note", duration: 5 }],
      ["GET", "/api/stream/state"],
      ["GET", "/api/health"],
      ["GET", "/api/activity/stats"],
      ["GET", "/api/twitch/status"],
      ["POST", "/api/twitch/device", {}],
      ["GET", "/api/twitch/channel"],
      ["GET", "/api/obs/status"],
      ["POST", "/api/obs/refresh", {}],
      ["GET", "/api/rainwave/status"],
      ["POST", "/api/rainwave/enabled", { enabled: false }],
    ];
    for (const [method, path, body] of refused) {
      const answer = await call(hub, method, path, WORKER, body);
      expect({ method, path, status: answer.status, code: answer.body.code }).toEqual({
        method,
        path,
        status: 403,
        code: "forbidden",
      });
    }
    const state = await call(hub, "GET", "/api/stream/state", CONTROL);
    expect(state.body).toMatchObject({ takeover: null });
  });

  it("keeps the overlay token off ingest and the transcriptions and contexts APIs", async () => {
    const hub = await start();
    expect((await call(hub, "POST", "/api/events", OVERLAY, follow)).status).toBe(403);
    expect((await call(hub, "GET", "/api/transcriptions", OVERLAY)).status).toBe(403);
    expect((await call(hub, "GET", "/api/transcriptions/search?q=x", OVERLAY)).status).toBe(403);
    expect((await call(hub, "GET", "/api/contexts", OVERLAY)).status).toBe(403);
    expect((await call(hub, "GET", "/api/contexts/stats", OVERLAY)).status).toBe(403);
    expect((await call(hub, "GET", "/api/activity/events", OVERLAY)).status).toBe(200);
    expect((await call(hub, "GET", "/api/transcriptions", null)).status).toBe(401);
  });

  it("stays a worker on a hub without a control token, where no token means control", async () => {
    const hub = await start({ token: null });
    expect((await call(hub, "GET", "/api/health", WORKER)).status).toBe(403);
    expect((await call(hub, "POST", "/api/events", WORKER, follow)).status).toBe(202);
    expect((await call(hub, "GET", "/api/health", null)).status).toBe(200);
  });

  it("may ingest, submit transcriptions and follow events and transcriptions on the socket", async () => {
    const hub = await start();
    const socket = connect(hub, { params: { token: WORKER } });
    const all = socket.channel(EVENTS.topic("all").name);
    const batches: EventBatch[] = [];
    all.on(PUSH.eventBatch, (batch: EventBatch) => {
      batches.push(batch);
    });
    expect((await joinChannel(all)).status).toBe("ok");

    const ingest = socket.channel(INGEST.name);
    expect((await joinChannel(ingest)).status).toBe("ok");
    const accepted = await push(ingest, "ingest", follow);
    expect(accepted).toMatchObject({ status: "ok", response: { accepted: [{ seq: 1 }] } });
    await push(all, "ping", {});

    const live = socket.channel(TRANSCRIPTION_LIVE.name);
    const session = socket.channel(TRANSCRIPTION_SESSION.topic("stream-w").name);
    expect((await joinChannel(live)).status).toBe("ok");
    expect((await joinChannel(session)).status).toBe("ok");
    expect(await push(live, "submit_transcription", segment)).toEqual({
      status: "ok",
      response: { id: "seg-w1", stored: true },
    });
    expect(await push(session, "get_session_transcriptions", { limit: 5 })).toMatchObject({
      status: "ok",
      response: { count: 1, transcriptions: [{ id: "seg-w1" }] },
    });
    const stored = await call(hub, "GET", "/api/activity/events", CONTROL);
    // On the socket, the worker scope is recorded as the source.
    expect(stored.body.events).toMatchObject([{ source: "worker" }]);
    expect(batches.flatMap((batch) => batch.events).map((event) => event.type)).toContain(
      "channel.follow",
    );
  });

  it("may not join the dashboard's topic nor push a stream or queue command on the socket", async () => {
    const hub = await start();
    const socket = connect(hub, { params: { token: WORKER } });
    expect(await joinChannel(socket.channel(DASHBOARD.name))).toMatchObject({
      status: "error",
      response: { code: "forbidden" },
    });
    const overlays = socket.channel(STREAM_OVERLAYS.name);
    const queue = socket.channel(STREAM_QUEUE.name);
    expect((await joinChannel(overlays)).status).toBe("ok");
    expect((await joinChannel(queue)).status).toBe("ok");
    const commands: [typeof overlays, string, object][] = [
      [overlays, "takeover", { type: "technical-difficulties" }],
      [overlays, "takeover_clear", {}],
      [overlays, "force_content", { layer: "foreground", type: "note", duration: 5 }],
      [queue, "clear", {}],
      [queue, "skip", {}],
      [queue, "pause", {}],
    ];
    for (const [channel, event, payload] of commands) {
      expect({ event, reply: await push(channel, event, payload) }).toMatchObject({
        event,
        reply: { status: "error", response: { code: "forbidden" } },
      });
    }
    const state = await call(hub, "GET", "/api/stream/state", CONTROL);
    expect(state.body).toMatchObject({ takeover: null });
  });
});
