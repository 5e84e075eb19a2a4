/**
 * The fake EventSub WebSocket server, mountable on any Bun server: Twitch's documented protocol
 * (welcome, keepalive, notification, session_reconnect, revocation, close codes 4001/4003/4004/4007)
 * and the Helix subscriptions endpoint that binds subscriptions to a session.
 */
import type { Server, WebSocketHandler } from "bun";
import { createSubscriptionsApi, moveSubscriptions, type StoredSubscription } from "./eventsub-api";
import { metadata, requestedKeepalive, sessionPayload } from "./eventsub-messages";
import {
  EVENTSUB_CLOSE,
  type EventSubControls,
  type EventSubSettings,
  type RevocationStatus,
  type SessionState,
  type SocketData,
  type SubscriptionAuthorizer,
} from "./eventsub-types";
import { randomId, timestamp } from "./wire";

/** Closed sessions kept for assertions; the oldest beyond this are forgotten. */
const CLOSED_SESSIONS_KEPT = 1_000;

export interface EventSubCore extends EventSubControls {
  readonly websocket: WebSocketHandler<SocketData>;
  /** Upgrades a request for the WebSocket path; answers 426 when it is not an upgrade. */
  upgrade(request: Request, server: Server<SocketData>, url: URL): Response | undefined;
  /** Helix `/eventsub/subscriptions` (GET, POST, DELETE). */
  api(request: Request, url: URL): Promise<Response>;
  /** Revokes, with a revocation message, every enabled subscription `owner` created; returns how many. */
  revokeOwner(owner: string, status: RevocationStatus): number;
  /** Clears every timer (the server that mounts this closes the sockets). */
  close(): void;
}

export interface EventSubCoreOptions extends EventSubSettings {
  /** The WebSocket URL clients connect to, read when a reconnect_url is built. */
  wsUrl: () => string;
  authorize: SubscriptionAuthorizer;
}

export function createEventSub(options: EventSubCoreOptions): EventSubCore {
  const keepaliveSeconds = options.keepaliveSeconds ?? 10;
  const unusedMs = (options.unusedSeconds ?? 10) * 1000;
  const graceMs = (options.reconnectGraceSeconds ?? 30) * 1000;
  const sessions = new Map<string, SessionState>();
  const subs = new Map<string, StoredSubscription>();
  /** reconnect token → the old session it replaces; deleted once used or closed. */
  const pendingReconnects = new Map<string, string>();
  let keepalivesStopped = false;

  const send = (state: SessionState, message: object) => {
    if (state.info.status === "closed") return;
    state.socket.send(JSON.stringify(message));
    armKeepalive(state);
  };

  // Twitch sends a keepalive only after keepalive_timeout_seconds without any other message.
  const armKeepalive = (state: SessionState) => {
    if (state.keepaliveTimer) clearTimeout(state.keepaliveTimer);
    state.keepaliveTimer = null;
    if (keepalivesStopped || state.info.status === "closed") return;
    state.keepaliveTimer = setTimeout(() => {
      send(state, { metadata: metadata("session_keepalive"), payload: {} });
    }, state.info.keepaliveSeconds * 1000);
  };

  const clearTimers = (state: SessionState) => {
    for (const timer of [state.keepaliveTimer, state.unusedTimer, state.graceTimer]) {
      if (timer) clearTimeout(timer);
    }
    state.keepaliveTimer = state.unusedTimer = state.graceTimer = null;
  };

  const forgetOldSessions = () => {
    const closed = [...sessions.values()].filter((state) => state.info.status === "closed");
    for (const state of closed.slice(0, Math.max(0, closed.length - CLOSED_SESSIONS_KEPT))) {
      sessions.delete(state.info.id);
    }
  };

  const markClosed = (state: SessionState, code: number) => {
    if (state.info.status === "closed") return;
    state.info.status = "closed";
    state.info.closeCode = code;
    clearTimers(state);
    if (state.reconnectToken) pendingReconnects.delete(state.reconnectToken);
    for (const { sub } of subs.values()) {
      if (sub.transport.session_id === state.info.id && sub.status === "enabled") {
        sub.status = "websocket_disconnected";
      }
    }
    forgetOldSessions();
  };

  const closeSession = (state: SessionState, code: number, reason: string) => {
    if (state.info.status === "closed") return;
    markClosed(state, code);
    state.socket.close(code, reason);
  };

  const revocation = (stored: StoredSubscription, status: RevocationStatus) => {
    stored.sub.status = status;
    const state = sessions.get(stored.sub.transport.session_id);
    if (state) {
      send(state, {
        metadata: metadata("revocation", stored.sub),
        payload: { subscription: stored.sub },
      });
    }
  };

  const api = createSubscriptionsApi({
    subscriptions: subs,
    perPage: options.subscriptionsPerPage,
    authorize: options.authorize,
    openSession: (id) => {
      const state = sessions.get(id);
      return state && state.info.status !== "closed" ? state : undefined;
    },
    subscribed: (state) => {
      if (state.unusedTimer) clearTimeout(state.unusedTimer);
      state.unusedTimer = null;
    },
  });

  const websocket: WebSocketHandler<SocketData> = {
    open(ws) {
      if (ws.data.invalidReconnect) {
        ws.close(EVENTSUB_CLOSE.invalidReconnect, "invalid reconnect");
        return;
      }
      const state: SessionState = {
        info: {
          id: ws.data.sessionId,
          status: "connected",
          connectedAt: timestamp(),
          keepaliveSeconds: ws.data.keepaliveSeconds,
          closeCode: null,
        },
        socket: ws,
        keepaliveTimer: null,
        unusedTimer: null,
        graceTimer: null,
        reconnectToken: null,
      };
      sessions.set(state.info.id, state);
      const token = ws.data.reconnectToken;
      const old = token === null ? undefined : sessions.get(pendingReconnects.get(token) ?? "");
      if (token !== null) pendingReconnects.delete(token);
      if (old) {
        // The subscriptions move to the new connection; the old one is closed here, or left to
        // the client (then 4004 after the grace time), as `closeReplacedSession` says.
        moveSubscriptions(subs, old.info.id, state.info);
        old.reconnectToken = null;
        if (options.closeReplacedSession ?? true) closeSession(old, 1000, "reconnected");
      }
      send(state, {
        metadata: metadata("session_welcome"),
        payload: sessionPayload(state.info, null),
      });
      if (!old) {
        state.unusedTimer = setTimeout(
          () => closeSession(state, EVENTSUB_CLOSE.connectionUnused, "connection unused"),
          unusedMs,
        );
      }
    },
    message(ws) {
      // The server accepts only pongs; any other inbound message closes the connection.
      const state = sessions.get(ws.data.sessionId);
      if (state)
        closeSession(state, EVENTSUB_CLOSE.clientSentInbound, "client sent inbound traffic");
    },
    close(ws, code) {
      const state = sessions.get(ws.data.sessionId);
      if (state) markClosed(state, code);
    },
  };

  const connected = () =>
    [...sessions.values()].filter((state) => state.info.status === "connected");

  return {
    websocket,
    api,
    upgrade(request, server, url) {
      const token = url.searchParams.get("reconnect");
      const data: SocketData = {
        reconnectToken: token,
        invalidReconnect: token !== null && !pendingReconnects.has(token),
        keepaliveSeconds: requestedKeepalive(url, keepaliveSeconds),
        sessionId: randomId(),
      };
      if (server.upgrade(request, { data })) return undefined;
      return new Response("expected a WebSocket upgrade", { status: 426 });
    },
    sessions: () => [...sessions.values()].map((state) => ({ ...state.info })),
    subscriptions: (sessionId) =>
      [...subs.values()]
        .map(({ sub }) => sub)
        .filter((sub) => sessionId === undefined || sub.transport.session_id === sessionId)
        .map((sub) => ({
          ...sub,
          condition: { ...sub.condition },
          transport: { ...sub.transport },
        })),
    notify(type, event, notifyOptions = {}) {
      const matches = [...subs.values()]
        .map(({ sub }) => sub)
        .filter(
          (sub) =>
            sub.status === "enabled" &&
            sub.type === type &&
            (notifyOptions.version === undefined || sub.version === notifyOptions.version) &&
            (notifyOptions.sessionId === undefined ||
              sub.transport.session_id === notifyOptions.sessionId),
        );
      const [sub] = matches;
      if (!sub) throw new Error(`no enabled subscription of type ${type}`);
      if (matches.length > 1)
        throw new Error(`several enabled subscriptions of type ${type}: pass sessionId`);
      const state = sessions.get(sub.transport.session_id);
      if (!state) throw new Error(`no session ${sub.transport.session_id}`);
      const meta = {
        ...metadata("notification", sub),
        ...(notifyOptions.messageId === undefined ? {} : { message_id: notifyOptions.messageId }),
      };
      send(state, { metadata: meta, payload: { subscription: sub, event } });
      return meta.message_id;
    },
    sendRaw(sessionId, frame) {
      const state = sessions.get(sessionId);
      if (!state || state.info.status === "closed") throw new Error(`no open session ${sessionId}`);
      state.socket.send(frame);
      armKeepalive(state);
    },
    reconnect(sessionId) {
      const candidates = connected();
      const state =
        sessionId === undefined ? candidates[0] : candidates.find((s) => s.info.id === sessionId);
      if (!state || (sessionId === undefined && candidates.length > 1)) {
        throw new Error(
          sessionId === undefined
            ? "pass the sessionId to reconnect"
            : `no connected session ${sessionId}`,
        );
      }
      const token = randomId();
      pendingReconnects.set(token, state.info.id);
      state.reconnectToken = token;
      state.info.status = "reconnecting";
      const reconnectUrl = `${options.wsUrl()}?reconnect=${token}`;
      send(state, {
        metadata: metadata("session_reconnect"),
        payload: sessionPayload(state.info, reconnectUrl),
      });
      state.graceTimer = setTimeout(
        () =>
          closeSession(state, EVENTSUB_CLOSE.reconnectGraceExpired, "reconnect grace time expired"),
        graceMs,
      );
      return reconnectUrl;
    },
    revoke(subscriptionId, status) {
      const stored = subs.get(subscriptionId);
      if (!stored) throw new Error(`no subscription ${subscriptionId}`);
      revocation(stored, status);
    },
    revokeOwner(owner, status) {
      const owned = [...subs.values()].filter(
        (stored) => stored.owner === owner && stored.sub.status === "enabled",
      );
      for (const stored of owned) revocation(stored, status);
      return owned.length;
    },
    disconnect(sessionId, code, reason = "") {
      const state = sessions.get(sessionId);
      if (!state) throw new Error(`no session ${sessionId}`);
      closeSession(state, code, reason);
    },
    stopKeepalives() {
      keepalivesStopped = true;
      for (const state of sessions.values()) {
        if (state.keepaliveTimer) clearTimeout(state.keepaliveTimer);
        state.keepaliveTimer = null;
      }
    },
    close() {
      for (const state of sessions.values()) clearTimers(state);
      pendingReconnects.clear();
    },
  };
}
