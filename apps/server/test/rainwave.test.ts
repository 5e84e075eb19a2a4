/**
 * The Rainwave integration against the fake Rainwave, through a real hub: `rainwave.update` is
 * recorded only when what the streamer hears changes (a song, tuning in or out, another station);
 * failures are retried and shown (a refused key degrades the hub), a hung Rainwave times out;
 * the REST mirror and the `rainwave:*` commands on `dashboard:main` switch it and pick the station,
 * and a restart keeps what they chose; nothing is left running after stop.
 */
import { beforeEach, describe, expect, it } from "bun:test";
import { saveIntegrationSettings } from "@landale/db";
import { createLogger } from "@landale/logger";
import {
  DASHBOARD,
  type EventEnvelope,
  type HubHealth,
  type IntegrationStatus,
  PUSH,
  RainwaveStatus,
  type RainwaveUpdate,
} from "@landale/shared";
import { type FakeRainwave, type FakeRainwaveSong, startFakeRainwave } from "@landale/testkit";
import type { Config } from "../src/config";
import { startHub } from "../src/hub";
import type { RainwaveTimings } from "../src/rainwave/service";
import { CountingScheduler } from "./support/counting-scheduler";
import { eventually } from "./support/eventually";
import {
  connect,
  joinChannel,
  push,
  startTestHub,
  testConfig,
  useTestDatabase,
} from "./support/hub";
import { api, post, stored } from "./support/obs";

const database = useTestDatabase("pglite");
beforeEach(() => database.reset());

const USER_ID = 4242;
const KEY = "a-rainwave-api-key";
const FAST: Partial<RainwaveTimings> = { intervalMs: 40, timeoutMs: 400, backoffMaxMs: 160 };

const SONG: FakeRainwaveSong = {
  title: "Dancing Mad",
  artists: ["Nobuo Uematsu"],
  album: "Final Fantasy VI",
  length: 270,
  art: "/album_art/3_1234",
};
const NEXT: FakeRainwaveSong = {
  title: "Still Alive",
  artists: ["Jonathan Coulton", "Ellen McLain"],
  album: "Portal",
  length: 180,
};

function fake(): FakeRainwave {
  const rainwave = startFakeRainwave({ userId: USER_ID, apiKey: KEY });
  return rainwave;
}

const rainwaveConfig = (rainwave: FakeRainwave, overrides: Partial<Config["rainwave"]> = {}) => ({
  rainwave: {
    userId: String(USER_ID),
    apiKey: KEY,
    station: 3 as const,
    apiUrl: rainwave.apiUrl,
    ...overrides,
  },
});

const rainwaveHub = (rainwave: FakeRainwave, overrides: Partial<Config["rainwave"]> = {}) =>
  startTestHub(rainwaveConfig(rainwave, overrides), {
    database: database.current,
    rainwave: { timings: FAST },
  });

type Hub = Awaited<ReturnType<typeof startTestHub>>;

const updates = async (hub: Hub) =>
  (await stored(hub, "rainwave.update")).map(
    (event: EventEnvelope) => event.data as RainwaveUpdate,
  );

const status = async (hub: Hub) => RainwaveStatus.parse((await api(hub, "/rainwave/status")).body);

describe("now playing from Rainwave", () => {
  it("records a song once while the streamer listens, the next song, and tuning out", async () => {
    const rainwave = fake();
    rainwave.play(3, SONG, 1_800_000_000);
    rainwave.tune(3);
    const hub = await rainwaveHub(rainwave);

    await eventually("the first update", async () => (await updates(hub)).length === 1);
    expect((await updates(hub))[0]).toEqual({
      station: 3,
      listening: true,
      title: "Dancing Mad",
      artists: ["Nobuo Uematsu"],
      album: "Final Fantasy VI",
      art_url: "https://rainwave.cc/album_art/3_1234_320.jpg",
      started_at: "2027-01-15T08:00:00.000Z",
      ends_at: "2027-01-15T08:04:30.000Z",
    });
    // Several more answers, all the same: nothing more is recorded.
    const seen = rainwave.requests().length;
    await eventually("five more polls", () => rainwave.requests().length >= seen + 5);
    expect(await updates(hub)).toHaveLength(1);
    const request = rainwave.requests()[0];
    expect(request).toEqual({ method: "POST", sid: "3", userId: String(USER_ID), keyed: true });

    rainwave.play(3, NEXT, 1_800_000_270);
    await eventually("the next song", async () => (await updates(hub)).length === 2);
    expect((await updates(hub))[1]).toMatchObject({
      listening: true,
      title: "Still Alive",
      artists: ["Jonathan Coulton", "Ellen McLain"],
      art_url: null,
    });

    rainwave.tune(null);
    await eventually("tuning out", async () => (await updates(hub)).length === 3);
    expect((await updates(hub))[2]).toEqual({
      station: 3,
      listening: false,
      title: null,
      artists: [],
      album: null,
      art_url: null,
      started_at: null,
      ends_at: null,
    });
    // Tuned in to another station than the one polled: not what the streamer hears.
    rainwave.tune(1);
    const before = rainwave.requests().length;
    await eventually("three more polls", () => rainwave.requests().length >= before + 3);
    expect(await updates(hub)).toHaveLength(3);
    expect((await status(hub)).now_playing?.listening).toBe(false);
    await rainwave.stop();
  });

  it("switches off and on and changes station over REST, recording what that changes", async () => {
    const rainwave = fake();
    rainwave.play(3, SONG);
    rainwave.play(2, NEXT);
    rainwave.tune(3);
    const hub = await rainwaveHub(rainwave);
    await eventually("the first update", async () => (await updates(hub)).length === 1);

    const off = await post<RainwaveStatus>(hub, "/rainwave/enabled", { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ state: "disabled", enabled: false, now_playing: null });
    expect((await updates(hub)).at(-1)).toMatchObject({ listening: false, title: null });

    expect((await post(hub, "/rainwave/station", { station: 9 })).status).toBe(400);
    const moved = await post<RainwaveStatus>(hub, "/rainwave/station", { station: 2 });
    expect(moved.body).toMatchObject({ station: 2, station_name: "OC ReMix", enabled: false });

    rainwave.tune(2);
    await post(hub, "/rainwave/enabled", { enabled: true });
    await eventually(
      "the station-2 song",
      async () => (await updates(hub)).at(-1)?.title === "Still Alive",
    );
    expect((await updates(hub)).at(-1)).toMatchObject({ station: 2, listening: true });
    expect(rainwave.requests().at(-1)?.sid).toBe("2");
    expect(await status(hub)).toMatchObject({ state: "polling", station: 2, failures: 0 });
    await rainwave.stop();
  });

  it("keeps the switch and the station across a restart, over RAINWAVE_STATION", async () => {
    const rainwave = fake();
    rainwave.play(3, SONG);
    rainwave.play(2, NEXT);
    rainwave.tune(2);
    const first = await rainwaveHub(rainwave);
    await post(first, "/rainwave/station", { station: 2 });
    await post(first, "/rainwave/enabled", { enabled: false });
    await first.stop();

    const again = await rainwaveHub(rainwave);
    expect(await status(again)).toMatchObject({ state: "disabled", enabled: false, station: 2 });
    await post(again, "/rainwave/enabled", { enabled: true });
    await eventually(
      "the station-2 song",
      async () => (await updates(again)).at(-1)?.title === "Still Alive",
    );
    expect(rainwave.requests().at(-1)?.sid).toBe("2");
    await again.stop();

    // A row the hub cannot read is passed over: it starts as configured, and says so.
    await saveIntegrationSettings(database.current, "rainwave", { enabled: "yes", station: 9 });
    const configured = await rainwaveHub(rainwave);
    expect(await status(configured)).toMatchObject({ state: "polling", enabled: true, station: 3 });
    await rainwave.stop();
  });

  it("retries a failing Rainwave, keeps the last song, and times out a hung one", async () => {
    const rainwave = fake();
    rainwave.play(3, SONG);
    rainwave.tune(3);
    const hub = await rainwaveHub(rainwave);
    await eventually("the first update", async () => (await updates(hub)).length === 1);

    rainwave.setMode("error");
    await eventually("failing", async () => (await status(hub)).failures >= 2);
    expect(await status(hub)).toMatchObject({
      state: "failing",
      problem: { code: "rainwave_refused" },
      now_playing: { title: "Dancing Mad" },
    });
    rainwave.setMode("garbage");
    await eventually(
      "an unreadable answer",
      async () => (await status(hub)).problem?.code === "rainwave_unexpected_answer",
    );
    rainwave.setMode("hang");
    await eventually(
      "a timeout",
      async () => (await status(hub)).problem?.code === "rainwave_timeout",
    );
    expect((await api<HubHealth>(hub, "/health")).body.rainwave).toMatchObject({
      state: "failing",
    });
    expect((await api<HubHealth>(hub, "/health")).body.status).toBe("ok");

    rainwave.setMode("ok");
    await eventually("polling again", async () => (await status(hub)).state === "polling");
    // The same song as before the outage: nothing new recorded.
    expect(await updates(hub)).toHaveLength(1);
    await rainwave.stop();
  });

  it("says a refused key needs the streamer, degrading the hub", async () => {
    const rainwave = fake();
    const hub = await rainwaveHub(rainwave, { apiKey: "not-the-key" });
    await eventually("refused", async () => (await status(hub)).problem !== null);
    const health = (await api<HubHealth>(hub, "/health")).body;
    expect(health.status).toBe("degraded");
    expect(health.rainwave.problem).toMatchObject({ code: "rainwave_auth_failed" });
    expect(health.rainwave.problem?.action).toContain("RAINWAVE_API_KEY");
    expect(JSON.stringify(health)).not.toContain("not-the-key");
    await rainwave.stop();
  });
});

describe("the dashboard's commands", () => {
  it("answers rainwave:* and pushes the status when it changes", async () => {
    const rainwave = fake();
    rainwave.play(4, SONG);
    rainwave.tune(4);
    const hub = await rainwaveHub(rainwave);
    const channel = connect(hub).channel(DASHBOARD.name);
    const pushed: IntegrationStatus[] = [];
    channel.on(PUSH.integrationStatus, (payload: IntegrationStatus) => {
      pushed.push(payload);
    });
    expect((await joinChannel(channel)).status).toBe("ok");
    await eventually("the status on join", () => pushed.some((p) => p.integration === "rainwave"));

    expect((await push(channel, "rainwave:get_status", {})).response).toMatchObject({ station: 3 });
    const bad = await push(channel, "rainwave:set_station", { station: 0 });
    expect(bad).toMatchObject({ status: "error", response: { code: "invalid_payload" } });
    const moved = await push(channel, "rainwave:set_station", { station: 4 });
    expect(moved).toMatchObject({
      status: "ok",
      response: { station: 4, station_name: "Chiptune" },
    });
    await eventually("the pushed station-4 song", () =>
      pushed.some(
        (p) => p.integration === "rainwave" && p.status.now_playing?.title === "Dancing Mad",
      ),
    );
    const off = await push(channel, "rainwave:set_enabled", { enabled: false });
    expect(off.response).toMatchObject({ state: "disabled" });
    await rainwave.stop();
  });

  it("refuses to switch on an unconfigured Rainwave, saying what to set", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const channel = connect(hub).channel(DASHBOARD.name);
    expect((await joinChannel(channel)).status).toBe("ok");
    const reply = await push(channel, "rainwave:set_enabled", { enabled: true });
    expect(reply).toMatchObject({ status: "error", response: { code: "rainwave_not_configured" } });
    const rest = await post(hub, "/rainwave/enabled", { enabled: true });
    expect(rest.status).toBe(409);
    expect((await status(hub)).state).toBe("unconfigured");
  });
});

describe("stopping", () => {
  it("leaves no timer behind, even with a request held by a hung Rainwave", async () => {
    const rainwave = fake();
    rainwave.setMode("hang");
    const scheduler = new CountingScheduler();
    const hub = await startHub(
      testConfig(rainwaveConfig(rainwave)),
      createLogger({ name: "test", level: "silent" }),
      {
        database: database.current,
        rainwave: { timings: { ...FAST, timeoutMs: 60_000 }, scheduler },
      },
    );
    await hub.ready;
    await eventually("a request held", () => rainwave.requests().length >= 1);
    const stopping = hub.stop();
    // The held request is answered when the fake stops; the hub's stop waits for it.
    await rainwave.stop();
    await stopping;
    expect(scheduler.pendingTimers).toBe(0);
  });
});
