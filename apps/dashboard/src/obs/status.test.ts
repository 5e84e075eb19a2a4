import { describe, expect, it } from "bun:test";
import { ObsStatus } from "@landale/shared";
import {
  AUTH_FAILED,
  controlsBlocked,
  describeRecord,
  describeStatus,
  describeStream,
  recordState,
  sceneMarks,
  streamFailure,
} from "./status";

const OFF = { active: false, paused: false, reconnecting: false, timecode: null };
const STREAM_OFF = { ...OFF, starting: false, last_failure: null };
const FAILED = {
  code: "obs_stream_start_failed",
  message: "OBS could not start the stream.",
  action: "Check the stream server and key in OBS → Settings → Stream, then start again.",
  at: "2026-03-11T19:02:11.000Z",
};

function status(change: Partial<ObsStatus> = {}): ObsStatus {
  return ObsStatus.parse({
    state: "connected",
    url: "ws://127.0.0.1:4455",
    obs_version: "31.0.2",
    websocket_version: "5.5.4",
    connected_at: "2026-03-01T12:00:00Z",
    attempts: 0,
    problem: null,
    scenes: {
      list: ["Starting Soon", "Game", "BRB"],
      program: "Game",
      preview: null,
      studio_mode: false,
    },
    stream: STREAM_OFF,
    record: OFF,
    virtualcam: { active: false },
    replay_buffer: { active: false },
    ...change,
  });
}

const wrongPassword = {
  code: AUTH_FAILED,
  message: "OBS refused the password (4009).",
  action:
    "Set OBS_WEBSOCKET_PASSWORD to the password in OBS → Tools → WebSocket Server Settings, and restart.",
};

describe("describeStatus", () => {
  it("names OBS's version and address when connected", () => {
    expect(describeStatus(status())).toEqual({
      label: "Connected",
      tone: "ok",
      summary: "Connected to OBS 31.0.2 at ws://127.0.0.1:4455.",
    });
  });

  it("counts the attempts while reconnecting and asks whether OBS's server is on", () => {
    const words = describeStatus(status({ state: "connecting", attempts: 3 }));
    expect(words.tone).toBe("warning");
    expect(words.summary).toContain("3 attempts so far");
    expect(words.summary).toContain("Tools → WebSocket Server Settings");
    expect(describeStatus(status({ state: "connecting", attempts: 1 })).summary).toContain(
      "1 attempt so far",
    );
    expect(describeStatus(status({ state: "connecting", attempts: 0 })).tone).toBe("neutral");
  });

  it("calls a refused password what it is, in danger", () => {
    const words = describeStatus(status({ state: "disconnected", problem: wrongPassword }));
    expect(words).toMatchObject({ label: "Password refused", tone: "danger" });
  });

  it("warns of any other problem, and is calm without one", () => {
    const closed = { code: "obs_unreachable", message: "Connection refused.", action: "Open OBS." };
    expect(describeStatus(status({ state: "disconnected", problem: closed })).tone).toBe("warning");
    expect(describeStatus(status({ state: "disconnected" })).tone).toBe("neutral");
  });
});

describe("controlsBlocked", () => {
  it("lets the controls work only while connected, and says why not otherwise", () => {
    expect(controlsBlocked(status())).toBeNull();
    expect(controlsBlocked(null)).toContain("Waiting for the hub");
    expect(controlsBlocked(status({ state: "connecting", attempts: 2 }))).toContain(
      "not connected",
    );
    expect(controlsBlocked(status({ state: "disconnected", problem: wrongPassword }))).toContain(
      "password",
    );
  });
});

describe("sceneMarks", () => {
  it("marks the program scene, and the preview only in studio mode", () => {
    const scenes = { list: ["A", "B"], program: "A", preview: "B", studio_mode: true };
    expect(sceneMarks(scenes, "A")).toEqual({ program: true, preview: false });
    expect(sceneMarks(scenes, "B")).toEqual({ program: false, preview: true });
    expect(sceneMarks({ ...scenes, studio_mode: false }, "B")).toEqual({
      program: false,
      preview: false,
    });
  });
});

describe("outputs in words", () => {
  it("says whether the stream is live, off, starting, or reconnecting", () => {
    expect(describeStream(STREAM_OFF).label).toBe("Off air");
    expect(describeStream({ ...STREAM_OFF, starting: true })).toEqual({
      label: "Starting…",
      tone: "warning",
    });
    expect(describeStream({ ...STREAM_OFF, active: true }).label).toBe("Live");
    expect(describeStream({ ...STREAM_OFF, active: true, reconnecting: true }).tone).toBe(
      "warning",
    );
  });

  it("shows a failed start while the stream is off, not during the next try", () => {
    expect(streamFailure(status().stream)).toBeNull();
    const failed = status({ stream: { ...STREAM_OFF, last_failure: FAILED } }).stream;
    expect(streamFailure(failed)).toEqual(FAILED);
    expect(streamFailure({ ...failed, starting: true })).toBeNull();
  });

  it("tells a paused recording from a running one", () => {
    expect(recordState(OFF)).toBe("off");
    expect(recordState({ ...OFF, active: true })).toBe("recording");
    expect(recordState({ ...OFF, active: true, paused: true })).toBe("paused");
    expect(describeRecord({ ...OFF, active: true, paused: true }).label).toBe("Paused");
  });
});
