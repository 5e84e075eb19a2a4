/**
 * The output requests the fake OBS answers — stream, record, virtual camera, replay buffer,
 * output list — as obs-websocket 5.6 does (RequestHandler_Stream/Record/Outputs.cpp), quirks
 * included: PauseRecord while not recording succeeds and does nothing, and ToggleRecordPause then
 * answers `outputPaused: true`.
 */
import { timecode } from "./outputs";
import { OBS_STATUS } from "./protocol";
import { fail, type RequestContext, type RequestHandler } from "./request-fields";

function outputSwitch(
  active: boolean,
  expectActive: boolean,
  act: () => void,
): Record<string, unknown> | undefined {
  if (active && !expectActive) fail(OBS_STATUS.OutputRunning);
  if (!active && expectActive) fail(OBS_STATUS.OutputNotRunning);
  act();
  return undefined;
}

function requireVirtualCam({ state }: RequestContext): void {
  if (!state.virtualCamAvailable()) {
    fail(OBS_STATUS.InvalidResourceState, "VirtualCam is not available.");
  }
}

function requireReplayBuffer({ state }: RequestContext): void {
  if (!state.replayBufferAvailable()) {
    fail(OBS_STATUS.InvalidResourceState, "Replay buffer is not available.");
  }
}

export const outputHandlers: Record<string, RequestHandler> = {
  GetStreamStatus: ({ state }) => {
    const duration = state.duration("stream");
    return {
      outputActive: state.active("stream"),
      outputReconnecting: false,
      outputTimecode: timecode(duration),
      outputDuration: duration,
      outputCongestion: 0,
      outputBytes: state.bytes("stream"),
      outputSkippedFrames: 0,
      outputTotalFrames: state.frames("stream"),
    };
  },
  ToggleStream: ({ state }) => {
    const active = state.active("stream");
    if (active) state.stopStream();
    else state.startStream();
    return { outputActive: !active };
  },
  StartStream: ({ state }) => outputSwitch(state.active("stream"), false, state.startStream),
  StopStream: ({ state }) => outputSwitch(state.active("stream"), true, state.stopStream),

  GetRecordStatus: ({ state }) => {
    const duration = state.duration("record");
    return {
      outputActive: state.active("record"),
      outputPaused: state.recordPaused(),
      outputTimecode: timecode(duration),
      outputDuration: duration,
      outputBytes: state.bytes("record"),
    };
  },
  ToggleRecord: ({ state }) => {
    const active = state.active("record");
    if (active) state.stopRecord();
    else state.startRecord();
    return { outputActive: !active };
  },
  StartRecord: ({ state }) => outputSwitch(state.active("record"), false, state.startRecord),
  StopRecord: ({ state }) => {
    if (!state.active("record")) fail(OBS_STATUS.OutputNotRunning);
    return { outputPath: state.stopRecord() };
  },
  ToggleRecordPause: ({ state }) => {
    const paused = !state.recordPaused();
    state.setRecordPaused(paused);
    return { outputPaused: paused };
  },
  PauseRecord: ({ state }) => {
    if (state.recordPaused()) fail(OBS_STATUS.OutputPaused);
    state.setRecordPaused(true);
    return undefined;
  },
  ResumeRecord: ({ state }) => {
    if (!state.recordPaused()) fail(OBS_STATUS.OutputNotPaused);
    state.setRecordPaused(false);
    return undefined;
  },

  GetVirtualCamStatus: (context) => {
    requireVirtualCam(context);
    return { outputActive: context.state.active("virtualcam") };
  },
  ToggleVirtualCam: (context) => {
    requireVirtualCam(context);
    const active = context.state.active("virtualcam");
    context.state.setVirtualCam(!active);
    return { outputActive: !active };
  },
  StartVirtualCam: (context) => {
    requireVirtualCam(context);
    const { state } = context;
    return outputSwitch(state.active("virtualcam"), false, () => state.setVirtualCam(true));
  },
  StopVirtualCam: (context) => {
    requireVirtualCam(context);
    const { state } = context;
    return outputSwitch(state.active("virtualcam"), true, () => state.setVirtualCam(false));
  },
  GetReplayBufferStatus: (context) => {
    requireReplayBuffer(context);
    return { outputActive: context.state.active("replayBuffer") };
  },
  ToggleReplayBuffer: (context) => {
    requireReplayBuffer(context);
    const active = context.state.active("replayBuffer");
    context.state.setReplayBuffer(!active);
    return { outputActive: !active };
  },
  StartReplayBuffer: (context) => {
    requireReplayBuffer(context);
    const { state } = context;
    return outputSwitch(state.active("replayBuffer"), false, () => state.setReplayBuffer(true));
  },
  StopReplayBuffer: (context) => {
    requireReplayBuffer(context);
    const { state } = context;
    return outputSwitch(state.active("replayBuffer"), true, () => state.setReplayBuffer(false));
  },
  GetOutputList: ({ state }) => {
    const flags = (service: boolean) => ({
      OBS_OUTPUT_AUDIO: true,
      OBS_OUTPUT_VIDEO: true,
      OBS_OUTPUT_ENCODED: true,
      OBS_OUTPUT_MULTI_TRACK: true,
      OBS_OUTPUT_SERVICE: service,
    });
    const output = (outputName: string, outputKind: string, active: boolean, service = false) => ({
      outputName,
      outputKind,
      outputWidth: 1920,
      outputHeight: 1080,
      outputActive: active,
      outputFlags: flags(service),
    });
    const outputs = [
      output("simple_stream", "rtmp_output", state.active("stream"), true),
      output("simple_file_output", "ffmpeg_muxer", state.active("record")),
    ];
    if (state.virtualCamAvailable()) {
      outputs.push(output("virtualcam_output", "virtualcam_output", state.active("virtualcam")));
    }
    if (state.replayBufferAvailable()) {
      outputs.push(output("Replay Buffer", "replay_buffer", state.active("replayBuffer")));
    }
    return { outputs };
  },
};
