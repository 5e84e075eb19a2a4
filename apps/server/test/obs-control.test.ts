/**
 * The OBS integration when OBS is stuck or slow to answer, and the dashboard's side of it: a hung
 * request never holds up ingest, health or other commands; a hub whose OBS never finishes the
 * handshake is ready anyway; stats are asked for only while someone is joined; browser sources
 * showing this hub are refreshed and no others; nothing is left running after stop.
 */
import { beforeEach, describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import { DASHBOARD, type IntegrationStatus, ObsRefreshed, ObsStats, PUSH } from "@landale/shared";
import { startHub } from "../src/hub";
import { CountingScheduler } from "./support/counting-scheduler";
import { eventually } from "./support/eventually";
import { connect, joinChannel, push, testConfig, useTestDatabase } from "./support/hub";
import {
  api,
  FAST_OBS,
  fakeObs,
  obsHub as hubWith,
  OBS_PASSWORD,
  obsConfig,
  obsStatus,
  post,
  stored,
  waitForObs,
} from "./support/obs";
import { ManualScheduler } from "./support/scheduler";

// None of these is about storage: one PGlite for the file, emptied before each test.
const database = useTestDatabase("pglite");
beforeEach(() => database.reset());
const obsHub = (...[url, config, options]: Parameters<typeof hubWith>) =>
  hubWith(url, config, { ...options, database: database.current });

const joinDashboard = async (hub: Parameters<typeof connect>[0]) => {
  const channel = connect(hub).channel(DASHBOARD.name);
  const pushes: { event: string; payload: unknown }[] = [];
  for (const event of [PUSH.integrationStatus, PUSH.obsStats]) {
    channel.on(event, (payload: unknown) => {
      pushes.push({ event, payload });
    });
  }
  expect((await joinChannel(channel)).status).toBe("ok");
  return { channel, pushes };
};

const pending = <T>(promise: Promise<T>) => {
  const state = { settled: false, promise };
  promise.finally(() => {
    state.settled = true;
  });
  return state;
};

describe("a stuck OBS", () => {
  it("answers obs_timeout while ingest, health and other commands answer meanwhile", async () => {
    const obs = fakeObs();
    const hub = await obsHub(obs.url, { requestTimeoutMs: 3_000 });
    await waitForObs(hub);
    const { channel } = await joinDashboard(hub);
    obs.hang(true);

    const viaRest = pending(api(hub, "/obs/scenes"));
    const viaCommand = pending(push(channel, "obs:scenes", {}));
    await eventually("both requests held by OBS", () => obs.heldRequests().waiting >= 2);

    const ingested = await api(hub, "/events", {
      method: "POST",
      json: { type: "custom.during_hang", data: 1 },
    });
    expect(ingested.status).toBe(202);
    expect((await api(hub, "/health")).status).toBe(200);
    expect((await push(channel, "ping", {})).status).toBe("ok");
    expect((await push(channel, "obs:get_status", {})).response).toMatchObject({
      state: "connected",
    });
    expect(viaRest.settled || viaCommand.settled).toBe(false);

    expect(await viaRest.promise).toMatchObject({ status: 504, body: { code: "obs_timeout" } });
    expect(await viaCommand.promise).toMatchObject({
      status: "error",
      response: { code: "obs_timeout" },
    });
    obs.hang(false);
    expect((await api(hub, "/obs/scenes")).status).toBe(200);
  });

  it("does not hold up start-up when OBS never finishes the handshake", async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const hub = await obsHub(
        `ws://127.0.0.1:${silent.port}`,
        {},
        { obs: { timings: { connectTimeoutMs: 60_000 } } },
      );
      expect((await obsStatus(hub)).state).toBe("connecting");
      expect(
        (await api(hub, "/events", { method: "POST", json: { type: "custom.x", data: 1 } })).status,
      ).toBe(202);
      expect(await api(hub, "/obs/scenes")).toMatchObject({
        status: 409,
        body: { code: "obs_not_connected" },
      });
    } finally {
      silent.stop(true);
    }
  });

  it("leaves no timer set once the hub stops, with a request still held", async () => {
    const obs = fakeObs();
    const scheduler = new CountingScheduler();
    const hub = await obsHub(
      obs.url,
      { requestTimeoutMs: 60_000 },
      { obs: { scheduler, statsScheduler: scheduler } },
    );
    await waitForObs(hub);
    obs.hang(true);
    const held = api(hub, "/obs/stats");
    await eventually("the request held", () => obs.heldRequests().waiting >= 1);
    await hub.stop();
    expect(scheduler.pendingTimers).toBe(0);
    expect(obs.clients()).toEqual([]);
    await held.catch(() => {});
  });
});

describe("the OBS password", () => {
  it("is never logged, right or wrong, even at trace level", async () => {
    const obs = fakeObs();
    const lines: string[] = [];
    const logger = createLogger({
      name: "test",
      level: "trace",
      destination: { write: (line: string) => void lines.push(line) },
    });
    const config = testConfig(obsConfig(obs.url, { password: "the-wrong-password" }));
    const options = { database: database.current, obs: { timings: FAST_OBS } };
    // One after the other: two hubs never share a database.
    const wrong = await startHub(config, logger, options);
    try {
      await wrong.ready;
      await eventually("refused", async () => (await obsStatus(wrong)).problem !== null);
    } finally {
      await wrong.stop();
    }
    const right = await startHub(testConfig(obsConfig(obs.url)), logger, options);
    try {
      await right.ready;
      await waitForObs(right);
      await obs.close({ abrupt: true });
      await eventually("lost", async () => (await obsStatus(right)).state !== "connected");
    } finally {
      await right.stop();
    }
    const logged = lines.join("\n");
    expect(logged).toContain("OBS connection failed");
    expect(logged).not.toContain("the-wrong-password");
    expect(logged).not.toContain(OBS_PASSWORD);
  });
});

describe("the dashboard and OBS", () => {
  it("asks OBS for stats only while someone is joined, and on demand", async () => {
    const obs = fakeObs();
    const statsScheduler = new ManualScheduler();
    const hub = await obsHub(obs.url, {}, { obs: { statsScheduler } });
    await waitForObs(hub);
    const statsAsked = () =>
      obs.requests().filter((request) => request.requestType === "GetStats").length;
    // Requests on one socket arrive in order: a GetStats sent at the tick would come before this.
    const sync = async () => expect((await api(hub, "/obs/version")).status).toBe(200);

    await statsScheduler.advance(5_000);
    await sync();
    expect(statsAsked()).toBe(0);

    const { channel, pushes } = await joinDashboard(hub);
    await eventually("OBS's status pushed on join", () =>
      pushes.some((p) => (p.payload as IntegrationStatus).integration === "obs"),
    );
    await statsScheduler.advance(5_000);
    await eventually("a stats push", () => pushes.some((p) => p.event === PUSH.obsStats));
    const pushed = pushes.find((p) => p.event === PUSH.obsStats);
    expect(ObsStats.safeParse(pushed?.payload).success).toBe(true);
    const asked = statsAsked();

    channel.leave();
    // The client says "ok" to a leave before the hub hears it: wait for the hub's side.
    await eventually("the channel left", () => hub.health().sockets.channels === 0);
    await statsScheduler.advance(5_000);
    await sync();
    expect(statsAsked()).toBe(asked);

    const joined = connect(hub).channel(DASHBOARD.name);
    await joinChannel(joined);
    const answer = await push(joined, "obs:stats", {});
    expect(ObsStats.parse(answer.response).active_fps).toBeGreaterThan(0);
    expect(statsAsked()).toBe(asked + 1);
  });

  it("refreshes the browser sources that show this hub, and no others", async () => {
    const obs = fakeObs({
      browserSources: [
        { name: "Someone else's", url: "https://streamelements.com/overlay/123" },
        { name: "Another port", url: "http://127.0.0.1:1/overlays/omnibar/" },
      ],
    });
    const hub = await obsHub(obs.url);
    obs.addBrowserSource({ name: "Omnibar", url: `${hub.url}/overlays/omnibar/?token=abc` });
    obs.addBrowserSource({
      name: "Alerts",
      url: `${hub.url.replace("127.0.0.1", "localhost")}/overlays/alerts/`,
    });
    await waitForObs(hub);

    const rest = await post(hub, "/obs/browser-sources/refresh");
    expect(rest).toEqual({ status: 200, body: { refreshed: ["Omnibar", "Alerts"] } });
    const { channel } = await joinDashboard(hub);
    const command = await push(channel, "obs:refresh_browser_sources", {});
    expect(ObsRefreshed.parse(command.response).refreshed).toEqual(["Omnibar", "Alerts"]);
    const pressed = obs.pressedButtons().map((press) => [press.inputName, press.propertyName]);
    expect(pressed).toEqual([
      ["Omnibar", "refreshnocache"],
      ["Alerts", "refreshnocache"],
      ["Omnibar", "refreshnocache"],
      ["Alerts", "refreshnocache"],
    ]);
  });

  it("takes the scene, studio mode and recording commands, and pushes each change", async () => {
    const obs = fakeObs();
    const hub = await obsHub(obs.url);
    await waitForObs(hub);
    const { channel, pushes } = await joinDashboard(hub);

    expect(await push(channel, "obs:set_current_scene", { scene_name: "Game" })).toEqual({
      status: "ok",
      response: { scene_name: "Game" },
    });
    expect(obs.snapshot().programScene).toBe("Game");
    expect(await push(channel, "obs:set_current_scene", { name: "Game" })).toMatchObject({
      status: "error",
      response: { code: "invalid_payload" },
    });
    expect((await push(channel, "obs:set_studio_mode", { enabled: true })).status).toBe("ok");
    expect((await push(channel, "obs:set_preview_scene", { scene_name: "BRB" })).status).toBe("ok");
    expect(obs.snapshot()).toMatchObject({ studioMode: true, previewScene: "BRB" });

    for (const command of ["obs:start_recording", "obs:pause_recording", "obs:resume_recording"]) {
      expect((await push(channel, command, {})).status).toBe("ok");
    }
    const stop = await push(channel, "obs:stop_recording", {});
    expect(stop).toMatchObject({
      status: "ok",
      response: { active: false, output_path: expect.stringMatching(/\.mkv$/) },
    });
    await eventually(
      "the recording stored",
      async () => (await stored(hub, "obs.recording.stopped")).length === 1,
    );
    for (const type of [
      "obs.recording.started",
      "obs.recording.paused",
      "obs.recording.resumed",
      "obs.studio_mode.changed",
    ]) {
      expect(await stored(hub, type)).toHaveLength(1);
    }
    const obsPushes = () =>
      pushes
        .filter((p) => p.event === PUSH.integrationStatus)
        .map((p) => p.payload as IntegrationStatus)
        .filter((pushed) => pushed.integration === "obs");
    await eventually("the preview pushed", () =>
      obsPushes().some((pushed) => pushed.status.scenes.preview === "BRB"),
    );
    expect((await push(channel, "obs:nope", {})).response).toMatchObject({
      code: "unhandled_event",
    });
  });
});
