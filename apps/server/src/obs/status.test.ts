import { describe, expect, it } from "bun:test";
import { HUB_EVENT_SCHEMAS } from "@landale/shared";
import { timecode } from "./output-state";
import type { ObsIncoming } from "./protocol";
import { applySnapshot, type ObsSnapshot } from "./snapshot";
import {
  applyEvent,
  applyPreview,
  initialCore,
  type ObsCore,
  previewUnknown,
  type Step,
} from "./status";

const URL = "ws://127.0.0.1:4455";
/** The wall clock of every event fed here. */
const AT = new Date("2026-03-11T19:02:11.000Z");

const snapshot = (overrides: Partial<ObsSnapshot> = {}): ObsSnapshot => ({
  scenes: ["Starting Soon", "Game", "BRB"],
  program: "Starting Soon",
  preview: null,
  studioMode: false,
  stream: { active: false, reconnecting: false, timecode: null, durationMs: null },
  record: { active: false, paused: false, timecode: null },
  virtualcam: false,
  replayBuffer: null,
  obsVersion: "32.0.1",
  ...overrides,
});

const output = (state: string) => ({
  outputActive: state === "STARTED",
  outputState: `OBS_WEBSOCKET_OUTPUT_${state}`,
});

/** Feeds events in order; answers the last core and every event recorded on the way. */
function feed(core: ObsCore, incoming: ObsIncoming[], now = 0): Step {
  const events: Step["events"] = [];
  for (const item of incoming) {
    const step = applyEvent(core, item, now, AT);
    core = step.core;
    events.push(...step.events);
  }
  return { core, events };
}

const known = () => applySnapshot(initialCore(URL), snapshot(), 0).core;

describe("OBS events", () => {
  it("record a program scene change with the scene it replaced, once", () => {
    const step = feed(known(), [
      { name: "CurrentProgramSceneChanged", data: { sceneName: "Game", sceneUuid: "u-1" } },
      { name: "CurrentProgramSceneChanged", data: { sceneName: "Game", sceneUuid: "u-1" } },
    ]);
    expect(step.events).toEqual([
      {
        type: "obs.scene.changed",
        data: { scene_name: "Game", scene_uuid: "u-1", previous_scene_name: "Starting Soon" },
      },
    ]);
    expect(step.core.status.scenes.program).toBe("Game");
  });

  it("record the stream starting and stopping, with how long it ran", () => {
    const started = feed(
      known(),
      [
        { name: "StreamStateChanged", data: output("STARTING") },
        { name: "StreamStateChanged", data: output("STARTED") },
      ],
      1_000,
    );
    expect(started.events).toEqual([{ type: "obs.stream.started", data: {} }]);
    expect(started.core.status.stream).toMatchObject({ active: true, timecode: "00:00:00.000" });
    const stopped = feed(
      started.core,
      [
        { name: "StreamStateChanged", data: output("STOPPING") },
        { name: "StreamStateChanged", data: output("STOPPED") },
      ],
      3_723_456,
    );
    expect(stopped.events).toEqual([
      { type: "obs.stream.stopped", data: { duration_ms: 3_722_456, timecode: "01:02:02.456" } },
    ]);
    expect(stopped.core.status.stream.active).toBe(false);
  });

  it("count the stream's duration in whole milliseconds on a fractional clock", () => {
    const live = feed(known(), [{ name: "StreamStateChanged", data: output("STARTED") }], 10.25);
    const stopped = feed(
      live.core,
      [{ name: "StreamStateChanged", data: output("STOPPED") }],
      1010.75,
    );
    expect(stopped.events).toEqual([
      { type: "obs.stream.stopped", data: { duration_ms: 1001, timecode: "00:00:01.001" } },
    ]);
  });

  it("say a stream is starting, and when a start failed (STARTING, then STOPPED), until one starts", () => {
    const starting = feed(known(), [{ name: "StreamStateChanged", data: output("STARTING") }]);
    expect(starting.events).toEqual([]);
    expect(starting.core.status.stream).toMatchObject({ active: false, starting: true });

    const failed = feed(starting.core, [{ name: "StreamStateChanged", data: output("STOPPED") }]);
    expect(failed.events).toEqual([{ type: "obs.stream.start_failed", data: {} }]);
    expect(failed.core.status.stream).toEqual({
      active: false,
      paused: false,
      reconnecting: false,
      timecode: null,
      starting: false,
      last_failure: {
        code: "obs_stream_start_failed",
        message: "OBS could not start the stream.",
        action: "Check the stream server and key in OBS → Settings → Stream, then start again.",
        at: "2026-03-11T19:02:11.000Z",
      },
    });

    // Trying again keeps the failure in the status until a stream does start.
    const again = feed(failed.core, [{ name: "StreamStateChanged", data: output("STARTING") }]);
    expect(again.core.status.stream).toMatchObject({
      starting: true,
      last_failure: { at: AT.toISOString() },
    });
    const live = feed(again.core, [{ name: "StreamStateChanged", data: output("STARTED") }]);
    expect(live.events).toEqual([{ type: "obs.stream.started", data: {} }]);
    expect(live.core.status.stream).toMatchObject({
      active: true,
      starting: false,
      last_failure: null,
    });
  });

  it("record no failure for a start called off (STARTING, STOPPING, STOPPED) or a plain stop", () => {
    const calledOff = feed(known(), [
      { name: "StreamStateChanged", data: output("STARTING") },
      { name: "StreamStateChanged", data: output("STOPPING") },
      { name: "StreamStateChanged", data: output("STOPPED") },
    ]);
    expect(calledOff.events).toEqual([]);
    expect(calledOff.core.status.stream).toMatchObject({ starting: false, last_failure: null });
    const stray = feed(known(), [{ name: "StreamStateChanged", data: output("STOPPED") }]);
    expect(stray.events).toEqual([]);
  });

  it("follow a recording through pause and resume to the file it wrote", () => {
    const path = "/home/streamer/Videos/2026-03-11 19-02-11.mkv";
    const step = feed(known(), [
      { name: "RecordStateChanged", data: { ...output("STARTED"), outputPath: path } },
      { name: "RecordStateChanged", data: { ...output("PAUSED"), outputPath: null } },
      { name: "RecordStateChanged", data: { ...output("RESUMED"), outputPath: null } },
      { name: "RecordStateChanged", data: { ...output("STOPPED"), outputPath: path } },
    ]);
    expect(step.events.map((event) => event.type)).toEqual([
      "obs.recording.started",
      "obs.recording.paused",
      "obs.recording.resumed",
      "obs.recording.stopped",
    ]);
    expect(step.events.at(-1)?.data).toEqual({ output_path: path });
  });

  it("give a recording that just started a running time of zero, kept while it is paused", () => {
    const started = feed(known(), [{ name: "RecordStateChanged", data: output("STARTED") }]);
    expect(started.core.status.record).toEqual({
      active: true,
      paused: false,
      reconnecting: false,
      timecode: "00:00:00.000",
    });
    const paused = feed(started.core, [{ name: "RecordStateChanged", data: output("PAUSED") }]);
    expect(paused.core.status.record).toMatchObject({ paused: true, timecode: "00:00:00.000" });
  });

  it("record the virtual camera, the replay buffer and a saved replay", () => {
    const step = feed(known(), [
      { name: "VirtualcamStateChanged", data: output("STARTED") },
      { name: "ReplayBufferStateChanged", data: output("STARTED") },
      { name: "ReplayBufferSaved", data: { savedReplayPath: "/videos/Replay.mkv" } },
      { name: "VirtualcamStateChanged", data: output("STOPPED") },
    ]);
    expect(step.events).toEqual([
      { type: "obs.virtualcam.started", data: {} },
      { type: "obs.replay_buffer.started", data: {} },
      { type: "obs.replay_buffer.saved", data: { path: "/videos/Replay.mkv" } },
      { type: "obs.virtualcam.stopped", data: {} },
    ]);
    expect(step.core.status.replay_buffer.active).toBe(true);
    expect(step.core.status.virtualcam.active).toBe(false);
  });

  it("keep the scene list top first, renames included, and studio mode with its preview", () => {
    const step = feed(known(), [
      {
        name: "SceneListChanged",
        data: {
          scenes: [
            { sceneName: "Ending", sceneIndex: 0 },
            { sceneName: "BRB", sceneIndex: 1 },
            { sceneName: "Starting Soon", sceneIndex: 2 },
          ],
        },
      },
      { name: "SceneNameChanged", data: { oldSceneName: "Starting Soon", sceneName: "Intro" } },
      { name: "StudioModeStateChanged", data: { studioModeEnabled: true } },
      { name: "CurrentPreviewSceneChanged", data: { sceneName: "BRB" } },
    ]);
    expect(step.core.status.scenes).toEqual({
      list: ["Intro", "BRB", "Ending"],
      program: "Intro",
      preview: "BRB",
      studio_mode: true,
    });
    expect(step.events).toEqual([
      { type: "obs.scene_list.changed", data: { scenes: ["Starting Soon", "BRB", "Ending"] } },
      { type: "obs.scene_list.changed", data: { scenes: ["Intro", "BRB", "Ending"] } },
      // The renamed scene is on program: it is now called Intro.
      {
        type: "obs.scene.changed",
        data: { scene_name: "Intro", previous_scene_name: "Starting Soon" },
      },
      { type: "obs.studio_mode.changed", data: { enabled: true } },
    ]);
    const off = feed(step.core, [
      { name: "StudioModeStateChanged", data: { studioModeEnabled: false } },
    ]);
    expect(off.core.status.scenes.preview).toBeNull();
  });

  it("record a rename of the program scene as a change to its new name; a preview's only renames", () => {
    const step = feed(known(), [
      { name: "CurrentProgramSceneChanged", data: { sceneName: "BRB" } },
      { name: "StudioModeStateChanged", data: { studioModeEnabled: true } },
      { name: "CurrentPreviewSceneChanged", data: { sceneName: "Game" } },
      {
        name: "SceneNameChanged",
        data: { oldSceneName: "BRB", sceneName: "Chatting", sceneUuid: "u-brb" },
      },
      { name: "SceneNameChanged", data: { oldSceneName: "Game", sceneName: "Gameplay" } },
    ]);
    expect(step.core.status.scenes).toEqual({
      list: ["Starting Soon", "Gameplay", "Chatting"],
      program: "Chatting",
      preview: "Gameplay",
      studio_mode: true,
    });
    expect(step.events.slice(2)).toEqual([
      { type: "obs.scene_list.changed", data: { scenes: ["Starting Soon", "Game", "Chatting"] } },
      {
        type: "obs.scene.changed",
        data: { scene_name: "Chatting", scene_uuid: "u-brb", previous_scene_name: "BRB" },
      },
      {
        type: "obs.scene_list.changed",
        data: { scenes: ["Starting Soon", "Gameplay", "Chatting"] },
      },
    ]);
  });

  it("leave the preview unknown when studio mode turns on without one, until OBS answers it", () => {
    const on = feed(known(), [
      { name: "StudioModeStateChanged", data: { studioModeEnabled: true } },
    ]);
    expect(previewUnknown(on.core)).toBe(true);
    const answered = applyPreview(on.core, "Starting Soon");
    expect(answered.status.scenes).toMatchObject({ studio_mode: true, preview: "Starting Soon" });
    expect(previewUnknown(answered)).toBe(false);
    // An answer never overrides a preview OBS named, nor sets one outside studio mode.
    expect(applyPreview(answered, "Game")).toBe(answered);
    expect(applyPreview(known(), "Game")).toEqual(known());
  });

  it("mark a reconnecting stream and clear it", () => {
    const live = feed(known(), [{ name: "StreamStateChanged", data: output("STARTED") }]).core;
    const reconnecting = feed(live, [{ name: "StreamStateChanged", data: output("RECONNECTING") }]);
    expect(reconnecting.core.status.stream.reconnecting).toBe(true);
    expect(reconnecting.events).toEqual([]);
    const back = feed(reconnecting.core, [
      { name: "StreamStateChanged", data: output("RECONNECTED") },
    ]);
    expect(back.core.status.stream).toMatchObject({ active: true, reconnecting: false });
  });

  it("only ever make events the catalogue accepts", () => {
    const step = feed(
      known(),
      [
        { name: "CurrentProgramSceneChanged", data: { sceneName: "Game" } },
        { name: "StreamStateChanged", data: output("STARTED") },
        { name: "RecordStateChanged", data: { ...output("STARTED"), outputPath: null } },
        { name: "RecordStateChanged", data: { ...output("STOPPED"), outputPath: null } },
        { name: "StreamStateChanged", data: output("STOPPED") },
        { name: "StudioModeStateChanged", data: { studioModeEnabled: true } },
        { name: "SceneNameChanged", data: { oldSceneName: "Game", sceneName: "Gameplay" } },
        { name: "StreamStateChanged", data: output("STARTING") },
        { name: "StreamStateChanged", data: output("STOPPED") },
      ],
      5,
    );
    expect(step.events.length).toBe(9);
    for (const event of step.events) {
      expect(HUB_EVENT_SCHEMAS[event.type].safeParse(event.data).success).toBe(true);
    }
  });
});

describe("snapshots", () => {
  it("record nothing the first time: the connection event carries OBS's state", () => {
    const step = applySnapshot(
      initialCore(URL),
      snapshot({
        stream: {
          active: true,
          reconnecting: false,
          timecode: "00:10:00.000",
          durationMs: 600_000,
        },
      }),
      1_000_000,
    );
    expect(step.events).toEqual([]);
    expect(step.core.known).toBe(true);
    expect(step.core.status.stream).toMatchObject({ active: true, timecode: "00:10:00.000" });
    expect(step.core.streamSince).toBe(400_000);
  });

  it("record what changed while the hub was away: OBS quit mid-stream on another scene", () => {
    const live = applySnapshot(
      initialCore(URL),
      snapshot({
        program: "Game",
        stream: { active: true, reconnecting: false, timecode: null, durationMs: 60_000 },
        record: { active: true, paused: false, timecode: null },
      }),
      100_000,
    ).core;
    const back = applySnapshot(
      live,
      snapshot({ program: "Starting Soon", virtualcam: true }),
      160_000,
    );
    expect(back.events).toEqual([
      {
        type: "obs.scene.changed",
        data: { scene_name: "Starting Soon", previous_scene_name: "Game" },
      },
      { type: "obs.stream.stopped", data: { duration_ms: 120_000, timecode: "00:02:00.000" } },
      { type: "obs.recording.stopped", data: {} },
      { type: "obs.virtualcam.started", data: {} },
    ]);
  });

  it("keep a failed start across a reconnect, and drop it once the stream is found running", () => {
    const failed = feed(known(), [
      { name: "StreamStateChanged", data: output("STARTING") },
      { name: "StreamStateChanged", data: output("STOPPED") },
    ]).core;
    const back = applySnapshot(failed, snapshot(), 10).core;
    expect(back.status.stream).toMatchObject({
      starting: false,
      last_failure: { at: AT.toISOString() },
    });
    const live = applySnapshot(
      failed,
      snapshot({ stream: { active: true, reconnecting: false, timecode: null, durationMs: 5 } }),
      10,
    ).core;
    expect(live.status.stream).toMatchObject({ active: true, last_failure: null });
  });

  it("record nothing when nothing changed", () => {
    expect(applySnapshot(known(), snapshot(), 10).events).toEqual([]);
  });
});

describe("timecode", () => {
  it("writes HH:MM:SS.mmm as OBS does", () => {
    expect(timecode(0)).toBe("00:00:00.000");
    expect(timecode(3_723_004)).toBe("01:02:03.004");
    expect(timecode(100 * 3_600_000)).toBe("100:00:00.000");
  });
});
