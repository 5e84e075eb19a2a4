/**
 * The OBS integration against the fake OBS (obs-websocket 5 on real sockets), through a real hub
 * as the streamer uses it: scenes listed and switched both ways, the stream started and stopped,
 * OBS's events stored and fanned out, a wrong password, OBS quitting and coming back, OBS absent.
 * Stuck OBS, stats and browser sources: `obs-control.test.ts`.
 */
import { describe, expect, it } from "bun:test";
import { testEngines } from "@landale/db/testing";
import {
  EVENTS,
  type EventBatch,
  type HubHealth,
  type ObsOutputChange,
  type ObsSceneName,
  type ObsScenes,
  PUSH,
} from "@landale/shared";
import { freePort } from "@landale/testkit";
import { eventually } from "./support/eventually";
import { connect, joinChannel, useTestDatabase } from "./support/hub";
import { api, fakeObs, obsHub, obsStatus, post, stored, waitForObs } from "./support/obs";

describe.each(testEngines())("OBS on %s", (engine) => {
  const database = useTestDatabase(engine);
  const hubAt = async (...args: Parameters<typeof obsHub>) => {
    await database.reset();
    return obsHub(args[0], args[1], { ...args[2], database: database.current });
  };

  it("connects, lists OBS's scenes top first and records the connection with OBS's state", async () => {
    const obs = fakeObs({ programScene: "Game" });
    const hub = await hubAt(obs.url);
    await waitForObs(hub);

    const scenes = await api<ObsScenes>(hub, "/obs/scenes");
    expect(scenes).toEqual({
      status: 200,
      body: {
        list: ["Starting Soon", "Game", "BRB", "Ending"],
        program: "Game",
        preview: null,
        studio_mode: false,
      },
    });
    const status = await obsStatus(hub);
    expect(status).toMatchObject({
      url: obs.url,
      obs_version: "32.0.1",
      websocket_version: "5.6.3",
      problem: null,
    });
    await eventually(
      "the connection recorded",
      async () => (await stored(hub, "obs.connection.established")).length === 1,
    );
    const [established] = await stored(hub, "obs.connection.established");
    expect(established).toMatchObject({
      source: "obs",
      data: {
        obs_version: "32.0.1",
        websocket_version: "5.6.3",
        scene_name: "Game",
        stream_active: false,
      },
    });
  });

  it("names OBS's version when its obs-websocket (5.1, OBS 29) leaves it out of Hello", async () => {
    const obs = fakeObs({ obsVersion: "29.0.2", obsWebSocketVersion: "5.1.0" });
    const hub = await hubAt(obs.url);
    await waitForObs(hub);
    await eventually("the version read", async () => (await obsStatus(hub)).obs_version !== null);
    expect(await obsStatus(hub)).toMatchObject({
      obs_version: "29.0.2",
      websocket_version: "5.1.0",
    });
    await eventually(
      "the connection recorded",
      async () => (await stored(hub, "obs.connection.established")).length === 1,
    );
    const [established] = await stored(hub, "obs.connection.established");
    expect(established?.data).toMatchObject({ obs_version: "29.0.2" });
  });

  it("switches OBS's scene, and stores and fans out the scene the streamer picks in OBS", async () => {
    const obs = fakeObs();
    const hub = await hubAt(obs.url);
    await waitForObs(hub);
    const socket = connect(hub);
    const channel = socket.channel(EVENTS.topic("obs").name);
    const batches: EventBatch[] = [];
    channel.on(PUSH.eventBatch, (batch: EventBatch) => {
      batches.push(batch);
    });
    expect((await joinChannel(channel)).status).toBe("ok");

    const switched = await post<ObsSceneName>(hub, "/obs/scene/program", { scene_name: "BRB" });
    expect(switched).toEqual({ status: 200, body: { scene_name: "BRB" } });
    expect(obs.snapshot().programScene).toBe("BRB");

    obs.setProgramScene("Game");
    const fannedOut = () =>
      batches
        .flatMap((batch) => batch.events)
        .filter((event) => event.type === "obs.scene.changed");
    await eventually("both changes fanned out", () => fannedOut().length === 2);
    expect(fannedOut().map((event) => event.data)).toEqual([
      expect.objectContaining({ scene_name: "BRB", previous_scene_name: "Starting Soon" }),
      expect.objectContaining({ scene_name: "Game", previous_scene_name: "BRB" }),
    ]);
    const storedChanges = await stored(hub, "obs.scene.changed");
    expect(
      storedChanges.map((event) => [
        event.source,
        (event.data as { scene_name: string }).scene_name,
      ]),
    ).toEqual([
      ["obs", "BRB"],
      ["obs", "Game"],
    ]);
    expect((await obsStatus(hub)).scenes.program).toBe("Game");

    const unknown = await post(hub, "/obs/scene/program", { scene_name: "Nope" });
    expect(unknown).toMatchObject({
      status: 422,
      body: { code: "obs_refused", details: { obs_code: 600 } },
    });
    const invalid = await post(hub, "/obs/scene/program", { scene: "BRB" });
    expect(invalid).toMatchObject({ status: 400, body: { code: "invalid_scene" } });
  });

  it("starts and stops the stream, and stores both as OBS reports them", async () => {
    const obs = fakeObs();
    const hub = await hubAt(obs.url);
    await waitForObs(hub);

    expect(await post<ObsOutputChange>(hub, "/obs/stream/start")).toEqual({
      status: 200,
      body: { active: true },
    });
    expect(obs.snapshot().streaming).toBe(true);
    await eventually("live in the status", async () => (await obsStatus(hub)).stream.active);
    expect(await post(hub, "/obs/stream/start")).toMatchObject({
      status: 422,
      body: { code: "obs_refused" },
    });

    expect(await post<ObsOutputChange>(hub, "/obs/stream/stop")).toEqual({
      status: 200,
      body: { active: false },
    });
    expect(obs.snapshot().streaming).toBe(false);
    await eventually(
      "the stop stored",
      async () => (await stored(hub, "obs.stream.stopped")).length === 1,
    );
    expect(await stored(hub, "obs.stream.started")).toHaveLength(1);
    const [stopped] = await stored(hub, "obs.stream.stopped");
    expect(stopped?.data).toMatchObject({ duration_ms: expect.any(Number) });
    expect((await obsStatus(hub)).stream.active).toBe(false);

    obs.startStreamExternally();
    await eventually(
      "OBS's own start stored",
      async () => (await stored(hub, "obs.stream.started")).length === 2,
    );
    expect(await post(hub, "/obs/stream/toggle")).toEqual({ status: 200, body: { active: false } });
    expect(obs.snapshot().streaming).toBe(false);
  });

  it("says OBS refused the password, with what to do, and records the failure once", async () => {
    const obs = fakeObs();
    const hub = await hubAt(obs.url, { password: "not-the-password" });
    await eventually("a second attempt", async () => (await obsStatus(hub)).attempts >= 2);
    const status = await obsStatus(hub);
    expect(status.state).toBe("disconnected");
    expect(status.problem).toEqual({
      code: "obs_auth_failed",
      message: "OBS refused the password in OBS_WEBSOCKET_PASSWORD.",
      action:
        "Set OBS_WEBSOCKET_PASSWORD to the password in OBS → Tools → WebSocket Server Settings, and restart.",
    });
    const health = (await api<HubHealth>(hub, "/health")).body;
    expect(health.status).toBe("degraded");
    expect(health.obs).toMatchObject({
      state: "disconnected",
      problem: { code: "obs_auth_failed" },
    });
    expect(await stored(hub, "obs.connection.failed")).toHaveLength(1);
    expect(JSON.stringify(await stored(hub, "obs.connection.failed"))).not.toContain(
      "not-the-password",
    );
    expect(await api(hub, "/obs/scenes")).toMatchObject({
      status: 409,
      body: { code: "obs_not_connected" },
    });
  });

  it("reconnects by itself when OBS quits and starts again, recording both", async () => {
    const obs = fakeObs();
    const hub = await hubAt(obs.url);
    await waitForObs(hub);
    await post(hub, "/obs/stream/start");
    await eventually("live", async () => (await obsStatus(hub)).stream.active);

    await obs.close();
    await eventually(
      "the loss stored",
      async () => (await stored(hub, "obs.connection.lost")).length === 1,
    );
    expect((await obsStatus(hub)).state).toBe("connecting");
    // Gone after it was there: the first refused attempt is recorded.
    await eventually(
      "a failure stored",
      async () => (await stored(hub, "obs.connection.failed")).length === 1,
    );
    await obs.restart();
    await waitForObs(hub);
    expect(obs.clients()).toHaveLength(1);
    // OBS quit mid-stream without a word: the reconnect finds the stream stopped and says so.
    await eventually(
      "the stop found",
      async () => (await stored(hub, "obs.stream.stopped")).length === 1,
    );
    await eventually(
      "connected twice",
      async () => (await stored(hub, "obs.connection.established")).length === 2,
    );
    expect((await obsStatus(hub)).stream.active).toBe(false);
  });

  it("is ready at once with OBS absent, keeps trying quietly, and stays healthy", async () => {
    const hub = await hubAt(`ws://127.0.0.1:${await freePort()}`);
    await eventually("a refused attempt", async () => (await obsStatus(hub)).attempts >= 1);
    const status = await obsStatus(hub);
    expect(status.state).toBe("connecting");
    expect(status.problem?.code).toBe("obs_unreachable");
    const health = (await api<HubHealth>(hub, "/health")).body;
    expect(health.status).toBe("ok");
    expect(health.obs).toMatchObject({ state: "connecting", stream_active: false });
    // OBS is optional: not running is in the status, not in the activity log.
    expect(await stored(hub, "obs.connection.failed")).toEqual([]);
    expect(await post(hub, "/obs/stream/start")).toMatchObject({
      status: 409,
      body: { code: "obs_not_connected", message: expect.stringContaining("OBS is not answering") },
    });
  });
});
