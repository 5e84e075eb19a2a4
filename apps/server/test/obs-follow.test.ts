/**
 * What OBS does beside a plain switch or start, which the hub must still follow (found against a
 * real OBS 29, obs-websocket 5.1): the scene on program renamed (the overlays follow its new name),
 * a stream that fails to start (the status and the activity log say so), and studio mode turned on
 * without a word of its preview (the hub asks OBS). Against the fake OBS, through a real hub.
 */
import { describe, expect, it } from "bun:test";
import { testEngines } from "@landale/db/testing";
import type { StreamState } from "@landale/shared";
import { eventually } from "./support/eventually";
import { startTestHub, useTestDatabase } from "./support/hub";
import {
  api,
  FAST_OBS,
  fakeObs,
  obsConfig,
  obsHub,
  obsStatus,
  post,
  stored,
  waitForObs,
} from "./support/obs";

describe.each(testEngines())("OBS followed on %s", (engine) => {
  const database = useTestDatabase(engine);

  it("moves the overlays to the new name of the scene on program, and the omnibar with it", async () => {
    const obs = fakeObs({ programScene: "BRB" });
    await database.reset();
    const hub = await startTestHub(
      { ...obsConfig(obs.url), omnibarHiddenScenes: ["BRB"] },
      { obs: { timings: FAST_OBS }, database: database.current },
    );
    await waitForObs(hub);
    const state = async () => (await api<StreamState>(hub, "/stream/state")).body;
    await eventually("the omnibar hidden on BRB", async () => (await state()).omnibar.hidden);

    obs.renameScene("BRB", "Chatting");
    await eventually(
      "the status renamed",
      async () => (await obsStatus(hub)).scenes.program === "Chatting",
    );
    await eventually(
      "the overlays on Chatting",
      async () => (await state()).obs.scene === "Chatting",
    );
    expect((await state()).omnibar).toEqual({ hidden: false, reason: null });

    // Back to a hidden name (any case): the omnibar hides without a switch.
    obs.renameScene("Chatting", "brb");
    await eventually("the overlays on brb", async () => (await state()).obs.scene === "brb");
    expect((await state()).omnibar).toEqual({ hidden: true, reason: "scene" });

    const changes = await stored(hub, "obs.scene.changed");
    expect(changes.map((event) => event.data)).toEqual([
      expect.objectContaining({ scene_name: "Chatting", previous_scene_name: "BRB" }),
      expect.objectContaining({ scene_name: "brb", previous_scene_name: "Chatting" }),
    ]);
    expect((await obsStatus(hub)).scenes.list).toEqual(["Starting Soon", "Game", "brb", "Ending"]);
  });

  it("says when OBS could not start the stream, stores it once, and forgets it once live", async () => {
    const obs = fakeObs();
    await database.reset();
    const hub = await obsHub(obs.url, {}, { database: database.current });
    await waitForObs(hub);
    const before = Date.now();

    // OBS takes the request, then gives up on the stream server: STARTING, then STOPPED.
    obs.failStreamStarts(true);
    expect(await post(hub, "/obs/stream/start")).toEqual({ status: 200, body: { active: true } });
    await eventually("the failure in the status", async () =>
      Boolean((await obsStatus(hub)).stream.last_failure),
    );
    const { stream } = await obsStatus(hub);
    expect(stream).toMatchObject({
      active: false,
      starting: false,
      last_failure: {
        code: "obs_stream_start_failed",
        message: "OBS could not start the stream.",
        action: expect.stringContaining("stream server and key"),
      },
    });
    const at = Date.parse(stream.last_failure?.at ?? "");
    expect(at).toBeGreaterThanOrEqual(before - 1_000);
    expect(at).toBeLessThanOrEqual(Date.now());
    await eventually(
      "the failure stored",
      async () => (await stored(hub, "obs.stream.start_failed")).length === 1,
    );
    expect(await stored(hub, "obs.stream.started")).toEqual([]);
    expect(await stored(hub, "obs.stream.stopped")).toEqual([]);

    obs.failStreamStarts(false);
    expect(await post(hub, "/obs/stream/start")).toEqual({ status: 200, body: { active: true } });
    await eventually("live", async () => (await obsStatus(hub)).stream.active);
    expect((await obsStatus(hub)).stream).toMatchObject({ starting: false, last_failure: null });
    expect(await stored(hub, "obs.stream.start_failed")).toHaveLength(1);
  });

  it("knows the preview scene as soon as studio mode is on, though OBS does not say it", async () => {
    const obs = fakeObs({ programScene: "Game" });
    await database.reset();
    const hub = await obsHub(obs.url, {}, { database: database.current });
    await waitForObs(hub);

    expect(await post(hub, "/obs/studio-mode", { enabled: true })).toEqual({
      status: 200,
      body: { enabled: true },
    });
    await eventually(
      "the preview known",
      async () => (await obsStatus(hub)).scenes.preview === "Game",
    );
    expect((await obsStatus(hub)).scenes).toMatchObject({ studio_mode: true, program: "Game" });

    // Off, then on from OBS itself: the preview is asked for again.
    obs.setStudioMode(false);
    await eventually("studio mode off", async () => !(await obsStatus(hub)).scenes.studio_mode);
    expect((await obsStatus(hub)).scenes.preview).toBeNull();
    obs.setProgramScene("Ending");
    obs.setStudioMode(true);
    await eventually(
      "the new preview known",
      async () => (await obsStatus(hub)).scenes.preview === "Ending",
    );
  });
});
