/**
 * What the hub knows of OBS, as a pure function of what OBS said: each event gives the next
 * `ObsStatus` and the catalogue events to record. The status is kept from OBS's events (no
 * polling); `./snapshot` does the same for the state read when a connection is identified.
 */
import {
  type HUB_EVENT_SCHEMAS,
  type HubEventType,
  MAX_OBS_SCENES,
  type ObsStatus,
} from "@landale/shared";
import type { z } from "zod";
import { idleOutput, idleStream, justStarted, streamStartFailure, timecode } from "./output-state";
import { type ObsIncoming, outputState, scenesTopFirst } from "./protocol";

/** One event for the catalogue, typed by its type. */
export type ObsCatalogueEvent = {
  [K in ObsEventType]: { type: K; data: z.input<(typeof HUB_EVENT_SCHEMAS)[K]> };
}[ObsEventType];
type ObsEventType = Extract<HubEventType, `obs.${string}`>;

export interface ObsCore {
  status: ObsStatus;
  /** Whether scenes and outputs were read from OBS at least once since the hub started. */
  known: boolean;
  /** Epoch ms when the stream started, when the hub saw it or OBS said how long it had run. */
  streamSince: number | null;
}

export interface Step {
  core: ObsCore;
  events: ObsCatalogueEvent[];
}

export function initialCore(url: string): ObsCore {
  return {
    known: false,
    streamSince: null,
    status: {
      state: "connecting",
      url,
      obs_version: null,
      websocket_version: null,
      connected_at: null,
      attempts: 0,
      problem: null,
      scenes: { list: [], program: null, preview: null, studio_mode: false },
      stream: idleStream(),
      record: idleOutput(),
      virtualcam: { active: false },
      replay_buffer: { active: false },
    },
  };
}

export const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((name, i) => name === b[i]);

export const sceneList = (scenes: string[]): ObsCatalogueEvent => ({
  type: "obs.scene_list.changed",
  data: { scenes: scenes.slice(0, MAX_OBS_SCENES) },
});

export function streamStopped(core: ObsCore, now: number): ObsCatalogueEvent {
  if (core.streamSince === null) return { type: "obs.stream.stopped", data: {} };
  // The clock may be fractional (performance.now()); the catalogue takes whole milliseconds.
  const ms = Math.max(0, Math.round(now - core.streamSince));
  return { type: "obs.stream.stopped", data: { duration_ms: ms, timecode: timecode(ms) } };
}

/**
 * The next core and what to record, for one event from OBS; `now` is the monotonic clock (how long
 * the stream ran), `at` the wall clock (when a start failed).
 */
export function applyEvent(core: ObsCore, incoming: ObsIncoming, now: number, at: Date): Step {
  const { status } = core;
  const next = (patch: Partial<ObsStatus>, events: ObsCatalogueEvent[] = [], extra = {}): Step => ({
    core: { ...core, ...extra, status: { ...status, ...patch } },
    events,
  });
  switch (incoming.name) {
    case "CurrentProgramSceneChanged": {
      const { sceneName, sceneUuid } = incoming.data;
      if (sceneName === status.scenes.program) return { core, events: [] };
      return next({ scenes: { ...status.scenes, program: sceneName } }, [
        {
          type: "obs.scene.changed",
          data: {
            scene_name: sceneName,
            ...(sceneUuid === undefined ? {} : { scene_uuid: sceneUuid }),
            previous_scene_name: status.scenes.program,
          },
        },
      ]);
    }
    case "CurrentPreviewSceneChanged":
      return next({ scenes: { ...status.scenes, preview: incoming.data.sceneName } });
    case "SceneListChanged": {
      const list = scenesTopFirst(incoming.data.scenes);
      if (sameList(list, status.scenes.list)) return { core, events: [] };
      return next({ scenes: { ...status.scenes, list } }, [sceneList(list)]);
    }
    case "SceneNameChanged": {
      const { oldSceneName, sceneName, sceneUuid } = incoming.data;
      const rename = (name: string | null) => (name === oldSceneName ? sceneName : name);
      const list = status.scenes.list.map((name) => (name === oldSceneName ? sceneName : name));
      const scenes = {
        ...status.scenes,
        list,
        program: rename(status.scenes.program),
        preview: rename(status.scenes.preview),
      };
      const events: ObsCatalogueEvent[] = sameList(list, status.scenes.list)
        ? []
        : [sceneList(list)];
      // OBS sends no program event for a rename: whoever follows the program scene (the stream
      // engine, the omnibar's hidden scenes) learns its new name from this one.
      if (status.scenes.program === oldSceneName && oldSceneName !== sceneName) {
        events.push({
          type: "obs.scene.changed",
          data: {
            scene_name: sceneName,
            ...(sceneUuid === undefined ? {} : { scene_uuid: sceneUuid }),
            previous_scene_name: oldSceneName,
          },
        });
      }
      return next({ scenes }, events);
    }
    case "StudioModeStateChanged": {
      const enabled = incoming.data.studioModeEnabled;
      if (enabled === status.scenes.studio_mode) return { core, events: [] };
      const preview = enabled ? status.scenes.preview : null;
      return next({ scenes: { ...status.scenes, studio_mode: enabled, preview } }, [
        { type: "obs.studio_mode.changed", data: { enabled } },
      ]);
    }
    case "StreamStateChanged":
      return streamChanged(core, outputState(incoming.data.outputState), now, at);
    case "RecordStateChanged": {
      const state = outputState(incoming.data.outputState);
      const record = status.record;
      if (state === "STARTED" && !record.active) {
        return next({ record: justStarted() }, [{ type: "obs.recording.started", data: {} }]);
      }
      if (state === "STOPPED" && record.active) {
        const path = incoming.data.outputPath;
        return next({ record: idleOutput() }, [
          { type: "obs.recording.stopped", data: path ? { output_path: path } : {} },
        ]);
      }
      if (state === "PAUSED" && record.active && !record.paused) {
        return next({ record: { ...record, paused: true } }, [
          { type: "obs.recording.paused", data: {} },
        ]);
      }
      if (state === "RESUMED" && record.active && record.paused) {
        return next({ record: { ...record, paused: false } }, [
          { type: "obs.recording.resumed", data: {} },
        ]);
      }
      return { core, events: [] };
    }
    case "VirtualcamStateChanged":
    case "ReplayBufferStateChanged": {
      const virtualcam = incoming.name === "VirtualcamStateChanged";
      const active = (virtualcam ? status.virtualcam : status.replay_buffer).active;
      const state = outputState(incoming.data.outputState);
      const starting = state === "STARTED" && !active;
      if (!starting && !(state === "STOPPED" && active)) return { core, events: [] };
      const type = virtualcam
        ? starting
          ? "obs.virtualcam.started"
          : "obs.virtualcam.stopped"
        : starting
          ? "obs.replay_buffer.started"
          : "obs.replay_buffer.stopped";
      const patch = virtualcam
        ? { virtualcam: { active: starting } }
        : { replay_buffer: { active: starting } };
      return next(patch, [{ type, data: {} }]);
    }
    case "ReplayBufferSaved":
      return {
        core,
        events: [
          { type: "obs.replay_buffer.saved", data: { path: incoming.data.savedReplayPath } },
        ],
      };
    case "ExitStarted":
      return { core, events: [] };
  }
}

function streamChanged(core: ObsCore, state: string, now: number, at: Date): Step {
  const { status } = core;
  const stream = status.stream;
  const with_ = (
    patch: Partial<ObsStatus["stream"]>,
    events: ObsCatalogueEvent[],
    since = core.streamSince,
  ) => ({
    core: { ...core, streamSince: since, status: { ...status, stream: { ...stream, ...patch } } },
    events,
  });
  switch (state) {
    case "STARTING":
      if (stream.active || stream.starting) return { core, events: [] };
      return with_({ starting: true }, []);
    case "STOPPING":
      // A start called off before it went live is no failure.
      return stream.starting ? with_({ starting: false }, []) : { core, events: [] };
    case "STARTED":
      if (stream.active) return { core, events: [] };
      return with_(
        { ...justStarted(), starting: false, last_failure: null },
        [{ type: "obs.stream.started", data: {} }],
        now,
      );
    case "STOPPED":
      if (stream.active) return with_(idleStream(), [streamStopped(core, now)], null);
      // A start that failed (no answer from the stream server, a wrong key) goes STARTING →
      // STOPPED: nothing went live, but the streamer asked for it and must hear it did not.
      if (!stream.starting) return { core, events: [] };
      return with_(idleStream(streamStartFailure(at)), [
        { type: "obs.stream.start_failed", data: {} },
      ]);
    case "RECONNECTING":
      return with_({ reconnecting: true }, []);
    case "RECONNECTED":
      return with_({ reconnecting: false }, []);
    default:
      return { core, events: [] };
  }
}

/** The preview scene OBS answered when asked; only while studio mode is on and it is unknown. */
export function applyPreview(core: ObsCore, sceneName: string): ObsCore {
  const { scenes } = core.status;
  if (!scenes.studio_mode || scenes.preview !== null) return core;
  return { ...core, status: { ...core.status, scenes: { ...scenes, preview: sceneName } } };
}

/** Whether studio mode is on and OBS has not said which scene is in preview (5.1 does not). */
export const previewUnknown = (core: ObsCore) =>
  core.status.scenes.studio_mode && core.status.scenes.preview === null;

/** Timecodes of the running outputs, as a stats tick read them (OBS sends no event for them). */
export function applyTimecodes(
  core: ObsCore,
  stream: string | null,
  record: string | null,
): ObsCore {
  const { status } = core;
  if (status.stream.timecode === stream && status.record.timecode === record) return core;
  return {
    ...core,
    status: {
      ...status,
      stream: { ...status.stream, timecode: status.stream.active ? stream : null },
      record: { ...status.record, timecode: status.record.active ? record : null },
    },
  };
}
