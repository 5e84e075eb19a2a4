/** What a client is given (`ClientOptions`, with `CLIENT_DEFAULTS`) and what it tells (`ClientStatus`). */
import type { BackoffOptions } from "./backoff";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface ClientStatus {
  state: ConnectionState;
  /** Failed connection attempts since the last open. */
  attempts: number;
  lastError: string | null;
  /** Pushes waiting for their topic to be joined. */
  queueDepth: number;
  /** Pushes the full queue dropped (oldest first). */
  dropped: number;
  /** Payloads that failed their schema. */
  invalid: number;
  /** Gaps noticed between `event_batch`es (each then filled by a rejoin or from the API). */
  gaps: number;
  /** Missed events fetched from `GET /api/activity/events`. */
  paged: number;
  /** Gaps given up on: a rejoin did not fill them, or the API could not be read. */
  unfilled: number;
}

export interface ClientLogger {
  warn(message: string, context?: unknown): void;
}

export interface ClientOptions {
  /** The socket URL without `/websocket`, e.g. `ws://127.0.0.1:7175/socket`. */
  url: string;
  /** Connect params; put the token here (`{token}`) as the overlay URL's `?token=` is. */
  params?: Record<string, string>;
  /** The hub's HTTP origin, for paging missed events; by default the socket URL's. */
  apiUrl?: string;
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  /** Pushes waiting while disconnected, at most. */
  queueMax?: number;
  pushTimeoutMs?: number;
  logger?: ClientLogger;
}

export const CLIENT_DEFAULTS = {
  heartbeatMs: 15_000,
  queueMax: 200,
  pushTimeoutMs: 10_000,
} as const;

/** `ws://host:port/socket` → `http://host:port`; a relative URL is read against the page's. */
export function httpOrigin(socketUrl: string): string | null {
  try {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    const url = new URL(socketUrl, base);
    url.protocol =
      url.protocol === "wss:" ? "https:" : url.protocol === "ws:" ? "http:" : url.protocol;
    return url.origin;
  } catch {
    return null;
  }
}

export function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  // Browsers report a failed WebSocket as a bare Event, which says nothing more than this.
  if (typeof Event !== "undefined" && value instanceof Event) return `connection ${value.type}`;
  if (typeof value === "object" && value !== null && "message" in value)
    return String(value.message);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
