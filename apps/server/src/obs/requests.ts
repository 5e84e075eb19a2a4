/**
 * The reads the hub makes of OBS, each answered in the shapes of `@landale/shared` (`api/obs.ts`):
 * one message per read where it takes several requests (a batch), OBS's answers parsed before
 * use, and a request OBS refused named with OBS's own words.
 */
import type {
  ObsInputList,
  ObsOutputList,
  ObsRefreshed,
  ObsScenes,
  ObsStats,
  ObsVersion,
} from "@landale/shared";
import type { z } from "zod";
import { type HubAddress, servedByHub } from "./browser-sources";
import type { BatchRequest, BatchResult, ObsConnection } from "./connection";
import { obsRefused, obsUnexpected } from "./failures";
import {
  BROWSER_SOURCE_KIND,
  InputListAnswer,
  InputSettingsAnswer,
  OutputActiveAnswer,
  OutputListAnswer,
  PreviewSceneAnswer,
  REFRESH_BUTTON,
  RecordStatusAnswer,
  SceneListAnswer,
  StatsAnswer,
  StreamStatusAnswer,
  StudioModeAnswer,
  scenesTopFirst,
  VersionAnswer,
} from "./protocol";
import type { ObsSnapshot } from "./snapshot";

export type ObsRequester = Pick<ObsConnection, "request" | "batch">;

function parsed<T extends z.ZodType>(schema: T, requestType: string, answer: unknown): z.infer<T> {
  const result = schema.safeParse(answer ?? {});
  if (!result.success) {
    const [issue] = result.error.issues;
    throw obsUnexpected(requestType, `${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`);
  }
  return result.data;
}

/** One answer of a batch: its data, or a refusal in OBS's words. */
function resultOf<T extends z.ZodType>(
  results: BatchResult[],
  index: number,
  requestType: string,
  schema: T,
): z.infer<T> {
  const result = results[index];
  if (result === undefined) throw obsUnexpected(requestType, "no answer in the batch");
  const { requestStatus } = result;
  if (!requestStatus.result) {
    throw obsRefused(requestType, requestStatus.code, requestStatus.comment);
  }
  return parsed(schema, requestType, result.responseData);
}

/** The answer, or null when OBS refused it (an output this OBS does not have). */
function optional<T>(read: () => T): T | null {
  try {
    return read();
  } catch (err) {
    if (err instanceof Error && "code" in err && err.code === "obs_refused") return null;
    throw err;
  }
}

const requests = (...types: string[]): BatchRequest[] =>
  types.map((requestType) => ({ requestType }));

export async function readSnapshot(obs: ObsRequester): Promise<ObsSnapshot> {
  const results = await obs.batch(
    requests(
      "GetSceneList",
      "GetStudioModeEnabled",
      "GetStreamStatus",
      "GetRecordStatus",
      "GetVirtualCamStatus",
      "GetReplayBufferStatus",
      "GetVersion",
    ),
  );
  const scenes = resultOf(results, 0, "GetSceneList", SceneListAnswer);
  const studio = resultOf(results, 1, "GetStudioModeEnabled", StudioModeAnswer);
  const stream = resultOf(results, 2, "GetStreamStatus", StreamStatusAnswer);
  const record = resultOf(results, 3, "GetRecordStatus", RecordStatusAnswer);
  const virtualcam = optional(() =>
    resultOf(results, 4, "GetVirtualCamStatus", OutputActiveAnswer),
  );
  const replay = optional(() => resultOf(results, 5, "GetReplayBufferStatus", OutputActiveAnswer));
  const version = optional(() => resultOf(results, 6, "GetVersion", VersionAnswer));
  return {
    scenes: scenesTopFirst(scenes.scenes),
    program: scenes.currentProgramSceneName,
    preview: scenes.currentPreviewSceneName ?? null,
    studioMode: studio.studioModeEnabled,
    stream: {
      active: stream.outputActive,
      reconnecting: stream.outputReconnecting ?? false,
      timecode: stream.outputTimecode ?? null,
      durationMs: stream.outputDuration ?? null,
    },
    record: {
      active: record.outputActive,
      paused: record.outputPaused ?? false,
      timecode: record.outputTimecode ?? null,
    },
    virtualcam: virtualcam?.outputActive ?? null,
    replayBuffer: replay?.outputActive ?? null,
    obsVersion: version?.obsVersion ?? null,
  };
}

export async function readScenes(obs: ObsRequester): Promise<ObsScenes> {
  const results = await obs.batch(requests("GetSceneList", "GetStudioModeEnabled"));
  const scenes = resultOf(results, 0, "GetSceneList", SceneListAnswer);
  const studio = resultOf(results, 1, "GetStudioModeEnabled", StudioModeAnswer).studioModeEnabled;
  return {
    list: scenesTopFirst(scenes.scenes),
    program: scenes.currentProgramSceneName,
    preview: studio ? (scenes.currentPreviewSceneName ?? null) : null,
    studio_mode: studio,
  };
}

/** The scene in preview; OBS refuses it (506) outside studio mode. */
export async function readPreviewScene(obs: ObsRequester): Promise<string> {
  const answer = await obs.request("GetCurrentPreviewScene");
  return parsed(PreviewSceneAnswer, "GetCurrentPreviewScene", answer).currentPreviewSceneName;
}

/** OBS's stats, and the running outputs' timecodes (OBS sends no event for those). */
export async function readStats(
  obs: ObsRequester,
  at: Date,
): Promise<{ stats: ObsStats; stream: string | null; record: string | null }> {
  const results = await obs.batch(requests("GetStats", "GetStreamStatus", "GetRecordStatus"));
  const stats = resultOf(results, 0, "GetStats", StatsAnswer);
  const stream = optional(() => resultOf(results, 1, "GetStreamStatus", StreamStatusAnswer));
  const record = optional(() => resultOf(results, 2, "GetRecordStatus", RecordStatusAnswer));
  const count = (value: number) => Math.max(0, Math.round(value));
  return {
    stats: {
      at: at.toISOString(),
      cpu_usage: stats.cpuUsage,
      memory_usage: stats.memoryUsage,
      available_disk_space: stats.availableDiskSpace,
      active_fps: stats.activeFps,
      average_frame_render_time: stats.averageFrameRenderTime,
      render_skipped_frames: count(stats.renderSkippedFrames),
      render_total_frames: count(stats.renderTotalFrames),
      output_skipped_frames: count(stats.outputSkippedFrames),
      output_total_frames: count(stats.outputTotalFrames),
    },
    stream: stream?.outputActive ? (stream.outputTimecode ?? null) : null,
    record: record?.outputActive ? (record.outputTimecode ?? null) : null,
  };
}

export async function readOutputs(obs: ObsRequester): Promise<ObsOutputList> {
  const answer = parsed(OutputListAnswer, "GetOutputList", await obs.request("GetOutputList"));
  return {
    outputs: answer.outputs.map((output) => ({
      name: output.outputName,
      kind: output.outputKind,
      active: output.outputActive,
      width: output.outputWidth ?? null,
      height: output.outputHeight ?? null,
    })),
  };
}

export async function readInputs(obs: ObsRequester): Promise<ObsInputList> {
  const answer = parsed(InputListAnswer, "GetInputList", await obs.request("GetInputList"));
  return {
    inputs: answer.inputs.map((input) => ({
      name: input.inputName,
      kind: input.inputKind ?? input.unversionedInputKind ?? null,
    })),
  };
}

export async function readVersion(obs: ObsRequester): Promise<ObsVersion> {
  const answer = parsed(VersionAnswer, "GetVersion", await obs.request("GetVersion"));
  return {
    obs_version: answer.obsVersion,
    websocket_version: answer.obsWebSocketVersion,
    rpc_version: answer.rpcVersion,
    platform: answer.platform ?? null,
    platform_description: answer.platformDescription ?? null,
  };
}

/**
 * Reloads (without cache) every browser source showing one of this hub's pages: the browser
 * sources listed, their URLs read in one batch, then their refresh buttons pressed in another.
 */
export async function refreshBrowserSources(
  obs: ObsRequester,
  hub: HubAddress,
): Promise<ObsRefreshed> {
  const list = parsed(
    InputListAnswer,
    "GetInputList",
    await obs.request("GetInputList", { inputKind: BROWSER_SOURCE_KIND }),
  );
  const names = list.inputs.map((input) => input.inputName);
  if (names.length === 0) return { refreshed: [] };
  const settings = await obs.batch(
    names.map((inputName) => ({ requestType: "GetInputSettings", requestData: { inputName } })),
  );
  const ours = names.filter((_, i) => {
    const answer = optional(() => resultOf(settings, i, "GetInputSettings", InputSettingsAnswer));
    return answer !== null && servedByHub(answer.inputSettings.url, hub);
  });
  if (ours.length === 0) return { refreshed: [] };
  const presses = await obs.batch(
    ours.map((inputName) => ({
      requestType: "PressInputPropertiesButton",
      requestData: { inputName, propertyName: REFRESH_BUTTON },
    })),
  );
  // A source removed between the two batches is simply not refreshed.
  return { refreshed: ours.filter((_, i) => presses[i]?.requestStatus.result === true) };
}
