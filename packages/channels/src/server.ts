/**
 * The channel server: the WebSocket transport for Bun. `upgrade()` negotiates the serializer from
 * `vsn` (HTTP 403 for an unknown one), checks the origin, authenticates with a token from the
 * `token` param or Phoenix 1.8's `authToken` subprotocol, and upgrades; `websocket` is the handler
 * object for `Bun.serve`. An idle sweep closes sockets that sent nothing for `idleTimeoutMs`; a
 * socket more than `backpressureLimit` bytes behind is closed with `CLOSE_TOO_SLOW` (4008).
 */
import type { Server, WebSocketHandler } from "bun";
import type { AdapterStats, PubSubAdapter } from "./adapter";
import { CLOSE_TOO_SLOW, type SocketCounters, type SocketLimits } from "./limits";
import { type Logger, silentLogger, ThrottledWarn } from "./logger";
import type { Payload } from "./message";
import { NATIVE_BACKPRESSURE_FACTOR, PubSub, type PubSubStats } from "./pubsub";
import type { Router } from "./router";
import { negotiate } from "./serializer";
import { Socket } from "./socket";

export { CLOSE_TOO_SLOW };

/** Phoenix 1.8's client sends its `authToken` as this subprotocol, base64-encoded. */
export const AUTH_TOKEN_PREFIX = "base64url.bearer.phx.";

export const DEFAULTS = {
  idleTimeoutMs: 60_000,
  maxChannels: 100,
  maxFrameBytes: 1024 * 1024,
  maxPendingPerChannel: 1000,
  backpressureLimit: 4 * 1024 * 1024,
  logIntervalMs: 1000,
} as const;

/** Close code for a socket idle past `idleTimeoutMs`. */
const CLOSE_IDLE = 1000;
/** Close code on shutdown: "going away", so clients reconnect. */
export const CLOSE_GOING_AWAY = 1001;
/** Frames past this multiple of `maxFrameBytes` are not even read: Bun closes with 1009. */
const HARD_FRAME_LIMIT_FACTOR = 4;

export interface ConnectInfo {
  /** Connect params: the query string less `vsn` and `token`. */
  params: Record<string, string>;
  token: string | null;
  request: Request;
}

export interface ChannelServerOptions<A> {
  router: Router<A>;
  /** Returns the socket's assigns, or null to refuse the connection (HTTP 403). */
  authenticate?: (info: ConnectInfo) => A | null | Promise<A | null>;
  /** Returns false to refuse a connection from `origin` (HTTP 403). */
  checkOrigin?: (origin: string | null, request: Request) => boolean;
  idleTimeoutMs?: number;
  maxChannels?: number;
  maxFrameBytes?: number;
  maxPendingPerChannel?: number;
  /** Bytes that may wait for one socket; past them it is closed with `CLOSE_TOO_SLOW`. */
  backpressureLimit?: number;
  logger?: Logger;
  /** Refused frames and slow sockets are logged at most once per this interval per reason. */
  logIntervalMs?: number;
  /** The clock for the idle sweep. */
  now?: () => number;
  /** Shares broadcasts with other channel servers (e.g. `createRedisAdapter`). Without one,
   * broadcasts stay on this server. The server starts it and closes it on `close()`. */
  adapter?: PubSubAdapter;
}

export interface ChannelServerStats extends SocketCounters, PubSubStats {
  connections: number;
  channels: number;
  /** Present when the server has an adapter. */
  adapter?: AdapterStats;
}

export interface ChannelServer<A> {
  upgrade(request: Request, server: Server<Socket<A>>): Promise<Response | undefined>;
  readonly websocket: WebSocketHandler<Socket<A>>;
  broadcast(topic: string, event: string, payload: Payload): void;
  info(topic: string, message: unknown): void;
  /** How many channels are joined to `topic`: work only someone watches can wait for one. */
  subscribers(topic: string): number;
  stats(): ChannelServerStats;
  /** Ends every channel, closes every socket with `code` (1001), stops the idle sweep and logs
   * the warnings still being counted. */
  close(code?: number, reason?: string): void;
}

export function createChannelServer<A = unknown>(
  options: ChannelServerOptions<A>,
): ChannelServer<A> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
  const limits: SocketLimits = {
    maxChannels: options.maxChannels ?? DEFAULTS.maxChannels,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULTS.maxFrameBytes,
    maxPendingPerChannel: options.maxPendingPerChannel ?? DEFAULTS.maxPendingPerChannel,
    backpressureLimit: options.backpressureLimit ?? DEFAULTS.backpressureLimit,
  };
  const { backpressureLimit } = limits;
  const counters: SocketCounters = {
    framesIn: 0,
    malformed: 0,
    oversize: 0,
    dropped: 0,
    crashes: 0,
    closedSlow: 0,
  };
  const adapter = options.adapter ?? null;
  const pubsub = new PubSub(backpressureLimit, logger, adapter);
  adapter?.start(({ topic, event, payload }) => pubsub.deliver(topic, event, payload));
  const sockets = new Set<Socket<A>>();
  const throttled = new ThrottledWarn(logger, options.logIntervalMs ?? DEFAULTS.logIntervalMs);
  const deps = { router: options.router, pubsub, limits, counters, logger, throttled };
  let nextId = 1;
  let sweep: ReturnType<typeof setInterval> | null = null;

  const sweepIdle = () => {
    const cutoff = now() - idleTimeoutMs;
    for (const socket of sockets) {
      if (socket.lastSeenAt < cutoff) socket.ws.close(CLOSE_IDLE, "idle timeout");
    }
  };
  const startSweep = () => {
    sweep ??= setInterval(sweepIdle, sweepInterval(idleTimeoutMs));
  };
  const stopSweep = () => {
    if (sweep !== null) clearInterval(sweep);
    sweep = null;
  };

  const websocket: WebSocketHandler<Socket<A>> = {
    open(ws) {
      ws.data.opened(ws, now());
      sockets.add(ws.data);
      startSweep();
    },
    message(ws, frame) {
      ws.data.receive(frame, now());
    },
    close(ws) {
      ws.data.closed();
      sockets.delete(ws.data);
      if (sockets.size === 0) stopSweep();
    },
    maxPayloadLength: limits.maxFrameBytes * HARD_FRAME_LIMIT_FACTOR,
    // Headroom over our own limit: a socket is closed as too slow before Bun drops a frame for it.
    backpressureLimit: backpressureLimit * NATIVE_BACKPRESSURE_FACTOR,
    closeOnBackpressureLimit: false,
    // The idle sweep does Phoenix's timeout: only frames count, not WebSocket pongs.
    idleTimeout: 0,
    sendPings: false,
    publishToSelf: false,
    perMessageDeflate: false,
  };

  return {
    async upgrade(request, server) {
      pubsub.attach(server as Server<unknown>);
      const url = new URL(request.url);
      const serializer = negotiate(url.searchParams.get("vsn"));
      if (serializer === null) return forbidden(`unsupported vsn "${url.searchParams.get("vsn")}"`);
      const origin = request.headers.get("origin");
      if (options.checkOrigin !== undefined && !options.checkOrigin(origin, request)) {
        logger.warn({ origin }, "socket refused: origin not allowed");
        return forbidden("origin not allowed");
      }
      const protocols = parseProtocols(request.headers.get("sec-websocket-protocol"));
      const params = Object.fromEntries(url.searchParams);
      const token = params.token ?? tokenFromProtocols(protocols);
      delete params.vsn;
      delete params.token;
      let assigns = undefined as A;
      if (options.authenticate !== undefined) {
        const result = await options.authenticate({ params, token, request });
        if (result === null) return forbidden("unauthorized");
        assigns = result;
      }
      const socket = new Socket<A>(nextId++, serializer, params, assigns, deps);
      // A browser fails the handshake unless the server picks one of the subprotocols it offered.
      const headers = protocols.includes("phoenix")
        ? { "Sec-WebSocket-Protocol": "phoenix" }
        : undefined;
      if (server.upgrade(request, { data: socket, headers })) return undefined;
      return new Response("expected a WebSocket upgrade", { status: 400 });
    },
    websocket,
    broadcast(topic, event, payload) {
      pubsub.broadcast(topic, event, payload);
    },
    info(topic, message) {
      pubsub.info(topic, message);
    },
    subscribers: (topic) => pubsub.subscribers(topic),
    stats() {
      let channels = 0;
      for (const socket of sockets) channels += socket.channels.size;
      const stats = { ...counters, ...pubsub.stats(), connections: sockets.size, channels };
      return adapter === null ? stats : { ...stats, adapter: adapter.stats() };
    },
    close(code = CLOSE_GOING_AWAY, reason = "server shutting down") {
      stopSweep();
      for (const socket of sockets) socket.shutdown(code, reason);
      throttled.close();
      adapter?.close();
    },
  };
}

function forbidden(reason: string): Response {
  return new Response(reason, { status: 403 });
}

function parseProtocols(header: string | null): string[] {
  if (header === null) return [];
  return header.split(",").map((protocol) => protocol.trim());
}

/** Decodes the token of an `authToken` subprotocol (base64 or base64url, unpadded). */
function tokenFromProtocols(protocols: string[]): string | null {
  const encoded = protocols
    .find((p) => p.startsWith(AUTH_TOKEN_PREFIX))
    ?.slice(AUTH_TOKEN_PREFIX.length);
  if (encoded === undefined) return null;
  try {
    return Buffer.from(encoded.replaceAll("-", "+").replaceAll("_", "/"), "base64").toString(
      "utf8",
    );
  } catch {
    return null;
  }
}

/** Often enough that a socket is closed at most a quarter-timeout late, and never busier than 10 ms. */
function sweepInterval(idleTimeoutMs: number): number {
  return Math.max(10, Math.min(5000, Math.floor(idleTimeoutMs / 4)));
}
