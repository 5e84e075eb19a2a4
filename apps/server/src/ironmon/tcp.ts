/**
 * The TCP ingest the IronMON tracker connects to: Bun.listen on LANDALE_TCP_HOST:LANDALE_TCP_PORT,
 * one frame decoder per connection (`./framing`), each frame parsed as JSON and checked against
 * the message schemas. A bad length or an oversize frame closes that connection (logged, counted);
 * a frame that is not a valid message is counted and skipped, since its boundaries still hold.
 * Past `maxConnections` a new connection is closed at once; a silent one is closed after
 * `idleTimeoutS`. The listener never throws into the hub: a port in use is a `problem`.
 */
import type { Logger } from "@landale/logger";
import { type IronmonMessage, type IronmonStatus, parseIronmonMessage } from "@landale/shared";
import { createFrameDecoder, type FrameDecoder, type FrameError } from "./framing";

/** The largest frame body: the tracker's biggest message (a full party) is a few KB. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 16;
/** The tracker sends a heartbeat every few seconds; a connection silent this long is gone. */
export const DEFAULT_IDLE_TIMEOUT_S = 300;

export interface IronmonTcpOptions {
  host: string;
  port: number;
  maxConnections?: number;
  idleTimeoutS?: number;
  logger: Logger;
  /** Each valid message but heartbeats, in the order its connection sent it. */
  onMessage(message: IronmonMessage): void;
}

export type TcpStats = IronmonStatus["tcp"];

export interface IronmonTcpServer {
  stats(): TcpStats;
  stop(): void;
}

interface Connection {
  decoder: FrameDecoder;
  id: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function startIronmonTcp(options: IronmonTcpOptions): IronmonTcpServer {
  const { logger, onMessage } = options;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const idleTimeoutS = options.idleTimeoutS ?? DEFAULT_IDLE_TIMEOUT_S;
  const open = new Set<Bun.Socket<Connection>>();
  const counts = {
    accepted: 0,
    refused: 0,
    badLength: 0,
    oversize: 0,
    idle: 0,
    frames: 0,
    invalid: 0,
    heartbeats: 0,
  };
  let nextId = 1;
  let problem: string | null = null;
  // A flood must not flood the log too: each kind of refusal is logged at most once a second.
  const lastLogged = new Map<string, number>();
  const warnAtMostEverySecond = (kind: string, fields: object, message: string) => {
    const now = performance.now();
    if (now - (lastLogged.get(kind) ?? Number.NEGATIVE_INFINITY) < 1000) return;
    lastLogged.set(kind, now);
    logger.warn({ ...fields, counts }, message);
  };

  const closeFor = (socket: Bun.Socket<Connection>, reason: FrameError) => {
    if (reason === "oversize") counts.oversize++;
    else counts.badLength++;
    warnAtMostEverySecond(
      reason,
      { connection: socket.data.id, reason },
      "IronMON connection closed: not frames",
    );
    socket.terminate();
  };

  const handleFrame = (socket: Bun.Socket<Connection>, frame: Uint8Array) => {
    counts.frames++;
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(frame));
    } catch {
      counts.invalid++;
      logger.debug({ connection: socket.data.id }, "IronMON frame is not JSON");
      return;
    }
    const parsed = parseIronmonMessage(json);
    if (!parsed.ok) {
      counts.invalid++;
      logger.debug(
        { connection: socket.data.id, issues: parsed.issues },
        "IronMON message refused",
      );
      return;
    }
    if (parsed.message.type === "heartbeat") counts.heartbeats++;
    else onMessage(parsed.message);
  };

  let listener: Bun.TCPSocketListener<Connection> | null = null;
  try {
    listener = Bun.listen<Connection>({
      hostname: options.host,
      port: options.port,
      socket: {
        open(socket) {
          if (open.size >= maxConnections) {
            counts.refused++;
            warnAtMostEverySecond(
              "refused",
              { maxConnections },
              "IronMON connection refused: too many open",
            );
            socket.terminate();
            return;
          }
          counts.accepted++;
          socket.data = {
            decoder: createFrameDecoder({ maxFrameBytes: MAX_FRAME_BYTES }),
            id: nextId++,
          };
          open.add(socket);
          socket.timeout(idleTimeoutS);
          logger.info({ connection: socket.data.id }, "IronMON tracker connected");
        },
        data(socket, chunk) {
          if (!open.has(socket)) return;
          const { frames, error } = socket.data.decoder.push(chunk);
          for (const frame of frames) handleFrame(socket, frame);
          if (error !== null) closeFor(socket, error);
        },
        timeout(socket) {
          if (!open.has(socket)) return;
          counts.idle++;
          logger.info({ connection: socket.data.id }, "IronMON connection closed: idle");
          socket.terminate();
        },
        close(socket) {
          if (open.delete(socket)) {
            logger.info({ connection: socket.data.id }, "IronMON tracker disconnected");
          }
        },
        error(socket, err) {
          logger.debug({ connection: socket.data?.id, err }, "IronMON connection error");
        },
      },
    });
    logger.info({ host: options.host, port: listener.port }, "IronMON TCP ingest listening");
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
    logger.error(
      { host: options.host, port: options.port, err },
      "IronMON TCP ingest not listening",
    );
  }

  return {
    stats: () => ({
      listening: listener !== null,
      host: options.host,
      port: listener?.port ?? null,
      problem,
      connections: open.size,
      max_connections: maxConnections,
      accepted: counts.accepted,
      refused_connections: counts.refused,
      closed_bad_length: counts.badLength,
      closed_oversize: counts.oversize,
      closed_idle: counts.idle,
      frames: counts.frames,
      invalid_messages: counts.invalid,
      heartbeats: counts.heartbeats,
    }),
    stop() {
      // true: close the open connections too, so nothing is left holding the port.
      listener?.stop(true);
      listener = null;
      for (const socket of open) socket.terminate();
      open.clear();
    },
  };
}
