/** @landale/testkit — utilities for tests across the workspaces. */
export {
  concatAudio,
  type ObsAudio,
  type ObsAudioFrameFields,
  type ObsSampleEncoding,
  obsAudioFrame,
  type SendAudioOptions,
  sendAudio,
  speak,
} from "./audio/obs-audio";
export { type FakeWav, parseWav } from "./audio/wav";
export {
  AUDIO_WORKER_READY_TIMEOUT_MS,
  type AudioWorkerHealth,
  type AudioWorkerProcess,
  type SpawnAudioWorkerOptions,
  spawnAudioWorker,
} from "./audio-worker";
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser } from "./browser";
export {
  HUB_READY_TIMEOUT_MS,
  type HubProcess,
  type SpawnHubOptions,
  spawnHub,
} from "./hub";
export {
  encodeIronmonFrames,
  IRONMON_SESSION,
  playIronmonBytes,
  playIronmonSession,
  seededRandom,
} from "./ironmon/session";
export {
  DEFAULT_FAKE_ANALYSIS,
  INVALID_FAKE_ANALYSIS,
  NOT_JSON_CONTENT,
} from "./llm/answers";
export { startFakeLlm } from "./llm/fake";
export {
  FAKE_LLM_MODES,
  type FakeLlm,
  type FakeLlmAnswer,
  type FakeLlmMode,
  type FakeLlmModes,
  type FakeLlmOptions,
  type FakeLlmRequest,
} from "./llm/fake-types";
export type { FakeChatRequest, ResponseFormatType } from "./llm/request";
export type { FakeObsClient } from "./obs/dispatch";
export { DEFAULT_FAKE_OBS_SCENES, startFakeObs } from "./obs/fake";
export type {
  FakeBrowserSource,
  FakeObs,
  FakeObsCloseOptions,
  FakeObsOptions,
  FakeObsPress,
  FakeObsSnapshot,
} from "./obs/fake-types";
export type { FakeObsOutput, FakeObsStats } from "./obs/outputs";
export {
  authResponse,
  OBS_BATCH_EXECUTION,
  OBS_CLOSE,
  OBS_EVENT_SUBSCRIPTION,
  OBS_OP,
  OBS_RPC_VERSION,
  OBS_STATUS,
  OBS_SUBPROTOCOL,
  type ObsOutputState,
} from "./obs/protocol";
export {
  connectObs,
  type ObsEvent,
  type ObsMessage,
  openRaw,
  type RawObsClient,
} from "./obs/raw-client";
export type { FakeObsRequest } from "./obs/request-log";
export type { FakeObsInput, FakeObsInputSpec, FakeObsScene } from "./obs/state";
export { freePort } from "./ports";
export { type PostgresBehindProxy, postgresBehindProxy } from "./postgres-proxy";
export { answersHttp, type Program, spawnProgram } from "./program";
export {
  type FakeRainwave,
  type FakeRainwaveMode,
  type FakeRainwaveOptions,
  type FakeRainwaveRequest,
  type FakeRainwaveSong,
  startFakeRainwave,
} from "./rainwave/fake";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy";
export {
  type FakeTranscriber,
  type FakeTranscriberOptions,
  type FakeTranscriptionRequest,
  startFakeTranscriber,
} from "./transcriber/fake";
export type { FakeEmote, FakeGoal } from "./twitch/catalog";
export type { FakeChannel, FakeChannelPreset } from "./twitch/channel";
export {
  EVENTSUB_CLOSE,
  type EventSubControls,
  type EventSubSettings,
  type FakeEventSub,
  type FakeEventSubOptions,
  type FakeSession,
  type FakeSubscription,
  type RevocationStatus,
  type SubscriptionStatus,
  startFakeEventSub,
} from "./twitch/eventsub";
export {
  DEFAULT_FAKE_SCOPES,
  DEFAULT_FAKE_USER,
  type FakeDevice,
  type FakeRequest,
  type FakeTwitch,
  type FakeTwitchOptions,
  type ScriptedAnswer,
  startFakeTwitch,
} from "./twitch/fake";
export { DEVICE_GRANT_TYPE } from "./twitch/oauth";
export type { RateLimitSetting } from "./twitch/rate-limit";
export type { DeviceStatus, FakeTwitchUser, TokenAnswer } from "./twitch/state";
export { createFakeWhisperCli, type FakeWhisperCli } from "./whisper/fake";
export type {
  FakeWhisperAnswer,
  FakeWhisperInput,
  FakeWhisperInvocation,
} from "./whisper/fake-types";
