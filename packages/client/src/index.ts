/** @landale/client — the resilient hub client for browsers and Bun. */
export { ActivityReadError, type HubApi, readActivityPage } from "./activity";
export { BACKOFF_DEFAULTS, type BackoffOptions, backoff } from "./backoff";
export { createClient, LandaleClient } from "./client";
export {
  CLIENT_DEFAULTS,
  type ClientLogger,
  type ClientOptions,
  type ClientStatus,
  type ConnectionState,
} from "./options";
export { PushError, type Reply } from "./pushes";
export { BoundedQueue } from "./queue";
