/**
 * The obs-websocket 5 server side of the fake OBS, mountable on a Bun server: subprotocol choice,
 * Hello with a per-session challenge, Identify/Reidentify, requests and batches (held while the
 * fake "hangs"), events to each identified session whose subscriptions match, and closes.
 */
import { encode } from "@msgpack/msgpack";
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import { createDispatcher, type FakeObsClient, type RequestRunner } from "./dispatch";
import {
  type CloseAction,
  decodeFrame,
  isClose,
  readBatch,
  readEnvelope,
  readIdentify,
  readRequest,
  readSubscriptions,
} from "./messages";
import {
  authAnswer,
  authSecret,
  OBS_CLOSE,
  OBS_EVENT_SUBSCRIPTION,
  OBS_OP,
  OBS_RPC_VERSION,
  OBS_SUBPROTOCOL,
  type ObsEncoding,
  randomSalt,
} from "./protocol";

export type { FakeObsClient };

export interface ObsSocketData {
  session: SessionState;
}

interface SessionState extends FakeObsClient {
  challenge: string | null;
  identified: boolean;
  closing: boolean;
  socket: ServerWebSocket<ObsSocketData> | null;
}

export interface ObsSessionsOptions {
  /** Null when no password is set: Hello then carries no `authentication`. */
  password: string | null;
  obsVersion: string;
  obsWebSocketVersion: string;
  run: RequestRunner;
  now: () => number;
}

export function createObsSessions(options: ObsSessionsOptions) {
  const sessions = new Set<SessionState>();
  let salt = randomSalt();
  let secret = options.password === null ? null : authSecret(options.password, salt);
  let nextId = 1;
  const closeWaiters: Array<() => void> = [];

  const send = (session: SessionState, message: object) => {
    if (session.closing || !session.socket) return;
    session.outgoingMessages += 1;
    session.socket.send(
      session.encoding === OBS_SUBPROTOCOL.json ? JSON.stringify(message) : encode(message),
    );
  };
  const close = (session: SessionState, action: CloseAction) => {
    if (session.closing) return;
    session.closing = true;
    session.socket?.close(action.close, action.reason);
  };

  const dispatcher = createDispatcher<SessionState>({ run: options.run, send, now: options.now });

  const onMessage = (session: SessionState, frame: string | Uint8Array) => {
    if (session.closing) return;
    session.incomingMessages += 1;
    const message = decodeFrame(session.encoding, frame);
    if (isClose(message)) return close(session, message);
    const envelope = readEnvelope(message, session.identified);
    if (isClose(envelope)) return close(session, envelope);
    const { op, d } = envelope;
    if (!session.identified && op !== OBS_OP.Identify) {
      return close(session, {
        close: OBS_CLOSE.NotIdentified,
        reason: "You attempted to send a non-Identify message while not identified.",
      });
    }
    switch (op) {
      case OBS_OP.Identify:
        return identify(session, d);
      case OBS_OP.Reidentify: {
        // Without `eventSubscriptions`, OBS keeps the session's (the doc's "= All" is not what it does).
        const subscriptions = readSubscriptions(d, session.eventSubscriptions);
        if (isClose(subscriptions)) return close(session, subscriptions);
        session.eventSubscriptions = subscriptions;
        return send(session, {
          op: OBS_OP.Identified,
          d: { negotiatedRpcVersion: session.rpcVersion },
        });
      }
      case OBS_OP.Request: {
        const request = readRequest(d);
        if (isClose(request)) return close(session, request);
        return dispatcher.request(session, request);
      }
      case OBS_OP.RequestBatch: {
        const batch = readBatch(d);
        if (isClose(batch)) return close(session, batch);
        return dispatcher.batch(session, batch);
      }
      default:
        return close(session, { close: OBS_CLOSE.UnknownOpCode, reason: `Unknown OpCode: ${op}` });
    }
  };

  const identify = (session: SessionState, d: Record<string, unknown>) => {
    if (session.identified) {
      return close(session, {
        close: OBS_CLOSE.AlreadyIdentified,
        reason: "You are already Identified with the obs-websocket server.",
      });
    }
    if (secret !== null) {
      const failed = (reason: string) =>
        close(session, { close: OBS_CLOSE.AuthenticationFailed, reason });
      if (!("authentication" in d)) {
        return failed(
          "Your payload's data is missing an `authentication` string, however authentication is required.",
        );
      }
      if (typeof d.authentication !== "string") {
        return failed("Your `authentication` field is not a string.");
      }
      if (d.authentication !== authAnswer(secret, session.challenge ?? "")) {
        return failed("Authentication failed.");
      }
    }
    const identified = readIdentify(d, OBS_RPC_VERSION, OBS_EVENT_SUBSCRIPTION.All);
    if (isClose(identified)) return close(session, identified);
    session.rpcVersion = OBS_RPC_VERSION;
    session.eventSubscriptions = identified.eventSubscriptions;
    session.identified = true;
    send(session, { op: OBS_OP.Identified, d: { negotiatedRpcVersion: OBS_RPC_VERSION } });
  };

  const websocket: WebSocketHandler<ObsSocketData> = {
    open(socket) {
      const { session } = socket.data;
      session.socket = socket;
      sessions.add(session);
      const hello: Record<string, unknown> = {
        // obs-websocket added OBS's own version to Hello in 5.3 (OBS 30); 5.1 (OBS 29) sends none.
        ...(helloNamesObs(options.obsWebSocketVersion)
          ? { obsStudioVersion: options.obsVersion }
          : {}),
        obsWebSocketVersion: options.obsWebSocketVersion,
        rpcVersion: OBS_RPC_VERSION,
      };
      if (secret !== null) {
        session.challenge = randomSalt();
        hello.authentication = { challenge: session.challenge, salt };
      }
      send(session, { op: OBS_OP.Hello, d: hello });
    },
    message(socket, frame) {
      onMessage(socket.data.session, typeof frame === "string" ? frame : new Uint8Array(frame));
    },
    close(socket) {
      const { session } = socket.data;
      session.closing = true;
      session.socket = null;
      sessions.delete(session);
      if (sessions.size === 0) for (const resolve of closeWaiters.splice(0)) resolve();
    },
  };

  return {
    websocket,
    requests: dispatcher.requests,
    /**
     * obs-websocket selects the first subprotocol it supports among those asked for, and none
     * when it supports none of them (a client that asked for one then fails the handshake).
     * Without any, the session speaks JSON.
     */
    upgrade(request: Request, server: Server<ObsSocketData>): Response | undefined {
      const asked = (request.headers.get("sec-websocket-protocol") ?? "")
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
      const chosen = asked.find(
        (name): name is ObsEncoding =>
          name === OBS_SUBPROTOCOL.json || name === OBS_SUBPROTOCOL.msgpack,
      );
      const session: SessionState = {
        id: String(nextId++),
        remoteAddress: formatAddress(server.requestIP(request)),
        encoding: chosen ?? OBS_SUBPROTOCOL.json,
        rpcVersion: OBS_RPC_VERSION,
        eventSubscriptions: OBS_EVENT_SUBSCRIPTION.All,
        connectedAt: options.now(),
        incomingMessages: 0,
        outgoingMessages: 0,
        challenge: null,
        identified: false,
        closing: false,
        socket: null,
      };
      // Bun echoes the first protocol asked for unless told otherwise; "" selects none.
      const headers = asked.length > 0 ? { "Sec-WebSocket-Protocol": chosen ?? "" } : undefined;
      if (server.upgrade(request, { data: { session }, headers })) return undefined;
      return new Response("Upgrade Required", { status: 426 });
    },
    broadcast(intent: number, eventType: string, eventData?: Record<string, unknown>) {
      const d: Record<string, unknown> = { eventType, eventIntent: intent };
      if (eventData) d.eventData = eventData;
      const message = { op: OBS_OP.Event, d };
      const deliver = () => {
        for (const session of sessions) {
          if (session.identified && (session.eventSubscriptions & intent) !== 0)
            send(session, message);
        }
      };
      dispatcher.event(deliver);
    },
    clients: (): FakeObsClient[] =>
      [...sessions]
        .filter((session) => session.identified && !session.closing)
        .map(
          ({
            id,
            remoteAddress,
            encoding,
            rpcVersion,
            eventSubscriptions,
            connectedAt,
            incomingMessages,
            outgoingMessages,
          }) => ({
            id,
            remoteAddress,
            encoding,
            rpcVersion,
            eventSubscriptions,
            connectedAt,
            incomingMessages,
            outgoingMessages,
          }),
        ),
    hang: dispatcher.hang,
    held: dispatcher.held,
    setReady: dispatcher.setReady,
    /** A fresh salt and secret, as OBS makes each time its server starts. */
    renewSalt() {
      salt = randomSalt();
      secret = options.password === null ? null : authSecret(options.password, salt);
    },
    /** Closes every session (`abrupt`: drops the TCP connection, no close frame); resolves once all are gone. */
    closeAll(action: CloseAction, abrupt = false): Promise<void> {
      dispatcher.reset();
      const done = new Promise<void>((resolve) => {
        if (sessions.size === 0) resolve();
        else closeWaiters.push(resolve);
      });
      for (const session of sessions) {
        if (abrupt) {
          session.closing = true;
          session.socket?.terminate();
        } else close(session, action);
      }
      return done;
    },
    /** The Kick button of OBS's session list: 4011, and the client must not reconnect. */
    kick(id: string): boolean {
      const session = [...sessions].find((candidate) => candidate.id === id);
      if (!session) return false;
      close(session, {
        close: OBS_CLOSE.SessionInvalidated,
        reason: "Your session has been invalidated.",
      });
      return true;
    },
  };
}

function formatAddress(address: { address: string; port: number } | null): string {
  return address ? `${address.address}:${address.port}` : "unknown";
}

/** Whether obs-websocket `version` names OBS's version in Hello (5.3 and later). */
export function helloNamesObs(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 5 || (major === 5 && minor >= 3);
}
