/**
 * The fake OBS's four outputs — stream, recording, virtual camera, replay buffer — and its
 * statistics: each start, stop and pause announces the state changes obs-websocket 5.6 sends, in
 * order. Durations are read from `now` when asked, so no timer runs.
 */
import { type ObsOutputState, OBS_EVENT_SUBSCRIPTION as SUB } from "./protocol";

type Step = ObsOutputState extends `OBS_WEBSOCKET_OUTPUT_${infer S}` ? S : never;

type EmitEvent = (intent: number, eventType: string, eventData?: Record<string, unknown>) => void;

export type FakeObsOutput = "stream" | "record" | "virtualcam" | "replayBuffer";

export interface FakeObsStats {
  cpuUsage: number;
  memoryUsage: number;
  availableDiskSpace: number;
  activeFps: number;
  averageFrameRenderTime: number;
  renderSkippedFrames: number;
  renderTotalFrames: number;
  outputSkippedFrames: number;
  outputTotalFrames: number;
}

export interface ObsOutputsOptions {
  virtualCam: boolean;
  replayBuffer: boolean;
  recordDirectory: string;
  now: () => number;
  emit: EmitEvent;
}

interface OutputClock {
  active: boolean;
  startedAt: number;
  pausedAt: number | null;
  pausedMs: number;
}

const FPS = 60;
/** A 6000 kb/s stream or recording, for byte counts that grow with time. */
const BYTES_PER_MS = 750;

const OUTPUT_EVENTS: Record<FakeObsOutput, string> = {
  stream: "StreamStateChanged",
  record: "RecordStateChanged",
  virtualcam: "VirtualcamStateChanged",
  replayBuffer: "ReplayBufferStateChanged",
};

const idle = (): OutputClock => ({ active: false, startedAt: 0, pausedAt: null, pausedMs: 0 });
const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** OBS's default recording name, `%CCYY-%MM-%DD %hh-%mm-%ss`, in local time. */
function recordingName(at: number): string {
  const d = new Date(at);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}.mkv`;
}

/** `HH:MM:SS.mmm`, as obs-websocket writes an output's timecode. */
export function timecode(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(ms % 1000, 3)}`;
}

export function createObsOutputs(options: ObsOutputsOptions) {
  const { now, emit } = options;
  const outputs: Record<FakeObsOutput, OutputClock> = {
    stream: idle(),
    record: idle(),
    virtualcam: idle(),
    replayBuffer: idle(),
  };
  let lastRecordPath: string | null = null;
  let streamStartsFail = false;
  let statOverrides: Partial<FakeObsStats> = {};
  const launchedAt = now();

  const outputEvent = (output: FakeObsOutput, step: Step, extra = {}) => {
    const outputState: ObsOutputState = `OBS_WEBSOCKET_OUTPUT_${step}`;
    const active = step === "STARTED" || step === "RESUMED" || step === "RECONNECTED";
    emit(SUB.Outputs, OUTPUT_EVENTS[output], { outputActive: active, outputState, ...extra });
  };
  const start = (output: FakeObsOutput) => {
    outputs[output] = { active: true, startedAt: now(), pausedAt: null, pausedMs: 0 };
  };

  const state = {
    active: (output: FakeObsOutput) => outputs[output].active,
    recordPaused: () => outputs.record.active && outputs.record.pausedAt !== null,
    duration(output: FakeObsOutput): number {
      const clock = outputs[output];
      if (!clock.active) return 0;
      return (clock.pausedAt ?? now()) - clock.startedAt - clock.pausedMs;
    },
    bytes: (output: FakeObsOutput) => state.duration(output) * BYTES_PER_MS,
    frames: (output: FakeObsOutput) => Math.floor((state.duration(output) * FPS) / 1000),

    /** While set, a stream start fails as with a wrong server or key: STARTING, then STOPPED. */
    failStreamStarts(fail: boolean) {
      streamStartsFail = fail;
    },
    startStream() {
      outputEvent("stream", "STARTING");
      if (streamStartsFail) return outputEvent("stream", "STOPPED");
      start("stream");
      outputEvent("stream", "STARTED");
    },
    stopStream() {
      outputEvent("stream", "STOPPING");
      outputs.stream = idle();
      outputEvent("stream", "STOPPED");
    },
    startRecord() {
      outputEvent("record", "STARTING", { outputPath: null });
      start("record");
      lastRecordPath = `${options.recordDirectory}/${recordingName(now())}`;
      outputEvent("record", "STARTED", { outputPath: lastRecordPath });
    },
    /** Stops the recording and answers the file it wrote. */
    stopRecord(): string | null {
      outputEvent("record", "STOPPING", { outputPath: null });
      outputs.record = idle();
      outputEvent("record", "STOPPED", { outputPath: lastRecordPath });
      return lastRecordPath;
    },
    lastRecordPath: () => lastRecordPath,
    /** Like OBS, pausing or resuming while not recording does nothing. */
    setRecordPaused(paused: boolean) {
      const clock = outputs.record;
      if (!clock.active || paused === (clock.pausedAt !== null)) return;
      if (paused) clock.pausedAt = now();
      else {
        clock.pausedMs += now() - (clock.pausedAt ?? now());
        clock.pausedAt = null;
      }
      outputEvent("record", paused ? "PAUSED" : "RESUMED", { outputPath: null });
    },
    virtualCamAvailable: () => options.virtualCam,
    setVirtualCam(active: boolean) {
      if (active === outputs.virtualcam.active) return;
      if (active) start("virtualcam");
      else outputs.virtualcam = idle();
      outputEvent("virtualcam", active ? "STARTED" : "STOPPED");
    },
    replayBufferAvailable: () => options.replayBuffer,
    setReplayBuffer(active: boolean) {
      if (active === outputs.replayBuffer.active) return;
      outputEvent("replayBuffer", active ? "STARTING" : "STOPPING");
      if (active) start("replayBuffer");
      else outputs.replayBuffer = idle();
      outputEvent("replayBuffer", active ? "STARTED" : "STOPPED");
    },
    /** OBS quitting: every output ends without an event (obs-websocket has stopped sending them). */
    stopOutputsSilently() {
      for (const output of Object.keys(outputs) as FakeObsOutput[]) outputs[output] = idle();
    },

    stats(): FakeObsStats {
      const frames = Math.floor(((now() - launchedAt) * FPS) / 1000);
      return {
        cpuUsage: 2.5,
        memoryUsage: 420.5,
        availableDiskSpace: 204_800,
        activeFps: FPS,
        averageFrameRenderTime: 1.25,
        renderSkippedFrames: 0,
        renderTotalFrames: frames,
        outputSkippedFrames: 0,
        outputTotalFrames: frames,
        ...statOverrides,
      };
    },
    setStats(stats: Partial<FakeObsStats>) {
      statOverrides = { ...statOverrides, ...stats };
    },
  };
  return state;
}
