/**
 * A fake Twitch EventSub over WebSocket for tests: one Bun server on a free port speaks the
 * documented WebSocket protocol (welcome, keepalive, notification, session_reconnect, revocation,
 * close codes 4001/4003/4004/4007) and the Helix subscriptions endpoint that binds subscriptions to
 * a session, so the product's TWITCH_EVENTSUB_WS_URL / TWITCH_API_URL can point at it.
 */
import type { Server, ServerWebSocket } from "bun";
import { z } from "zod";

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

export interface FakeEventSubOptions {
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
  /** When set, the bearer token the API accepts (any non-empty token otherwise). */
  accessToken?: string;
  /** When set, the Client-Id the API accepts (any non-empty id otherwise). */
  clientId?: string;
}

export interface FakeEventSub {
  /** The WebSocket URL (TWITCH_EVENTSUB_WS_URL). */
  readonly url: string;
  /** The Helix base URL (TWITCH_API_URL), e.g. http://127.0.0.1:1234/helix. */
  readonly apiUrl: string;
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
  stop(): Promise<void>;
}

const CreateBody = z.object({
  type: z.string().min(1),
  version: z.string().min(1),
  condition: z.record(z.string(), z.string()),
  transport: z.object({ method: z.literal("websocket"), session_id: z.string().min(1) }),
});

interface SocketData {
  /** Set when this connection came from a session_reconnect's reconnect_url. */
  reconnectToken: string | null;
  /** Set when the reconnect token was unknown or spent: the socket is closed with 4007 on open. */
  invalidReconnect: boolean;
  keepaliveSeconds: number;
  sessionId: string;
}

interface SessionState {
  info: FakeSession;
  socket: ServerWebSocket<SocketData>;
  keepaliveTimer: Timer | null;
  unusedTimer: Timer | null;
  graceTimer: Timer | null;
  reconnectToken: string | null;
}

/** RFC3339 with nanoseconds, as Twitch writes its timestamps. */
function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

function randomId(bytes = 18): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}

function helixError(status: number, error: string, message: string): Response {
  return Response.json({ error, status, message }, { status });
}

export function startFakeEventSub(options: FakeEventSubOptions = {}): FakeEventSub {
  const keepaliveSeconds = options.keepaliveSeconds ?? 10;
  const unusedMs = (options.unusedSeconds ?? 10) * 1000;
  const graceMs = (options.reconnectGraceSeconds ?? 30) * 1000;
  const sessions = new Map<string, SessionState>();
  const subs = new Map<string, FakeSubscription>();
  /** reconnect token → the old session it replaces; deleted once used. */
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
      send(state, {
        metadata: metadata("session_keepalive"),
        payload: {},
      });
    }, state.info.keepaliveSeconds * 1000);
  };

  const metadata = (type: string, sub?: FakeSubscription) => ({
    message_id: crypto.randomUUID(),
    message_type: type,
    message_timestamp: timestamp(),
    ...(sub ? { subscription_type: sub.type, subscription_version: sub.version } : {}),
  });

  const sessionPayload = (state: SessionState, reconnectUrl: string | null) => ({
    session: {
      id: state.info.id,
      status: state.info.status === "reconnecting" ? "reconnecting" : "connected",
      connected_at: state.info.connectedAt,
      keepalive_timeout_seconds: reconnectUrl === null ? state.info.keepaliveSeconds : null,
      reconnect_url: reconnectUrl,
    },
  });

  const clearTimers = (state: SessionState) => {
    for (const timer of [state.keepaliveTimer, state.unusedTimer, state.graceTimer]) {
      if (timer) clearTimeout(timer);
    }
    state.keepaliveTimer = state.unusedTimer = state.graceTimer = null;
  };

  const markClosed = (state: SessionState, code: number) => {
    if (state.info.status === "closed") return;
    state.info.status = "closed";
    state.info.closeCode = code;
    clearTimers(state);
    if (state.reconnectToken) pendingReconnects.delete(state.reconnectToken);
    for (const sub of subs.values()) {
      if (sub.transport.session_id === state.info.id && sub.status === "enabled") {
        sub.status = "websocket_disconnected";
      }
    }
  };

  const closeSession = (state: SessionState, code: number, reason: string) => {
    if (state.info.status === "closed") return;
    markClosed(state, code);
    state.socket.close(code, reason);
  };

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request, srv) {
      const url = new URL(request.url);
      if (url.pathname === "/ws") {
        const token = url.searchParams.get("reconnect");
        const asked = Number(url.searchParams.get("keepalive_timeout_seconds"));
        // Twitch clamps a numeric keepalive_timeout_seconds to 10–600.
        const keepalive =
          url.searchParams.has("keepalive_timeout_seconds") && Number.isFinite(asked)
            ? Math.min(600, Math.max(10, Math.round(asked)))
            : keepaliveSeconds;
        const data: SocketData = {
          reconnectToken: token,
          invalidReconnect: token !== null && !pendingReconnects.has(token),
          keepaliveSeconds: keepalive,
          sessionId: randomId(),
        };
        if (srv.upgrade(request, { data })) return undefined;
        return new Response("expected a WebSocket upgrade", { status: 426 });
      }
      if (url.pathname === "/helix/eventsub/subscriptions") return api(request, url);
      return helixError(404, "Not Found", "not found");
    },
    websocket: {
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
          for (const sub of subs.values()) {
            if (sub.transport.session_id === old.info.id && sub.status === "enabled") {
              sub.transport = {
                ...sub.transport,
                session_id: state.info.id,
                connected_at: state.info.connectedAt,
              };
            }
          }
          old.reconnectToken = null;
          if (options.closeReplacedSession ?? true) closeSession(old, 1000, "reconnected");
        }
        send(state, {
          metadata: metadata("session_welcome"),
          payload: sessionPayload(state, null),
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
    },
  });

  const port = server.port ?? 0;
  const base = `127.0.0.1:${port}`;

  const authorized = (request: Request): boolean => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    const clientId = request.headers.get("client-id") ?? "";
    if (!bearer || clientId === "") return false;
    if (options.accessToken !== undefined && bearer !== options.accessToken) return false;
    if (options.clientId !== undefined && clientId !== options.clientId) return false;
    return true;
  };

  const totals = () => {
    const all = [...subs.values()];
    return {
      total: all.length,
      total_cost: all.reduce((sum, sub) => sum + sub.cost, 0),
      max_total_cost: 10,
    };
  };

  const api = async (request: Request, url: URL): Promise<Response> => {
    if (!authorized(request)) {
      return helixError(401, "Unauthorized", "OAuth token and Client-Id are required");
    }
    if (request.method === "GET") {
      const status = url.searchParams.get("status");
      const type = url.searchParams.get("type");
      const data = [...subs.values()].filter(
        (sub) => (status === null || sub.status === status) && (type === null || sub.type === type),
      );
      return Response.json({ data, ...totals(), pagination: {} });
    }
    if (request.method === "DELETE") {
      const id = url.searchParams.get("id");
      if (!id) return helixError(400, "Bad Request", "Missing required parameter id");
      if (!subs.delete(id)) return helixError(404, "Not Found", "subscription not found");
      return new Response(null, { status: 204 });
    }
    if (request.method !== "POST")
      return helixError(405, "Method Not Allowed", "method not allowed");
    const parsed = CreateBody.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return helixError(400, "Bad Request", z.prettifyError(parsed.error));
    const body = parsed.data;
    const session = sessions.get(body.transport.session_id);
    if (!session || session.info.status === "closed") {
      return helixError(
        400,
        "Bad Request",
        "websocket transport session does not exist or has already disconnected",
      );
    }
    const duplicate = [...subs.values()].some(
      (sub) =>
        sub.status === "enabled" &&
        sub.type === body.type &&
        sub.version === body.version &&
        sub.transport.session_id === session.info.id &&
        JSON.stringify(sub.condition) === JSON.stringify(body.condition),
    );
    if (duplicate) return helixError(409, "Conflict", "subscription already exists");
    const sub: FakeSubscription = {
      id: crypto.randomUUID(),
      status: "enabled",
      type: body.type,
      version: body.version,
      condition: body.condition,
      created_at: timestamp(),
      transport: {
        method: "websocket",
        session_id: session.info.id,
        connected_at: session.info.connectedAt,
      },
      cost: 0,
    };
    subs.set(sub.id, sub);
    if (session.unusedTimer) clearTimeout(session.unusedTimer);
    session.unusedTimer = null;
    return Response.json({ data: [sub], ...totals() }, { status: 202 });
  };

  const openSessions = () =>
    [...sessions.values()].filter((state) => state.info.status !== "closed");

  let stopped: Promise<void> | null = null;
  return {
    url: `ws://${base}/ws`,
    apiUrl: `http://${base}/helix`,
    sessions: () => [...sessions.values()].map((state) => ({ ...state.info })),
    subscriptions: (sessionId) =>
      [...subs.values()]
        .filter((sub) => sessionId === undefined || sub.transport.session_id === sessionId)
        .map((sub) => ({
          ...sub,
          condition: { ...sub.condition },
          transport: { ...sub.transport },
        })),
    notify(type, event, notifyOptions = {}) {
      const matches = [...subs.values()].filter(
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
    reconnect(sessionId) {
      const candidates = openSessions().filter((state) => state.info.status === "connected");
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
      const reconnectUrl = `ws://${base}/ws?reconnect=${token}`;
      send(state, {
        metadata: metadata("session_reconnect"),
        payload: sessionPayload(state, reconnectUrl),
      });
      state.graceTimer = setTimeout(
        () =>
          closeSession(state, EVENTSUB_CLOSE.reconnectGraceExpired, "reconnect grace time expired"),
        graceMs,
      );
      return reconnectUrl;
    },
    sendRaw(sessionId, frame) {
      const state = sessions.get(sessionId);
      if (!state || state.info.status === "closed") throw new Error(`no open session ${sessionId}`);
      state.socket.send(frame);
      armKeepalive(state);
    },
    revoke(subscriptionId, status) {
      const sub = subs.get(subscriptionId);
      if (!sub) throw new Error(`no subscription ${subscriptionId}`);
      const state = sessions.get(sub.transport.session_id);
      sub.status = status;
      if (state)
        send(state, { metadata: metadata("revocation", sub), payload: { subscription: sub } });
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
    stop() {
      stopped ??= (async () => {
        for (const state of sessions.values()) clearTimers(state);
        pendingReconnects.clear();
        await server.stop(true);
      })();
      return stopped;
    },
  };
}
