/**
 * What the streamer can ask of OBS through the hub — the `obs:*` commands and `/api/obs/*` — as
 * requests on the connection: switch scenes, studio mode, start and stop the stream and the
 * recording, and the reads. Each answers what OBS was asked for; OBS confirms a change with its
 * event, which updates the status (`integration_status`).
 */
import type {
  ObsInputList,
  ObsOutputChange,
  ObsOutputList,
  ObsRecordPause,
  ObsRefreshed,
  ObsSceneName,
  ObsScenes,
  ObsVersion,
} from "@landale/shared";
import type { HubAddress } from "./browser-sources";
import { obsUnexpected } from "./failures";
import { OutputActiveAnswer } from "./protocol";
import {
  type ObsRequester,
  readInputs,
  readOutputs,
  readScenes,
  readVersion,
  refreshBrowserSources,
} from "./requests";

export type OutputAction = "start" | "stop" | "toggle";

export interface ObsCommands {
  scenes(): Promise<ObsScenes>;
  setProgramScene(sceneName: string): Promise<ObsSceneName>;
  setPreviewScene(sceneName: string): Promise<ObsSceneName>;
  setStudioMode(enabled: boolean): Promise<{ enabled: boolean }>;
  stream(action: OutputAction): Promise<ObsOutputChange>;
  record(action: OutputAction): Promise<ObsOutputChange>;
  pauseRecord(paused: boolean): Promise<ObsRecordPause>;
  outputs(): Promise<ObsOutputList>;
  inputs(): Promise<ObsInputList>;
  version(): Promise<ObsVersion>;
  refreshBrowserSources(): Promise<ObsRefreshed>;
}

const STREAM_REQUESTS = { start: "StartStream", stop: "StopStream", toggle: "ToggleStream" };
const RECORD_REQUESTS = { start: "StartRecord", stop: "StopRecord", toggle: "ToggleRecord" };

function outputPathOf(answer: unknown): string | null {
  if (typeof answer !== "object" || answer === null || !("outputPath" in answer)) return null;
  return typeof answer.outputPath === "string" ? answer.outputPath : null;
}

export function obsCommands(obs: ObsRequester, hub: HubAddress): ObsCommands {
  const output = async (requestType: string, action: OutputAction): Promise<ObsOutputChange> => {
    const answer = await obs.request(requestType);
    if (action === "toggle") {
      // OBS answers the state it toggled to.
      const toggled = OutputActiveAnswer.safeParse(answer);
      if (!toggled.success) throw obsUnexpected(requestType, "no outputActive");
      return { active: toggled.data.outputActive };
    }
    if (action === "start") return { active: true };
    const path = outputPathOf(answer);
    return path === null ? { active: false } : { active: false, output_path: path };
  };
  return {
    scenes: () => readScenes(obs),
    async setProgramScene(sceneName) {
      await obs.request("SetCurrentProgramScene", { sceneName });
      return { scene_name: sceneName };
    },
    async setPreviewScene(sceneName) {
      await obs.request("SetCurrentPreviewScene", { sceneName });
      return { scene_name: sceneName };
    },
    async setStudioMode(enabled) {
      await obs.request("SetStudioModeEnabled", { studioModeEnabled: enabled });
      return { enabled };
    },
    stream: (action) => output(STREAM_REQUESTS[action], action),
    record: (action) => output(RECORD_REQUESTS[action], action),
    async pauseRecord(paused) {
      await obs.request(paused ? "PauseRecord" : "ResumeRecord");
      return { paused };
    },
    outputs: () => readOutputs(obs),
    inputs: () => readInputs(obs),
    version: () => readVersion(obs),
    refreshBrowserSources: () => refreshBrowserSources(obs, hub),
  };
}
