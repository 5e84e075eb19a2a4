/** The fake EventSub's vocabulary: Twitch's close codes, subscription and session shapes, controls. */
import type { ServerWebSocket } from "bun";

/** Twitch's documented close codes for the EventSub WebSocket server. */
export const EVENTSUB_CLOSE = {
  internalError: 4000,
  clientSentInbound: 4001,
  pingPongFailed: 4002,
  connectionUnused: 4003,
  reconnectGraceExpired: 4004,
  networkTimeout: 4005,
  networkError: 4006,
  invalidReconnect: 4007,
} as const;

export type RevocationStatus = "user_removed" | "authorization_revoked" | "version_removed";
export type SubscriptionStatus = "enabled" | "websocket_disconnected" | RevocationStatus;

export interface FakeSubscription {
  id: string;
  status: SubscriptionStatus;
  type: string;
  version: string;
  condition: Record<string, string>;
  created_at: string;
  transport: { method: "websocket"; session_id: string; connected_at: string };
  cost: number;
}

export interface FakeSession {
  id: string;
  /** "reconnecting" once session_reconnect was sent; "closed" after the socket closed. */
  status: "connected" | "reconnecting" | "closed";
  connectedAt: string;
  keepaliveSeconds: number;
  /** The close code the server or the client closed with, once closed. */
  closeCode: number | null;
}

/** Timings of the WebSocket server; Twitch's values by default. */
export interface EventSubTimings {
  /** keepalive_timeout_seconds in the welcome, and the silence after which a keepalive is sent. Default 10 (Twitch allows 10–600; tests may go lower). */
  keepaliveSeconds?: number;
  /** Seconds after the welcome without a subscription before close 4003. Default 10, as Twitch. */
  unusedSeconds?: number;
  /** Seconds the old connection stays open after session_reconnect. Default 30, as Twitch. */
  reconnectGraceSeconds?: number;
  /**
   * Whether the server closes the old connection (1000) once the reconnect_url is used. Default
   * true. False is what Twitch documents: the old connection stays open for the client to close
   * after the new welcome, and is closed with 4004 when the grace time passes first.
   */
  closeReplacedSession?: boolean;
}

/** What a test may set on the EventSub side. */
export interface EventSubSettings extends EventSubTimings {
  /** Subscriptions a page of Get EventSub Subscriptions holds. Default 100, as Twitch. */
  subscriptionsPerPage?: number;
}

/** What a test drives and inspects on the EventSub side. */
export interface EventSubControls {
  sessions(): FakeSession[];
  subscriptions(sessionId?: string): FakeSubscription[];
  /**
   * Sends a notification to the session holding the enabled subscription of `type`; returns its
   * message id. `messageId` resends under an id already used, as Twitch does when unsure.
   */
  notify(
    type: string,
    event: Record<string, unknown>,
    options?: { version?: string; sessionId?: string; messageId?: string },
  ): string;
  /** Sends a raw text frame to a session (e.g. a malformed message). */
  sendRaw(sessionId: string, frame: string): void;
  /** Sends session_reconnect to a connected session (the only one when omitted); returns the reconnect_url. */
  reconnect(sessionId?: string): string;
  /** Marks a subscription revoked and sends the revocation message to its session. */
  revoke(subscriptionId: string, status: RevocationStatus): void;
  /** Closes a session's socket with a close code (e.g. 4000, 4005, 4006). */
  disconnect(sessionId: string, code: number, reason?: string): void;
  /** Stops sending keepalives on every session, now and later (a missed keepalive). */
  stopKeepalives(): void;
}

/**
 * Who may call the subscriptions endpoint: `{owner}` (the user id the token belongs to, or null
 * when the fake does not track users), or the 401 to answer.
 */
export type SubscriptionAuthorizer = (request: Request) => { owner: string | null } | Response;

/** What a connection carries from its upgrade to its socket handlers. */
export interface SocketData {
  /** Set when this connection came from a session_reconnect's reconnect_url. */
  reconnectToken: string | null;
  /** Set when the reconnect token was unknown or spent: the socket is closed with 4007 on open. */
  invalidReconnect: boolean;
  keepaliveSeconds: number;
  sessionId: string;
}

/** One session: its public info, its socket and the timers it owns. */
export interface SessionState {
  info: FakeSession;
  socket: ServerWebSocket<SocketData>;
  keepaliveTimer: Timer | null;
  unusedTimer: Timer | null;
  graceTimer: Timer | null;
  reconnectToken: string | null;
}
