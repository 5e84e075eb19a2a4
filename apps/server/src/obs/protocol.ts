/**
 * What the hub reads of obs-websocket 5 (rpcVersion 1), as obsproject/obs-websocket's
 * docs/generated/protocol.md names it: the event categories it subscribes to, output states, and
 * zod schemas of the answers and events it uses. OBS is outside input like any other: each is
 * parsed before use, and loose, because OBS adds fields between versions.
 */
import { z } from "zod";

/** obs-websocket's event categories (`EventSubscription`) the hub identifies with. */
const SUBSCRIPTION = { General: 1 << 0, Scenes: 1 << 2, Outputs: 1 << 6, Ui: 1 << 10 } as const;

/** Scenes, outputs, studio mode (Ui) and ExitStarted (General); no inputs, no high-volume ones. */
export const OBS_EVENT_SUBSCRIPTIONS =
  SUBSCRIPTION.General | SUBSCRIPTION.Scenes | SUBSCRIPTION.Outputs | SUBSCRIPTION.Ui;

/** Close codes that mean the streamer must change something (`WebSocketCloseCode`). */
export const OBS_CLOSE = {
  AuthenticationFailed: 4009,
  UnsupportedRpcVersion: 4010,
  SessionInvalidated: 4011,
} as const;

export const OBS_RPC_VERSION = 1;

/** The `inputKind` of OBS's browser source (obs-browser). */
export const BROWSER_SOURCE_KIND = "browser_source";
/** The browser source's "Refresh cache of current page" button. */
export const REFRESH_BUTTON = "refreshnocache";

/** Hello and Identified, merged by obs-websocket-js: the versions the hub shows. */
export const HelloVersions = z.looseObject({
  obsStudioVersion: z.string().max(64).optional(),
  obsWebSocketVersion: z.string().max(64).optional(),
});

const SceneEntry = z.looseObject({ sceneName: z.string(), sceneIndex: z.number() });

export const SceneListAnswer = z.looseObject({
  currentProgramSceneName: z.string(),
  currentPreviewSceneName: z.string().nullable().optional(),
  scenes: z.array(SceneEntry),
});

export const StudioModeAnswer = z.looseObject({ studioModeEnabled: z.boolean() });

/** GetCurrentPreviewScene: `currentPreviewSceneName`, all that obs-websocket 5.1 answers. */
export const PreviewSceneAnswer = z.looseObject({ currentPreviewSceneName: z.string() });

export const StreamStatusAnswer = z.looseObject({
  outputActive: z.boolean(),
  outputReconnecting: z.boolean().optional(),
  outputTimecode: z.string().optional(),
  outputDuration: z.number().optional(),
});

export const RecordStatusAnswer = z.looseObject({
  outputActive: z.boolean(),
  outputPaused: z.boolean().optional(),
  outputTimecode: z.string().optional(),
  outputDuration: z.number().optional(),
});

export const OutputActiveAnswer = z.looseObject({ outputActive: z.boolean() });

export const StatsAnswer = z.looseObject({
  cpuUsage: z.number(),
  memoryUsage: z.number(),
  availableDiskSpace: z.number(),
  activeFps: z.number(),
  averageFrameRenderTime: z.number(),
  renderSkippedFrames: z.number(),
  renderTotalFrames: z.number(),
  outputSkippedFrames: z.number(),
  outputTotalFrames: z.number(),
});

export const VersionAnswer = z.looseObject({
  obsVersion: z.string(),
  obsWebSocketVersion: z.string(),
  rpcVersion: z.number(),
  platform: z.string().optional(),
  platformDescription: z.string().optional(),
  availableRequests: z.array(z.string()).optional(),
});

export const InputListAnswer = z.looseObject({
  inputs: z.array(
    z.looseObject({
      inputName: z.string(),
      inputKind: z.string().nullable().optional(),
      unversionedInputKind: z.string().optional(),
    }),
  ),
});

export const InputSettingsAnswer = z.looseObject({
  inputKind: z.string().optional(),
  inputSettings: z.looseObject({ url: z.unknown().optional() }),
});

export const OutputListAnswer = z.looseObject({
  outputs: z.array(
    z.looseObject({
      outputName: z.string(),
      outputKind: z.string(),
      outputActive: z.boolean(),
      outputWidth: z.number().optional(),
      outputHeight: z.number().optional(),
    }),
  ),
});

/** The events the hub acts on, keyed by `eventType`; the rest are ignored. */
export const OBS_EVENTS = {
  CurrentProgramSceneChanged: z.looseObject({
    sceneName: z.string(),
    sceneUuid: z.string().optional(),
  }),
  CurrentPreviewSceneChanged: z.looseObject({ sceneName: z.string() }),
  SceneListChanged: z.looseObject({ scenes: z.array(SceneEntry) }),
  SceneNameChanged: z.looseObject({
    oldSceneName: z.string(),
    sceneName: z.string(),
    sceneUuid: z.string().optional(),
  }),
  StudioModeStateChanged: z.looseObject({ studioModeEnabled: z.boolean() }),
  StreamStateChanged: z.looseObject({ outputActive: z.boolean(), outputState: z.string() }),
  RecordStateChanged: z.looseObject({
    outputActive: z.boolean(),
    outputState: z.string(),
    outputPath: z.string().nullable().optional(),
  }),
  VirtualcamStateChanged: z.looseObject({ outputActive: z.boolean(), outputState: z.string() }),
  ReplayBufferStateChanged: z.looseObject({ outputActive: z.boolean(), outputState: z.string() }),
  ReplayBufferSaved: z.looseObject({ savedReplayPath: z.string() }),
  ExitStarted: z.looseObject({}),
} as const;
export type ObsEventName = keyof typeof OBS_EVENTS;
export const OBS_EVENT_NAMES = Object.keys(OBS_EVENTS) as ObsEventName[];

/** An event as it came, parsed: the union of `{name, data}` over `OBS_EVENTS`. */
export type ObsIncoming = {
  [K in ObsEventName]: { name: K; data: z.infer<(typeof OBS_EVENTS)[K]> };
}[ObsEventName];

/** `OBS_WEBSOCKET_OUTPUT_<state>` without its prefix, e.g. `STARTED`. */
export function outputState(value: string): string {
  return value.replace(/^OBS_WEBSOCKET_OUTPUT_/, "");
}

/** Scenes top first, as OBS's list shows them (GetSceneList answers the bottom one first). */
export function scenesTopFirst(scenes: readonly { sceneName: string; sceneIndex: number }[]) {
  return [...scenes].sort((a, b) => b.sceneIndex - a.sceneIndex).map((scene) => scene.sceneName);
}
