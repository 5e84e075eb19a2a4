/**
 * OBS's state read in one go when a connection is identified, and what follows from it, as a pure
 * function: the status as OBS shows it and, after a reconnect, the events for what changed while
 * the hub was not connected (OBS quitting stops its outputs without a word).
 */
import {
  type ObsCatalogueEvent,
  type ObsCore,
  type Step,
  sameList,
  sceneList,
  streamStopped,
} from "./status";

/** OBS as read in one go when a connection is identified; null where OBS has no such output. */
export interface ObsSnapshot {
  scenes: string[];
  program: string;
  preview: string | null;
  studioMode: boolean;
  stream: {
    active: boolean;
    reconnecting: boolean;
    timecode: string | null;
    durationMs: number | null;
  };
  record: { active: boolean; paused: boolean; timecode: string | null };
  virtualcam: boolean | null;
  replayBuffer: boolean | null;
  /** OBS's version (`GetVersion`): obs-websocket before 5.3 (OBS 29) leaves it out of Hello. */
  obsVersion: string | null;
}

/**
 * The status as a snapshot shows it and, when the hub knew OBS before (a reconnect), the events
 * for what changed while it was not connected. The first snapshot records nothing here: the
 * connection event carries OBS's state at connect.
 */
export function applySnapshot(core: ObsCore, snapshot: ObsSnapshot, now: number): Step {
  const { status, known } = core;
  const events: ObsCatalogueEvent[] = [];
  const { stream, record } = snapshot;
  const virtualcam = snapshot.virtualcam ?? false;
  const replayBuffer = snapshot.replayBuffer ?? false;
  if (known) {
    const { scenes } = status;
    if (snapshot.program !== scenes.program) {
      events.push({
        type: "obs.scene.changed",
        data: { scene_name: snapshot.program, previous_scene_name: scenes.program },
      });
    }
    if (!sameList(snapshot.scenes, scenes.list)) events.push(sceneList(snapshot.scenes));
    if (snapshot.studioMode !== scenes.studio_mode) {
      events.push({ type: "obs.studio_mode.changed", data: { enabled: snapshot.studioMode } });
    }
    const flip = (
      was: boolean,
      is: boolean,
      started: ObsCatalogueEvent,
      stopped: ObsCatalogueEvent,
    ) => {
      if (is !== was) events.push(is ? started : stopped);
    };
    flip(
      status.stream.active,
      stream.active,
      { type: "obs.stream.started", data: {} },
      streamStopped(core, now),
    );
    flip(
      status.record.active,
      record.active,
      { type: "obs.recording.started", data: {} },
      { type: "obs.recording.stopped", data: {} },
    );
    flip(
      status.virtualcam.active,
      virtualcam,
      { type: "obs.virtualcam.started", data: {} },
      { type: "obs.virtualcam.stopped", data: {} },
    );
    flip(
      status.replay_buffer.active,
      replayBuffer,
      { type: "obs.replay_buffer.started", data: {} },
      { type: "obs.replay_buffer.stopped", data: {} },
    );
  }
  const streamSince = !stream.active
    ? null
    : stream.durationMs !== null
      ? now - stream.durationMs
      : (core.streamSince ?? now);
  return {
    events,
    core: {
      known: true,
      streamSince,
      status: {
        ...status,
        scenes: {
          list: snapshot.scenes,
          program: snapshot.program,
          preview: snapshot.studioMode ? snapshot.preview : null,
          studio_mode: snapshot.studioMode,
        },
        stream: {
          active: stream.active,
          paused: false,
          reconnecting: stream.active && stream.reconnecting,
          timecode: stream.active ? stream.timecode : null,
          // A start under way when the hub (re)connects is not known: OBS's status has no word
          // for it. A failed start is kept until a stream is found running.
          starting: false,
          last_failure: stream.active ? null : status.stream.last_failure,
        },
        record: {
          active: record.active,
          paused: record.active && record.paused,
          reconnecting: false,
          timecode: record.active ? record.timecode : null,
        },
        virtualcam: { active: virtualcam },
        replay_buffer: { active: replayBuffer },
      },
    },
  };
}
