/**
 * The stream state engine through a real hub: events in over REST, state out on the channels.
 * The engine runs on a manual clock, so alerts expire when a test moves it, never in wall time.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { TestDatabase } from "@landale/db/testing";
import {
  OVERLAY,
  PUSH,
  type QueueState,
  STREAM_OVERLAYS,
  STREAM_QUEUE,
  type StreamState,
} from "@landale/shared";
import { postgresBehindProxy, type TcpProxy } from "@landale/testkit";
import type { Channel } from "phoenix";
import type { Hub } from "../src/hub";
import type { EngineConfig } from "../src/stream/config";
import { SAVE_INTERVAL_MS } from "../src/stream/engine";
import {
  connect,
  healthOf,
  joinChannel,
  push,
  startTestHub,
  testConfig,
  useTestDatabase,
} from "./support/hub";
import { ManualScheduler } from "./support/scheduler";

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

const raid = (n: number) => ({
  id: `raid-${n}`,
  type: "channel.raid",
  data: {
    from_broadcaster_user_id: `${100 + n}`,
    from_broadcaster_user_login: `friend${n}`,
    from_broadcaster_user_name: `Friend${n}`,
    to_broadcaster_user_id: "1",
    to_broadcaster_user_login: "streamer",
    to_broadcaster_user_name: "Streamer",
    viewers: 42,
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

/** An alert of `SHORT_ALERTS`: moving the clock on by this ends the one showing. */
const ALERT_MS = 300;

describe("stream state", () => {
  const database = useTestDatabase("pglite");
  let clock = new ManualScheduler(Date.now());
  const start = (overrides: Parameters<typeof startTestHub>[0] = {}) =>
    startTestHub(overrides, {
      database: database.current,
      stream: SHORT_ALERTS,
      streamScheduler: clock,
    });
  beforeEach(async () => {
    clock = new ManualScheduler(Date.now());
    await database.reset();
  });

  it("shows a posted follow on the foreground at once, removes it after its duration, then shows the next", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
    expect(overlays.states[0]?.layers.foreground ?? null).toBeNull();

    await post(hub, "/api/events", [follow(1), follow(2)]);
    const first = await overlays.until((state) => foregroundOf(state) === "follow-1");
    expect(first.queue.map((item) => item.source_event_id)).toEqual(["follow-2"]);
    await clock.advance(ALERT_MS);
    const second = await overlays.until((state) => foregroundOf(state) === "follow-2");
    expect(Date.parse(second.layers.foreground?.started_at ?? "")).toBeGreaterThanOrEqual(
      Date.parse(first.layers.foreground?.expires_at ?? ""),
    );
    await clock.advance(ALERT_MS);
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
    const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
    await post(hub, "/api/events", [follow(1), follow(2), follow(3)]);
    await post(hub, "/api/events", raid(1));
    await overlays.until((state) => state.queue.some((item) => item.source_event_id === "raid-1"));
    // follow-1 ends, then the raid, then follow-2.
    for (let i = 0; i < 3; i++) await clock.advance(ALERT_MS);
    await overlays.until((state) => foregroundOf(state) === "follow-3");
    const shown = [...new Set(overlays.states.map(foregroundOf).filter((id) => id !== null))];
    expect(shown.slice(0, 2)).toEqual(["follow-1", "raid-1"]);
  });

  it("makes one sub train of a burst of 50 subs", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
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
    const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
    const announced: string[] = [];
    overlays.channel.on(PUSH.takeover, () => {
      announced.push(PUSH.takeover);
    });
    overlays.channel.on(PUSH.takeoverClear, () => {
      announced.push(PUSH.takeoverClear);
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
    expect(announced).toEqual([PUSH.takeover, PUSH.takeoverClear]);
    expect(await push(overlays.channel, "takeover_clear", {})).toMatchObject({
      status: "error",
      response: { code: "no_takeover" },
    });
  });

  it("clears a takeover by itself when its duration ends, and holds alerts while it covers", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
    await post(hub, "/api/stream/takeover", { type: "technical-difficulties", duration: 30 });
    await post(hub, "/api/events", follow(1));
    const covered = await overlays.until(
      (state) => state.takeover !== null && state.queue.length === 1,
    );
    expect(covered.layers.foreground).toBeNull();
    await clock.advance(30_000);
    const after = await overlays.until(
      (state) => state.takeover === null && foregroundOf(state) === "follow-1",
    );
    expect(after.queue).toEqual([]);
  });

  it("resumes the queue where it was after a restart", async () => {
    const config = testConfig();
    const slow = { alerts: { "channel.follow": { priority: 20, durationMs: 60_000 } } };
    const first = await startTestHub(config, { database: database.current, stream: slow });
    const before = await watch<StreamState>(first, STREAM_OVERLAYS.name, PUSH.streamState);
    await post(first, "/api/events", [follow(1), follow(2), follow(3)]);
    const shown = await before.until(
      (state) => foregroundOf(state) === "follow-1" && state.queue.length === 2,
    );
    await first.stop();

    const second = await startTestHub(
      { ...config, port: 0 },
      { database: database.current, stream: slow },
    );
    const after = await watch<StreamState>(second, STREAM_OVERLAYS.name, PUSH.streamState);
    const restored = after.states[0];
    expect(foregroundOf(restored as StreamState)).toBe("follow-1");
    expect(restored?.layers.foreground?.expires_at).toBe(shown.layers.foreground?.expires_at ?? "");
    expect(restored?.queue.map((item) => item.source_event_id)).toEqual(["follow-2", "follow-3"]);
    expect(restored?.version).toBeGreaterThanOrEqual(shown.version);
  });

  it("answers every queue command truthfully", async () => {
    const hub = await start();
    const queue = await watch<QueueState>(hub, STREAM_QUEUE.name, PUSH.queueState);
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
    await clock.advance(ALERT_MS);
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
    const queue = await watch<QueueState>(hub, STREAM_QUEUE.name, PUSH.queueState);
    await post(hub, "/api/events", follow(7));
    await queue.until((state) => state.current?.source_event_id === "follow-7");
    await clock.advance(ALERT_MS);
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

  it("reads a takeover's duration in seconds, takes duration_ms, and refuses a duration long enough to be milliseconds", async () => {
    const hub = await start();
    const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
    // The older system sent milliseconds in `duration`: 10000 would cover the stream for hours.
    const tooLong = await post(hub, "/api/stream/takeover", {
      type: "screen-cover",
      duration: 10_000,
    });
    expect(tooLong).toMatchObject({
      status: 422,
      body: { code: "invalid_command", details: [{ path: "duration" }] },
    });
    expect(String(tooLong.body.message)).toContain("3600 seconds");
    expect(String(tooLong.body.message)).toContain("duration_ms");
    const pushed = await push(overlays.channel, "takeover", {
      type: "screen-cover",
      duration: 10_000,
    });
    expect(pushed).toMatchObject({
      status: "error",
      response: { code: "invalid_command", details: [{ path: "duration" }] },
    });
    expect(
      await post(hub, "/api/stream/takeover", {
        type: "screen-cover",
        duration: 10,
        duration_ms: 10_000,
      }),
    ).toMatchObject({
      status: 422,
      body: { code: "invalid_command", details: [{ path: "duration_ms" }] },
    });
    expect(overlays.states.some((state) => state.takeover !== null)).toBe(false);

    expect(
      (await post(hub, "/api/stream/takeover", { type: "screen-cover", duration_ms: 10_000 }))
        .status,
    ).toBe(200);
    const rest = await overlays.until((state) => state.takeover?.type === "screen-cover");
    const { started_at, expires_at } = rest.takeover ?? { started_at: "", expires_at: null };
    expect(Date.parse(expires_at ?? "") - Date.parse(started_at)).toBe(10_000);
    await clock.advance(10_000);
    await overlays.until((state) => state.takeover === null && state.version > rest.version);

    expect(
      await push(overlays.channel, "takeover", { type: "please-stand-by", duration_ms: 5_000 }),
    ).toMatchObject({ status: "ok" });
    const pushedMs = await overlays.until((state) => state.takeover?.type === "please-stand-by");
    const covered = pushedMs.takeover ?? { started_at: "", expires_at: null };
    expect(Date.parse(covered.expires_at ?? "") - Date.parse(covered.started_at)).toBe(5_000);
  });

  it("refuses bad payloads and unauthorised commands with the error shape", async () => {
    const token = "control-token-0123456789";
    const overlayToken = "overlay-token-0123456789";
    const hub = await start({ token, overlayToken });
    const control = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState, {
      token,
    });
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
    const overlay = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState, {
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

    const overlay = await watch<StreamState>(hub, OVERLAY.topic("omnibar").name, PUSH.initialState);
    expect(overlay.states[0]).toMatchObject({ paused: true });
    const reply = await push(overlay.channel, "get_state", {});
    expect(reply).toMatchObject({ status: "ok", response: { paused: true, show: "variety" } });
  });
});

/** How long a condition a test waits for may take before the test fails saying which. */
const WAIT_TIMEOUT_MS = 15_000;
const POLL_MS = 25;
const OUTAGE_TEST_TIMEOUT_MS = 60_000;

/**
 * Polls `probe` until it gives a value; `between` runs before each retry (to move a manual clock
 * on), and the wait fails naming `what` if the deadline passes.
 */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  between: () => Promise<unknown> = () => Bun.sleep(POLL_MS),
): Promise<T> {
  const deadline = performance.now() + WAIT_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await between();
  }
  throw new Error(`gave up after ${WAIT_TIMEOUT_MS} ms waiting for ${what}`);
}

async function streamStateOf(hub: Hub): Promise<StreamState> {
  const response = await fetch(`${hub.url}/api/stream/state`);
  expect(response.status).toBe(200);
  return (await response.json()) as StreamState;
}

describe.if(Boolean(process.env.TEST_DATABASE_URL))("stream state while Postgres is away", () => {
  let test: TestDatabase | null = null;
  let proxy: TcpProxy | null = null;
  let hub: Hub | null = null;
  afterEach(async () => {
    // Postgres comes back first, so the hub stops cleanly before its database is dropped.
    await proxy?.restore();
    await hub?.stop();
    await proxy?.stop();
    await test?.dispose();
    test = proxy = hub = null;
  });

  /** A hub on a fresh Postgres database reached through a proxy the test can cut. */
  async function startBehindProxy() {
    const behind = await postgresBehindProxy();
    test = behind.test;
    proxy = behind.proxy;
    const clock = new ManualScheduler(Date.now());
    hub = await startTestHub(
      { databaseUrl: behind.url },
      { stream: SHORT_ALERTS, streamScheduler: clock },
    );
    return { hub, proxy: behind.proxy, clock };
  }

  /** Moves the engine's clock on (its save retries run on it too) until the state is saved. */
  const untilSaved = (hub: Hub, clock: ManualScheduler) =>
    waitFor(
      "the stream state to be saved once Postgres is back",
      async () => {
        const health = await healthOf(hub);
        return health.stream.save_error === null &&
          health.stream.persisted_version === health.stream.version &&
          health.events.spooled === 0
          ? health
          : undefined;
      },
      () => Promise.all([clock.advance(1_000), Bun.sleep(POLL_MS)]),
    );

  it(
    "shows a raid posted while Postgres is away, ends it on time, and saves the state once Postgres is back",
    async () => {
      const { hub, proxy, clock } = await startBehindProxy();
      const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
      await proxy.cut();

      expect((await post(hub, "/api/events", raid(1))).status).toBe(202);
      const shown = await overlays.until((state) => foregroundOf(state) === "raid-1");
      expect(foregroundOf(await streamStateOf(hub))).toBe("raid-1");
      // Saves start SAVE_INTERVAL_MS apart: the one after start-up's is due then.
      await clock.advance(SAVE_INTERVAL_MS);
      const degraded = await waitFor("health to say the stream state is not saved", async () => {
        const health = await healthOf(hub);
        return health.stream.save_error !== null ? health : undefined;
      });
      expect(degraded.status).toBe("degraded");
      expect(degraded.stream.version).toBe(shown.version);
      expect(degraded.stream.persisted_version).toBeLessThan(shown.version);
      expect(degraded.stream.save_failures).toBeGreaterThan(0);

      // The raid ends on time although nothing can be saved.
      await clock.advance(ALERT_MS);
      const ended = await overlays.until(
        (state) => state.layers.foreground === null && state.version > shown.version,
      );
      expect((await streamStateOf(hub)).version).toBe(ended.version);

      await proxy.restore();
      const healthy = await untilSaved(hub, clock);
      expect(healthy.status).toBe("ok");
      expect(healthy.stream.version).toBeGreaterThanOrEqual(ended.version);
    },
    OUTAGE_TEST_TIMEOUT_MS,
  );

  it(
    "moves on from an alert that ended while Postgres was away, with no other event, once it is back",
    async () => {
      const { hub, proxy, clock } = await startBehindProxy();
      const overlays = await watch<StreamState>(hub, STREAM_OVERLAYS.name, PUSH.streamState);
      expect((await post(hub, "/api/events", raid(1))).status).toBe(202);
      const shown = await overlays.until((state) => foregroundOf(state) === "raid-1");
      await clock.advance(SAVE_INTERVAL_MS);
      await waitFor("the raid's state to be saved", async () => {
        const health = await healthOf(hub);
        return health.stream.persisted_version >= shown.version ? true : undefined;
      });

      // The raid ends while nothing can be saved; then Postgres returns and nothing else is sent:
      // only the engine's clock moves on, as time does.
      await proxy.cut();
      await clock.advance(ALERT_MS);
      await proxy.restore();
      const ended = await waitFor(
        "the ended raid to leave the overlays",
        async () => {
          const state = overlays.states.at(-1);
          return state !== undefined && state.layers.foreground === null ? state : undefined;
        },
        () => Promise.all([clock.advance(1_000), Bun.sleep(POLL_MS)]),
      );
      expect(ended.version).toBeGreaterThan(shown.version);
      expect((await streamStateOf(hub)).layers.foreground).toBeNull();
      const healthy = await untilSaved(hub, clock);
      expect(healthy.status).toBe("ok");
    },
    OUTAGE_TEST_TIMEOUT_MS,
  );
});
