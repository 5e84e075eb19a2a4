/** The stream state engine through a real hub: events in over REST, state out on the channels. */
import { beforeEach, describe, expect, it } from "bun:test";
import type { QueueState, StreamState } from "@landale/shared";
import type { Channel } from "phoenix";
import type { Hub } from "../src/hub";
import type { EngineConfig } from "../src/stream/config";
import {
  connect,
  joinChannel,
  push,
  startTestHub,
  testConfig,
  useTestDatabase,
} from "./support/hub";

const SHORT_ALERTS: Partial<EngineConfig> = {
  alerts: {
    "channel.follow": { priority: 20, durationMs: 300 },
    "channel.subscribe": { priority: 60, durationMs: 300 },
    "channel.raid": { priority: 100, durationMs: 300 },
  },
};

const broadcaster = {
  broadcaster_user_id: "1",
  broadcaster_user_login: "streamer",
  broadcaster_user_name: "Streamer",
};
const follow = (n: number) => ({
  id: `follow-${n}`,
  type: "channel.follow",
  data: {
    user_id: `${n}`,
    user_login: `viewer${n}`,
    user_name: `Viewer${n}`,
    ...broadcaster,
    followed_at: "2026-11-21T12:00:00Z",
  },
});
const subscribe = (n: number) => ({
  id: `sub-${n}`,
  type: "channel.subscribe",
  data: {
    user_id: `${n}`,
    user_login: `sub${n}`,
    user_name: `Sub${n}`,
    ...broadcaster,
    tier: "1000",
    is_gift: false,
  },
});

async function post(hub: Hub, path: string, body?: unknown, method = "POST") {
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Joins a stream topic and keeps every state it is pushed. */
async function watch<T extends { version: number }>(
  hub: Hub,
  topic: string,
  event: string,
  params = {},
) {
  const channel: Channel = connect(hub, { params }).channel(topic);
  const states: T[] = [];
  const waiters: { test: (state: T) => boolean; resolve: (state: T) => void }[] = [];
  channel.on(event, (state: T) => {
    states.push(state);
    for (const waiter of [...waiters]) {
      if (!waiter.test(state)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(state);
    }
  });
  const until = (test: (state: T) => boolean): Promise<T> => {
    const seen = states.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  };
  const reply = await joinChannel(channel);
  // The state is pushed right after the join reply.
  if (reply.status === "ok") await until(() => true);
  return {
    channel,
    reply,
    states,
    /** The first state (already pushed or still to come) that passes `test`. */
    until,
  };
}

const foregroundOf = (state: StreamState) => state.layers.foreground?.source_event_id ?? null;

describe("stream state", () => {
  const database = useTestDatabase("pglite");
  const start = (overrides: Parameters<typeof startTestHub>[0] = {}) =>
    startTestHub(overrides, { database: database.current, stream: SHORT_ALERTS });
  beforeEach(async () => {
    await database.reset();
  });

  it("shows a posted follow on the foreground at once, removes it after its duration, then shows the next", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, "stream:overlays", "stream_state");
    expect(overlays.states[0]?.layers.foreground ?? null).toBeNull();

    await post(hub, "/api/events", [follow(1), follow(2)]);
    const first = await overlays.until((state) => foregroundOf(state) === "follow-1");
    expect(first.queue.map((item) => item.source_event_id)).toEqual(["follow-2"]);
    const second = await overlays.until((state) => foregroundOf(state) === "follow-2");
    expect(Date.parse(second.layers.foreground?.started_at ?? "")).toBeGreaterThanOrEqual(
      Date.parse(first.layers.foreground?.expires_at ?? ""),
    );
    const idle = await overlays.until(
      (state) => state.layers.foreground === null && state.version > second.version,
    );
    expect(idle.queue).toEqual([]);

    const versions = overlays.states.map((state) => state.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it("shows a raid before the follows that were waiting", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, "stream:overlays", "stream_state");
    await post(hub, "/api/events", [follow(1), follow(2), follow(3)]);
    await post(hub, "/api/events", {
      id: "raid-1",
      type: "channel.raid",
      data: {
        from_broadcaster_user_id: "9",
        from_broadcaster_user_login: "friend",
        from_broadcaster_user_name: "Friend",
        to_broadcaster_user_id: "1",
        to_broadcaster_user_login: "streamer",
        to_broadcaster_user_name: "Streamer",
        viewers: 42,
      },
    });
    await overlays.until((state) => foregroundOf(state) === "follow-3");
    const shown = [...new Set(overlays.states.map(foregroundOf).filter((id) => id !== null))];
    expect(shown.slice(0, 2)).toEqual(["follow-1", "raid-1"]);
  });

  it("makes one sub train of a burst of 50 subs", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, "stream:overlays", "stream_state");
    await post(
      hub,
      "/api/events",
      Array.from({ length: 50 }, (_, n) => subscribe(n)),
    );
    const train = await overlays.until((state) => state.layers.midground?.data.count === 50);
    expect(train.layers.midground).toMatchObject({
      kind: "sub_train",
      data: { latest: { user_name: "Sub49", tier: "1000" } },
    });
    const trains = new Set(
      overlays.states.map((state) => state.layers.midground?.id).filter(Boolean),
    );
    expect(trains.size).toBe(1);
  });

  it("covers with a takeover until it is cleared, announcing both", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, "stream:overlays", "stream_state");
    const announced: string[] = [];
    overlays.channel.on("takeover", () => {
      announced.push("takeover");
    });
    overlays.channel.on("takeover_clear", () => {
      announced.push("takeover_clear");
    });

    const started = await push(overlays.channel, "takeover", {
      type: "please-stand-by",
      message: "Back soon",
    });
    expect(started).toEqual({ status: "ok", response: { version: expect.any(Number) } });
    const covered = await overlays.until((state) => state.takeover !== null);
    expect(covered.takeover).toMatchObject({
      type: "please-stand-by",
      message: "Back soon",
      expires_at: null,
    });

    expect((await push(overlays.channel, "takeover_clear", {})).status).toBe("ok");
    await overlays.until((state) => state.takeover === null && state.version > covered.version);
    expect(announced).toEqual(["takeover", "takeover_clear"]);
    expect(await push(overlays.channel, "takeover_clear", {})).toMatchObject({
      status: "error",
      response: { code: "no_takeover" },
    });
  });

  it("clears a takeover by itself when its duration ends, and holds alerts while it covers", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, "stream:overlays", "stream_state");
    await post(hub, "/api/stream/takeover", { type: "technical-difficulties", duration: 0.4 });
    await post(hub, "/api/events", follow(1));
    const covered = await overlays.until(
      (state) => state.takeover !== null && state.queue.length === 1,
    );
    expect(covered.layers.foreground).toBeNull();
    const after = await overlays.until(
      (state) => state.takeover === null && foregroundOf(state) === "follow-1",
    );
    expect(after.queue).toEqual([]);
  });

  it("resumes the queue where it was after a restart", async () => {
    const config = testConfig();
    const slow = { alerts: { "channel.follow": { priority: 20, durationMs: 60_000 } } };
    const first = await startTestHub(config, { database: database.current, stream: slow });
    const before = await watch<StreamState>(first, "stream:overlays", "stream_state");
    await post(first, "/api/events", [follow(1), follow(2), follow(3)]);
    const shown = await before.until(
      (state) => foregroundOf(state) === "follow-1" && state.queue.length === 2,
    );
    await first.stop();

    const second = await startTestHub(
      { ...config, port: 0 },
      { database: database.current, stream: slow },
    );
    const after = await watch<StreamState>(second, "stream:overlays", "stream_state");
    const restored = after.states[0];
    expect(foregroundOf(restored as StreamState)).toBe("follow-1");
    expect(restored?.layers.foreground?.expires_at).toBe(shown.layers.foreground?.expires_at ?? "");
    expect(restored?.queue.map((item) => item.source_event_id)).toEqual(["follow-2", "follow-3"]);
    expect(restored?.version).toBeGreaterThanOrEqual(shown.version);
  });

  it("answers every queue command truthfully", async () => {
    const hub = await start();
    const queue = await watch<QueueState>(hub, "stream:queue", "queue_state");
    expect(queue.states[0]).toMatchObject({ paused: false, pending: [], max: 200, dropped: 0 });

    expect(await push(queue.channel, "skip", {})).toMatchObject({
      status: "error",
      response: { code: "nothing_showing" },
    });
    expect((await push(queue.channel, "pause", {})).status).toBe("ok");
    await post(hub, "/api/events", [follow(1), follow(2), follow(3)]);
    const held = await queue.until((state) => state.pending.length === 3);
    expect(held.current).toBeNull();

    const second = held.pending[1]?.id ?? "";
    expect((await push(queue.channel, "remove_item", { id: second })).status).toBe("ok");
    expect(await push(queue.channel, "remove_item", { id: second })).toMatchObject({
      status: "error",
      response: { code: "not_found" },
    });
    expect(await push(queue.channel, "remove_item", {})).toMatchObject({
      status: "error",
      response: { code: "invalid_command", details: [{ path: "id" }] },
    });
    expect((await push(queue.channel, "resume", {})).status).toBe("ok");
    const showing = await queue.until((state) => state.current?.source_event_id === "follow-1");
    expect((await push(queue.channel, "skip", {})).status).toBe("ok");
    await queue.until(
      (state) => state.current?.source_event_id === "follow-3" && state.version > showing.version,
    );
    expect((await push(queue.channel, "clear", {})).status).toBe("ok");
    const finished = await queue.until(
      (state) => state.current === null && state.history.length >= 2,
    );
    expect(finished.history.map((item) => item.source_event_id).slice(0, 2)).toEqual([
      "follow-3",
      "follow-1",
    ]);
  });

  it("replays a stored event as a new alert", async () => {
    const hub = await start();
    const queue = await watch<QueueState>(hub, "stream:queue", "queue_state");
    await post(hub, "/api/events", follow(7));
    const done = await queue.until((state) => state.history[0]?.source_event_id === "follow-7");
    expect((await push(queue.channel, "replay_event", { event_id: "follow-7" })).status).toBe("ok");
    const again = await queue.until(
      (state) => state.current?.source_event_id === "follow-7" && state.version > done.version,
    );
    expect(again.current?.id).not.toBe(done.history[0]?.id);
    expect(await push(queue.channel, "replay_event", { event_id: "no-such-event" })).toMatchObject({
      status: "error",
      response: { code: "not_found" },
    });
  });

  it("refuses bad payloads and unauthorised commands with the error shape", async () => {
    const token = "control-token-0123456789";
    const overlayToken = "overlay-token-0123456789";
    const hub = await start({ token, overlayToken });
    const control = await watch<StreamState>(hub, "stream:overlays", "stream_state", { token });
    expect(await push(control.channel, "takeover", { type: "custom" })).toMatchObject({
      status: "error",
      response: { code: "invalid_command", details: [{ path: "message" }] },
    });
    expect(await push(control.channel, "takeover", { type: "party" })).toMatchObject({
      status: "error",
      response: { code: "invalid_command", details: [{ path: "type" }] },
    });
    expect(
      await push(control.channel, "force_content", { layer: "sky", type: "x", duration: 5 }),
    ).toMatchObject({
      status: "error",
      response: { code: "invalid_command", details: [{ path: "layer" }] },
    });
    const overlay = await watch<StreamState>(hub, "stream:overlays", "stream_state", {
      token: overlayToken,
    });
    expect(overlay.states).toHaveLength(1);
    expect(await push(overlay.channel, "takeover", { type: "screen-cover" })).toMatchObject({
      status: "error",
      response: { code: "forbidden" },
    });
    const rest = await fetch(`${hub.url}/api/stream/takeover`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "custom" }),
    });
    expect(rest.status).toBe(422);
    expect(await rest.json()).toMatchObject({
      code: "invalid_command",
      details: [{ path: "message" }],
    });
  });

  it("mirrors the state and commands over REST, and answers read queries on overlay topics", async () => {
    const hub = await start();
    const state = await fetch(`${hub.url}/api/stream/state`).then((response) => response.json());
    expect(state).toMatchObject({ show: "variety", paused: false, takeover: null });
    expect((await post(hub, "/api/stream/queue/pause")).body).toEqual({
      version: expect.any(Number),
    });
    expect((await post(hub, "/api/stream/queue/dance")).status).toBe(404);
    expect(
      (await post(hub, "/api/stream/takeover", { type: "screen-cover", duration: 30 })).status,
    ).toBe(200);
    expect((await post(hub, "/api/stream/takeover", undefined, "DELETE")).status).toBe(200);
    expect((await post(hub, "/api/stream/takeover", undefined, "DELETE")).body).toMatchObject({
      code: "no_takeover",
    });

    const overlay = await watch<StreamState>(hub, "overlay:omnibar", "initial_state");
    expect(overlay.states[0]).toMatchObject({ paused: true });
    const reply = await push(overlay.channel, "get_state", {});
    expect(reply).toMatchObject({ status: "ok", response: { paused: true, show: "variety" } });
  });
});
