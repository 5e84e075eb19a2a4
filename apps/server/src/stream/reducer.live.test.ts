/** The reducer's view of OBS: the program scene, the stream being live, the omnibar's visibility. */
import { describe, expect, it } from "bun:test";
import { SECOND, StreamDriver } from "../../test/support/stream";
import { EngineState } from "./core";

const HIDING = { omnibarHiddenScenes: ["BRB", "Starting Soon"] };

describe("OBS's scene", () => {
  it("starts with no scene, OBS not connected and the stream not live", () => {
    const stream = new StreamDriver();
    expect(stream.stream.obs).toEqual({ connected: false, scene: null, live: false });
    expect(stream.stream.omnibar).toEqual({ hidden: false, reason: null });
  });

  it("follows the program scene, as one change per scene", () => {
    const stream = new StreamDriver();
    const before = stream.core.version;
    const changed = stream.hub("obs.scene.changed", { scene_name: "Gameplay" });
    expect(changed.changed).toBe(true);
    expect(stream.core.version).toBe(before + 1);
    expect(stream.stream.obs).toMatchObject({ connected: true, scene: "Gameplay" });

    // The same scene again shows nothing new.
    expect(stream.hub("obs.scene.changed", { scene_name: "Gameplay" }).changed).toBe(false);
    stream.hub("obs.scene.changed", {
      scene_name: "Just Chatting",
      previous_scene_name: "Gameplay",
    });
    expect(stream.stream.obs.scene).toBe("Just Chatting");
  });

  it("keeps the last scene while OBS is away", () => {
    const stream = new StreamDriver({ config: HIDING });
    stream.hub("obs.scene.changed", { scene_name: "BRB" });
    stream.hub("obs.connection.lost", { reason: "socket closed", code: 1006 });
    expect(stream.stream.obs).toMatchObject({ connected: false, scene: "BRB" });
    expect(stream.stream.omnibar.hidden).toBe(true);
  });

  it("catches up with the scene OBS has when the hub connects to it", () => {
    const stream = new StreamDriver({ config: HIDING });
    stream.hub("obs.scene.changed", { scene_name: "BRB" });
    stream.hub("obs.connection.lost", { reason: "socket closed" });
    stream.hub("obs.connection.established", { obs_version: "31.0.2", scene_name: "Gameplay" });
    expect(stream.stream.obs).toMatchObject({ connected: true, scene: "Gameplay" });
    expect(stream.stream.omnibar.hidden).toBe(false);

    // A connection that says nothing of the scene leaves the last one known.
    stream.hub("obs.connection.lost", { reason: "socket closed" });
    stream.hub("obs.connection.established", {});
    expect(stream.stream.obs).toMatchObject({ connected: true, scene: "Gameplay" });
  });
});

describe("the omnibar on a listed scene", () => {
  it("hides on a listed scene, whole name in any case, and shows again on another", () => {
    const stream = new StreamDriver({ config: HIDING });
    stream.hub("obs.scene.changed", { scene_name: "brb" });
    expect(stream.stream.omnibar).toEqual({ hidden: true, reason: "scene" });

    stream.hub("obs.scene.changed", { scene_name: "Gameplay" });
    expect(stream.stream.omnibar).toEqual({ hidden: false, reason: null });

    stream.hub("obs.scene.changed", { scene_name: "STARTING SOON" });
    expect(stream.stream.omnibar.hidden).toBe(true);

    // Part of a listed name, or a listed name with more around it, is another scene.
    for (const scene of ["BRB 2", "Starting", " BRB"]) {
      stream.hub("obs.scene.changed", { scene_name: scene });
      expect(stream.stream.omnibar.hidden).toBe(false);
    }
  });

  it("hides on no scene unless scenes are listed", () => {
    const stream = new StreamDriver();
    stream.hub("obs.scene.changed", { scene_name: "BRB" });
    expect(stream.stream.omnibar).toEqual({ hidden: false, reason: null });
  });

  it("lets the layers keep their course underneath: an alert shows and ends while hidden", () => {
    const stream = new StreamDriver({ config: HIDING });
    stream.hub("obs.scene.changed", { scene_name: "BRB" });
    stream.event("channel.follow", { user_name: "Ada" });
    expect(stream.foreground).toMatchObject({ type: "channel.follow" });
    expect(stream.stream.omnibar.hidden).toBe(true);
    expect(stream.drainAlerts().map((alert) => alert.type)).toEqual(["channel.follow"]);
    expect(stream.foreground).toBeNull();
    expect(stream.queue.history.map((alert) => alert.type)).toEqual(["channel.follow"]);
    expect(stream.stream.omnibar.hidden).toBe(true);
  });
});

describe("live", () => {
  it("is OBS's streaming output while OBS is connected", () => {
    const stream = new StreamDriver();
    stream.hub("obs.stream.started", {});
    expect(stream.stream.obs).toEqual({ connected: true, scene: null, live: true });
    stream.hub("obs.stream.stopped", { timecode: "01:02:03.000" });
    expect(stream.stream.obs.live).toBe(false);
  });

  it("does not follow Twitch while OBS is connected: OBS knows first", () => {
    const stream = new StreamDriver();
    stream.hub("obs.connection.established", { stream_active: false });
    stream.event("stream.online");
    expect(stream.stream.obs).toMatchObject({ connected: true, live: false });

    stream.hub("obs.stream.started", {});
    stream.hub("obs.stream.stopped", {});
    // Twitch says offline a while after OBS stopped; the stream was over when OBS said so.
    expect(stream.stream.obs.live).toBe(false);
  });

  it("follows Twitch while OBS is not connected", () => {
    const stream = new StreamDriver();
    stream.event("stream.online");
    expect(stream.stream.obs).toEqual({ connected: false, scene: null, live: true });
    stream.after(SECOND).event("stream.offline");
    expect(stream.stream.obs.live).toBe(false);

    // OBS going away mid-stream hands "live" to Twitch, which still has the stream online.
    stream.event("stream.online");
    stream.hub("obs.stream.started", {});
    stream.hub("obs.connection.failed", { reason: "connect ECONNREFUSED", attempt: 1 });
    expect(stream.stream.obs).toMatchObject({ connected: false, live: true });
  });

  it("catches up with OBS's output when the hub connects to it", () => {
    const stream = new StreamDriver();
    stream.hub("obs.stream.started", {});
    stream.hub("obs.connection.lost", { reason: "socket closed" });
    stream.hub("obs.connection.established", { stream_active: false });
    expect(stream.stream.obs.live).toBe(false);
  });

  it("applies a window's events in order, as one change", () => {
    const stream = new StreamDriver();
    const before = stream.core.version;
    stream.window(
      stream.hubEventOf("obs.stream.started", {}),
      stream.hubEventOf("obs.scene.changed", { scene_name: "Gameplay" }),
      stream.hubEventOf("obs.connection.lost", { reason: "socket closed" }),
    );
    expect(stream.core.version).toBe(before + 1);
    expect(stream.stream.obs).toEqual({ connected: false, scene: "Gameplay", live: false });
  });
});

describe("after a restart", () => {
  it("counts OBS as not connected until it says so again, and keeps what it knew", () => {
    const stream = new StreamDriver({ config: HIDING });
    stream.event("stream.online");
    stream.hub("obs.scene.changed", { scene_name: "BRB" });
    stream.hub("obs.stream.started", {});
    const before = stream.core.version;

    const restored = stream.send({ kind: "restored" });
    expect(restored.changed).toBe(true);
    expect(stream.core.version).toBe(before + 1);
    expect(stream.stream.obs).toEqual({ connected: false, scene: "BRB", live: true });
    expect(stream.stream.omnibar.hidden).toBe(true);

    stream.hub("obs.connection.established", { scene_name: "Gameplay", stream_active: true });
    expect(stream.stream.obs).toEqual({ connected: true, scene: "Gameplay", live: true });
  });

  it("reads back a state written before OBS was tracked, with nothing known of OBS", () => {
    const { live: _live, ...older } = new StreamDriver().core;
    const parsed = EngineState.parse(JSON.parse(JSON.stringify(older)));
    expect(parsed.live).toEqual({
      connected: false,
      scene: null,
      streaming: false,
      twitch_live: false,
    });
  });
});
