import { describe, expect, it } from "bun:test";
import { HUB_SAMPLES } from "@landale/shared/fixtures/hub";
import { describeEvent } from "./describe";

const OBS_TYPES = Object.keys(HUB_SAMPLES).filter((type) =>
  type.startsWith("obs."),
) as (keyof typeof HUB_SAMPLES)[];

const line = (type: keyof typeof HUB_SAMPLES, data: unknown = HUB_SAMPLES[type]) =>
  describeEvent(type, data);

describe("describeEvent for OBS's events", () => {
  it("names the scene OBS switched to, and the one before", () => {
    expect(line("obs.scene.changed").action).toBe("Scene changed to Gameplay (was Starting Soon)");
    expect(line("obs.scene.changed", { scene_name: "BRB" }).action).toBe("Scene changed to BRB");
    expect(line("obs.scene.changed", { scene_name: "BRB", previous_scene_name: null }).action).toBe(
      "Scene changed to BRB",
    );
  });

  it("says how long the stream and the recording ran, and where the recording went", () => {
    expect(line("obs.stream.started").action).toBe("OBS started streaming");
    expect(line("obs.stream.stopped").action).toBe("OBS stopped streaming after 02:14:09");
    expect(line("obs.stream.stopped", {}).action).toBe("OBS stopped streaming");
    expect(line("obs.stream.start_failed")).toMatchObject({
      action: "OBS could not start the stream",
      accent: "warning",
    });
    const recording = line("obs.recording.stopped");
    expect(recording.action).toBe("OBS stopped recording after 00:42:00");
    expect(recording.detail).toBe("/home/streamer/Videos/2026-03-11 19-02-11.mkv");
  });

  it("marks the hub's link to OBS dropping or failing as a warning, with OBS's reason", () => {
    expect(line("obs.connection.established")).toMatchObject({
      action: "Connected to OBS 31.0.2",
      accent: "neutral",
    });
    expect(line("obs.connection.lost")).toMatchObject({
      action: "Lost the connection to OBS",
      detail: "socket closed",
      accent: "warning",
    });
    expect(line("obs.connection.failed")).toMatchObject({
      action: "Could not connect to OBS",
      detail: "connect ECONNREFUSED 127.0.0.1:4455",
      accent: "warning",
    });
  });

  it("has words for every obs.* type, never the bare type", () => {
    for (const type of OBS_TYPES) {
      const summary = line(type);
      expect(summary.action).not.toContain(type);
      expect(summary.actor).toBeNull();
    }
  });

  it("does not throw on data that is not what the schema says", () => {
    for (const type of OBS_TYPES) expect(describeEvent(type, null).action).not.toBe("");
    expect(describeEvent("obs.scene.changed", { scene_name: 7 }).action).toBe("Scene changed to ?");
    expect(describeEvent("obs.scene_list.changed", { scenes: "BRB" }).action).toBe(
      "OBS's scenes changed: none",
    );
  });

  it("falls back to the type for an obs.* type it does not know", () => {
    expect(describeEvent("obs.something.new", {}).action).toBe("obs.something.new");
  });
});
