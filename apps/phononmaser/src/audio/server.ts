/**
 * The audio WebSocket server. Every path but `/events` is an audio source: it is greeted with the
 * older worker's `status` message, sends frames (`wire.ts`) that go to the pipeline, and is
 * closed with a reason at its first malformed frame. `/events` is a read-only subscriber
 * (`events.ts`); what it sends is ignored.
 */
import type { Logger } from "@landale/logger";
import type { Server, ServerWebSocket } from "bun";
import { ConnectionClock } from "./clock";
import { EventFanout } from "./events";
import {
  choiceFor,
  type PcmEncoding,
  SampleFormatGuess,
  type SampleFormats,
} from "./sample-format";
import {
  type AudioFrame,
  CLOSE,
  MAX_FRAME_BYTES,
  parseBinaryFrame,
  parseTextFrame,
  WireError,
} from "./wire";

/** One frame on its way to the pipeline: decoded header, wall-clock time, sample encoding. */
export interface AudioInput {
  sourceId: string;
  sourceName: string;
  /** Epoch ms of the first sample. */
  startedAt: number;
  sampleRate: number;
  channels: number;
  encoding: PcmEncoding;
  pcm: Uint8Array;
}

/** Where audio goes (the pipeline). */
export interface AudioSink {
  /** False when the source cannot be taken (too many sources): the connection is refused. */
  push(input: AudioInput): boolean;
  /** The sender said `stop`: close the source's open speech now. */
  flush(sourceId: string): void;
  /** No connection feeds the source any more. */
  end(sourceId: string): void;
}

/** The figures the `status` greeting carries. */
export interface StatusFigures {
  /** Bytes of audio held by the pipeline. */
  bufferSize: number;
  transcribing: boolean;
  /** Segments waiting for the engine. */
  queueSize: number;
}

export interface AudioServerOptions {
  host: string;
  port: number;
  sampleFormats: SampleFormats;
  sink: AudioSink;
  status: () => StatusFigures;
  logger: Logger;
  maxConnections?: number;
  maxSubscribers?: number;
}

export interface AudioServerStats {
  connections: number;
  subscribers: number;
  /** Connections closed for a malformed frame or a limit. */
  refused: number;
  frames: number;
  bytes: number;
  /** `/events` messages dropped for a subscriber that was behind. */
  eventsDropped: number;
}

export interface AudioServer {
  readonly port: number;
  readonly url: string;
  readonly events: EventFanout;
  stats(): AudioServerStats;
  stop(): Promise<void>;
}

interface SocketData {
  id: number;
  role: "source" | "events";
  clock: ConnectionClock;
  guesses: Map<string, SampleFormatGuess>;
  sources: Set<string>;
  receiving: boolean;
  closing: boolean;
}

const EVENTS_PATH = "/events";
const DEFAULT_MAX_CONNECTIONS = 16;
const DEFAULT_MAX_SUBSCRIBERS = 32;
const CHUNK_EVENT_INTERVAL_MS = 100;
const SUBSCRIBER_BUFFER_BYTES = 1024 * 1024;
/** RFC 6455 caps a close reason at 123 bytes. */
const MAX_REASON_BYTES = 123;

function shorten(reason: string): string {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.byteLength <= MAX_REASON_BYTES) return reason;
  const head = new TextDecoder().decode(bytes.subarray(0, MAX_REASON_BYTES - 3));
  // A character cut in half decodes as U+FFFD: drop it.
  return `${head.replace(/\uFFFD$/, "")}...`;
}

export function startAudioServer(options: AudioServerOptions): AudioServer {
  const { sink, logger } = options;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const events = new EventFanout({
    maxSubscribers: options.maxSubscribers ?? DEFAULT_MAX_SUBSCRIBERS,
    maxBufferedBytes: SUBSCRIBER_BUFFER_BYTES,
    chunkIntervalMs: CHUNK_EVENT_INTERVAL_MS,
    maxSources: maxConnections * 4,
  });
  const sockets = new Set<ServerWebSocket<SocketData>>();
  /** Which connections feed each source: it ends when the last one goes. */
  const feeders = new Map<string, Set<number>>();
  const totals = { refused: 0, frames: 0, bytes: 0 };
  let nextId = 1;

  const refuse = (ws: ServerWebSocket<SocketData>, code: number, reason: string) => {
    if (ws.data.closing) return;
    ws.data.closing = true;
    totals.refused++;
    logger.warn({ connection: ws.data.id, code, reason }, "audio connection refused");
    ws.close(code, shorten(reason));
  };

  const release = (data: SocketData) => {
    for (const sourceId of data.sources) {
      const set = feeders.get(sourceId);
      set?.delete(data.id);
      if (set !== undefined && set.size > 0) continue;
      feeders.delete(sourceId);
      events.forgetSource(sourceId);
      sink.end(sourceId);
    }
    data.sources.clear();
  };

  const receive = (ws: ServerWebSocket<SocketData>, frame: AudioFrame) => {
    const data = ws.data;
    let encoding: PcmEncoding = "int16";
    if (frame.format.bitDepth === 32) {
      let guess = data.guesses.get(frame.sourceId);
      if (guess === undefined) {
        guess = new SampleFormatGuess(choiceFor(options.sampleFormats, frame.sourceId));
        data.guesses.set(frame.sourceId, guess);
      }
      encoding = guess.formatOf(frame.pcm);
    }
    const startedAt = data.clock.toWallMs(frame.timestampUs);
    const accepted = sink.push({
      sourceId: frame.sourceId,
      sourceName: frame.sourceName,
      startedAt,
      sampleRate: frame.format.sampleRate,
      channels: frame.format.channels,
      encoding,
      pcm: frame.pcm,
    });
    if (!accepted) {
      refuse(ws, CLOSE.policy, `too many audio sources: "${frame.sourceId}" was not taken`);
      return;
    }
    if (!data.sources.has(frame.sourceId)) {
      data.sources.add(frame.sourceId);
      const set = feeders.get(frame.sourceId) ?? new Set<number>();
      set.add(data.id);
      feeders.set(frame.sourceId, set);
    }
    data.receiving = true;
    totals.frames++;
    totals.bytes += frame.pcm.byteLength;
    events.chunk({
      timestampUs: startedAt * 1000,
      sourceId: frame.sourceId,
      sourceName: frame.sourceName,
      size: frame.pcm.byteLength,
    });
  };

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: options.host,
    port: options.port,
    fetch(request, srv) {
      const role = new URL(request.url).pathname === EVENTS_PATH ? "events" : "source";
      const data: SocketData = {
        id: nextId++,
        role,
        clock: new ConnectionClock(),
        guesses: new Map(),
        sources: new Set(),
        receiving: false,
        closing: false,
      };
      if (srv.upgrade(request, { data })) return undefined;
      return new Response("a WebSocket endpoint: connect with a WebSocket client", { status: 426 });
    },
    websocket: {
      // Twice the limit, so frames up to there are refused with `wire.ts`'s reason; past it Bun
      // closes with 1009 itself, before buffering more.
      maxPayloadLength: MAX_FRAME_BYTES * 2,
      open(ws) {
        if (ws.data.role === "events") {
          if (!events.add(ws)) refuse(ws, CLOSE.policy, "too many /events subscribers");
          return;
        }
        const full = sockets.size >= maxConnections;
        sockets.add(ws);
        if (full) {
          refuse(ws, CLOSE.policy, `too many audio connections (at most ${maxConnections})`);
          return;
        }
        const figures = options.status();
        ws.send(
          JSON.stringify({
            type: "status",
            connected: true,
            receiving: [...sockets].some((s) => s.data.receiving),
            bufferSize: figures.bufferSize,
            transcribing: figures.transcribing,
            droppedEvents: events.dropped,
            queueSize: figures.queueSize,
          }),
        );
      },
      message(ws, message) {
        if (ws.data.role === "events" || ws.data.closing) return;
        try {
          if (typeof message === "string") {
            const parsed = parseTextFrame(message);
            if (parsed.kind === "audio") receive(ws, parsed.frame);
            else if (parsed.type === "start") ws.data.receiving = true;
            else if (parsed.type === "stop") {
              ws.data.receiving = false;
              for (const sourceId of ws.data.sources) sink.flush(sourceId);
            }
          } else {
            receive(ws, parseBinaryFrame(message));
          }
        } catch (err) {
          if (err instanceof WireError) refuse(ws, err.code, err.reason);
          else {
            logger.error({ err, connection: ws.data.id }, "audio frame failed");
            refuse(ws, 1011, "the server failed on this frame");
          }
        }
      },
      close(ws) {
        if (ws.data.role === "events") {
          events.remove(ws);
          return;
        }
        sockets.delete(ws);
        release(ws.data);
      },
    },
  });

  const port = server.port ?? options.port;
  logger.info({ host: options.host, port }, "audio server listening");
  return {
    port,
    url: `ws://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`,
    events,
    stats: () => ({
      connections: sockets.size,
      subscribers: events.size,
      refused: totals.refused,
      frames: totals.frames,
      bytes: totals.bytes,
      eventsDropped: events.dropped,
    }),
    async stop() {
      for (const ws of sockets) release(ws.data);
      await server.stop(true);
      sockets.clear();
    },
  };
}
