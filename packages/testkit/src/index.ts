/** @landale/testkit — utilities for tests across the workspaces. */
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser } from "./browser";
export {
  HUB_READY_TIMEOUT_MS,
  type HubProcess,
  type SpawnHubOptions,
  spawnHub,
} from "./hub";
export { freePort } from "./ports";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy";
export {
  EVENTSUB_CLOSE,
  type FakeEventSub,
  type FakeEventSubOptions,
  type FakeSession,
  type FakeSubscription,
  type RevocationStatus,
  startFakeEventSub,
} from "./twitch/eventsub";
