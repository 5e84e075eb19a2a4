/**
 * The subscriber process of the ingest bench: raw V2 sockets joined to `events:all`. Every socket
 * counts the events of each `event_batch` from its seq range and notes missed windows; sampled
 * sockets also parse the batch, check it holds its range, and (in timed mode) time each event.
 */
import { serveDriver } from "../lib/worker";
import type {
  ConnectCommand,
  ConnectedReply,
  ReportReply,
  SubscriberCommand,
  SubscriberReply,
  TimedSamples,
} from "./messages";
import { CRITICAL_TYPE, SENT_AT_FIELD, wallClock } from "./payloads";
import { extendRuns, missingOf } from "./runs";
import {
  ALL_TOPIC,
  batchEvents,
  batchRange,
  HEARTBEAT_MS,
  heartbeatFrame,
  isEventBatch,
  isJoinReply,
  joinFrame,
} from "./wire";

/** Handshakes under way at once, so the hub's listen backlog never overflows. */
const MAX_IN_FLIGHT = 64;
/** Latency samples kept per kind (8 bytes each); more are not kept. */
const MAX_SAMPLES = 2_000_000;
const DEFAULT_LIFETIME_MS = 30 * 60_000;

interface Connection {
  ws: WebSocket;
  sampled: boolean;
  open: boolean;
  received: number;
  /** to_seq of the last batch; 0 before the first. */
  lastTo: number;
  /** The seqs received since the reset, as [from, to] runs in order; a missed window starts a new run. */
  runs: [number, number][];
  /** The close code, once the socket is closed. */
  closeCode: number | null;
}

class Samples {
  readonly values = new Float64Array(MAX_SAMPLES);
  count = 0;

  add(value: number): void {
    if (this.count < MAX_SAMPLES) this.values[this.count++] = value;
  }

  taken(): Float64Array {
    return this.values.slice(0, this.count);
  }
}

/** One kind's latencies: at every sampled socket, and at the first one each event reached. */
class KindSamples {
  readonly all = new Samples();
  readonly first = new Samples();
  /** Seqs some sampled socket has already received. */
  readonly #seen = new Set<number>();

  add(seq: number, latency: number): void {
    this.all.add(latency);
    if (this.#seen.has(seq) || this.#seen.size >= MAX_SAMPLES) return;
    this.#seen.add(seq);
    this.first.add(latency);
  }

  taken(): TimedSamples {
    return { all: this.all.taken(), first: this.first.taken() };
  }
}

/** Everything counted since the last reset. */
class Tally {
  received = 0;
  frames = 0;
  bytes = 0;
  gaps = 0;
  mismatched = 0;
  timed = false;
  ordinary = new KindSamples();
  critical = new KindSamples();
  cpuAtReset = cpuMicros();

  reset(timed: boolean): void {
    this.received = 0;
    this.frames = 0;
    this.bytes = 0;
    this.gaps = 0;
    this.mismatched = 0;
    this.timed = timed;
    this.ordinary = new KindSamples();
    this.critical = new KindSamples();
    this.cpuAtReset = cpuMicros();
    for (const connection of connections) {
      connection.received = 0;
      connection.runs = [];
    }
  }
}

const connections: Connection[] = [];
const tally = new Tally();
let heartbeat: ReturnType<typeof setInterval> | null = null;

serveDriver<SubscriberCommand, SubscriberReply>(handle, DEFAULT_LIFETIME_MS);

async function handle(command: SubscriberCommand): Promise<SubscriberReply> {
  switch (command.type) {
    case "connect":
      return connectAll(command);
    case "reset":
      tally.reset(command.timed);
      return { type: "ack", id: command.id };
    case "progress":
      return { type: "progress", id: command.id, ...progress() };
    case "report":
      return report(command.id, command.acked);
  }
}

function progress() {
  return {
    received: tally.received,
    frames: tally.frames,
    bytes: tally.bytes,
    open: connections.filter((connection) => connection.open).length,
    minLastTo: connections.reduce((min, c) => Math.min(min, c.lastTo), Number.POSITIVE_INFINITY),
    cpuMicros: cpuMicros() - tally.cpuAtReset,
  };
}

function report(id: number, acked: Float64Array): ReportReply {
  const counts = connections.map((connection) => connection.received);
  // A socket the hub closed is counted apart: it closes one that falls too far behind (4008, or
  // with no close frame at all when Bun cannot deliver one), and a real client rejoins with since_seq.
  const open = { missing: 0, sockets: 0 };
  const slow = { missing: 0, sockets: 0 };
  for (const connection of connections) {
    const side = connection.closeCode !== null ? slow : open;
    const missed = missingOf(connection.runs, acked);
    side.missing += missed;
    side.sockets += side === slow || missed > 0 ? 1 : 0;
  }
  return {
    type: "report",
    id,
    ...progress(),
    missing: open.missing,
    socketsMissing: open.sockets,
    closedTooSlow: slow.sockets,
    missingClosedTooSlow: slow.missing,
    minPerSocket: counts.length === 0 ? 0 : Math.min(...counts),
    maxPerSocket: counts.length === 0 ? 0 : Math.max(...counts),
    gaps: tally.gaps,
    mismatched: tally.mismatched,
    ordinary: tally.ordinary.taken(),
    critical: tally.critical.taken(),
  };
}

/** Opens `command.sockets` sockets, at most MAX_IN_FLIGHT handshakes at a time, and joins each. */
function connectAll(command: ConnectCommand): Promise<ConnectedReply> {
  if (connections.length > 0) throw new Error("this worker has already connected");
  const startedAt = performance.now();
  let next = 0;
  let inFlight = 0;
  let joined = 0;
  let failed = 0;
  let done = false;
  return new Promise((resolve) => {
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      startHeartbeat();
      const unsettled = command.sockets - joined - failed;
      resolve({
        type: "connected",
        id: command.id,
        joined,
        failed: failed + unsettled,
        elapsedMs: performance.now() - startedAt,
      });
    };
    const deadline = setTimeout(finish, command.timeoutMs);
    const settle = (ok: boolean) => {
      inFlight--;
      if (ok) joined++;
      else failed++;
      if (joined + failed === command.sockets) finish();
      else launch();
    };
    const launch = () => {
      while (inFlight < MAX_IN_FLIGHT && next < command.sockets) {
        inFlight++;
        const sampled = next++ % command.sampleEvery === 0;
        connections.push(open(command.url, sampled, settle));
      }
    };
    launch();
  });
}

function open(url: string, sampled: boolean, settle: (ok: boolean) => void): Connection {
  const connection: Connection = {
    ws: new WebSocket(url),
    sampled,
    open: false,
    received: 0,
    lastTo: 0,
    runs: [],
    closeCode: null,
  };
  const { ws } = connection;
  let settled = false;
  const joined = (ok: boolean) => {
    if (settled) return;
    settled = true;
    connection.open = ok;
    if (ok) ws.onmessage = (event: MessageEvent) => receive(connection, event.data as string);
    else ws.close();
    settle(ok);
  };
  ws.onopen = () => ws.send(joinFrame(ALL_TOPIC));
  ws.onmessage = (event: MessageEvent) => joined(isJoinReply(event.data as string, ALL_TOPIC));
  ws.onerror = () => joined(false);
  ws.onclose = (event: CloseEvent) => {
    connection.open = false;
    connection.closeCode = event.code;
    joined(false);
  };
  return connection;
}

function receive(connection: Connection, frame: string): void {
  if (!isEventBatch(frame)) return;
  const now = wallClock();
  const range = batchRange(frame);
  if (range === null) {
    tally.mismatched++;
    return;
  }
  if (connection.lastTo !== 0 && range.from !== connection.lastTo + 1) tally.gaps++;
  extendRuns(connection.runs, range.from, range.to);
  connection.lastTo = range.to;
  const events = range.to - range.from + 1;
  connection.received += events;
  tally.received += events;
  tally.frames++;
  tally.bytes += frame.length;
  // Only timed phases parse: at full throughput the parsing would take the hub's CPU.
  if (connection.sampled && tally.timed) inspect(frame, events, now);
}

/** Parses a sampled socket's batch, checks it holds its range, and times each event. */
function inspect(frame: string, expected: number, now: number): void {
  const events = batchEvents(frame);
  if (events.length !== expected) tally.mismatched++;
  for (const event of events) {
    const sentAt = event.data[SENT_AT_FIELD];
    if (typeof sentAt !== "number") continue;
    (event.type === CRITICAL_TYPE ? tally.critical : tally.ordinary).add(event.seq, now - sentAt);
  }
}

function startHeartbeat(): void {
  if (heartbeat !== null) return;
  let ref = 0;
  heartbeat = setInterval(() => {
    const frame = heartbeatFrame(++ref);
    for (const connection of connections) if (connection.open) connection.ws.send(frame);
  }, HEARTBEAT_MS);
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}
