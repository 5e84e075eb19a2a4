/** @landale/client — the resilient hub client for browsers and Bun. */
export { BACKOFF_DEFAULTS, type BackoffOptions, backoff } from "./backoff";
export {
  CLIENT_DEFAULTS,
  type ClientLogger,
  type ClientOptions,
  type ClientStatus,
  type ConnectionState,
  createClient,
  LandaleClient,
  PushError,
  type Reply,
} from "./client";
export { BoundedQueue } from "./queue";
