/** A client subprocess of the fan-out bench: opens its share of sockets, counts every broadcast, times a sample. */
import { serveDriver } from "../lib/worker";
import type {
  ConnectCommand,
  ConnectedReply,
  ReportReply,
  WorkerCommand,
  WorkerReply,
} from "./messages";
import { type ClientProtocol, protocolFor } from "./wire";

/** Handshakes under way at once, so the server's listen backlog never overflows. */
const MAX_IN_FLIGHT = 64;
/** Latency samples kept per worker (8 bytes each); more are counted, not kept. */
const MAX_SAMPLES = 2_000_000;
/** Phoenix's client sends a heartbeat every 30 s; the server closes a socket silent for 60 s. */
const HEARTBEAT_MS = 30_000;
const DEFAULT_LIFETIME_MS = 15 * 60_000;

interface Connection {
  ws: WebSocket;
  sampled: boolean;
  open: boolean;
  received: number;
  lastSeq: number;
}

/** Everything counted since the last reset. */
class Tally {
  received = 0;
  /** performance.now() of the last broadcast received. */
  lastReceiveAt = 0;
  samples = new Float64Array(MAX_SAMPLES);
  sampleCount = 0;
  samplesRefused = 0;
  seqGaps = 0;
  cpuAtReset = cpuMicros();

  record(connection: Connection, now: number, frame: string, protocol: ClientProtocol): void {
    const payload = protocol.payloadOf(frame);
    if (payload.seq !== connection.lastSeq + 1) this.seqGaps++;
    connection.lastSeq = payload.seq;
    if (this.sampleCount === MAX_SAMPLES) {
      this.samplesRefused++;
      return;
    }
    this.samples[this.sampleCount++] = performance.timeOrigin + now - payload.sent_at;
  }

  reset(connections: readonly Connection[]): void {
    this.received = 0;
    this.lastReceiveAt = 0;
    this.sampleCount = 0;
    this.samplesRefused = 0;
    this.seqGaps = 0;
    this.cpuAtReset = cpuMicros();
    for (const connection of connections) {
      connection.received = 0;
      connection.lastSeq = 0;
    }
  }
}

const tally = new Tally();
const connections: Connection[] = [];
let heartbeat: ReturnType<typeof setInterval> | null = null;

serveDriver<WorkerCommand, WorkerReply>(handle, DEFAULT_LIFETIME_MS);

async function handle(command: WorkerCommand): Promise<WorkerReply> {
  switch (command.type) {
    case "connect":
      return connectAll(command);
    case "reset":
      tally.reset(connections);
      return { type: "ack", id: command.id };
    case "progress":
      return { type: "progress", id: command.id, ...progress() };
    case "report":
      return report(command.id);
  }
}

function progress() {
  return {
    received: tally.received,
    lastReceiveAt: tally.lastReceiveAt === 0 ? 0 : performance.timeOrigin + tally.lastReceiveAt,
    open: connections.filter((connection) => connection.open).length,
    cpuMicros: cpuMicros() - tally.cpuAtReset,
  };
}

function report(id: number): ReportReply {
  let minPerSocket = Number.POSITIVE_INFINITY;
  let maxPerSocket = 0;
  for (const connection of connections) {
    minPerSocket = Math.min(minPerSocket, connection.received);
    maxPerSocket = Math.max(maxPerSocket, connection.received);
  }
  return {
    type: "report",
    id,
    ...progress(),
    minPerSocket: connections.length === 0 ? 0 : minPerSocket,
    maxPerSocket,
    samples: tally.samples.slice(0, tally.sampleCount),
    samplesRefused: tally.samplesRefused,
    seqGaps: tally.seqGaps,
  };
}

/** Opens `command.sockets` sockets, at most MAX_IN_FLIGHT handshakes at a time, and joins each. */
function connectAll(command: ConnectCommand): Promise<ConnectedReply> {
  if (connections.length > 0) throw new Error("this worker has already connected");
  const protocol = protocolFor(command.server);
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
      startHeartbeat(protocol);
      const elapsedMs = performance.now() - startedAt;
      const unsettled = command.sockets - joined - failed;
      resolve({ type: "connected", id: command.id, joined, failed: failed + unsettled, elapsedMs });
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
      while (!done && inFlight < MAX_IN_FLIGHT && next < command.sockets) {
        inFlight++;
        const index = command.firstIndex + next++;
        connections.push(open(command.url, index % command.sampleEvery === 0, protocol, settle));
      }
    };
    launch();
  });
}

function open(
  url: string,
  sampled: boolean,
  protocol: ClientProtocol,
  settle: (ok: boolean) => void,
): Connection {
  const connection: Connection = {
    ws: new WebSocket(url),
    sampled,
    open: false,
    received: 0,
    lastSeq: 0,
  };
  const { ws } = connection;
  let settled = false;
  const joined = (ok: boolean) => {
    if (settled) return;
    settled = true;
    connection.open = ok;
    if (ok) ws.onmessage = countBroadcasts(connection, protocol);
    else ws.close();
    settle(ok);
  };
  ws.onopen = () => {
    if (protocol.joinFrame === null) joined(true);
    else ws.send(protocol.joinFrame);
  };
  ws.onmessage = (event: MessageEvent) => joined(protocol.isJoinReply(event.data as string));
  ws.onerror = () => joined(false);
  ws.onclose = () => {
    connection.open = false;
    joined(false);
  };
  return connection;
}

/** Every socket counts; only sampled ones parse the frame, the same for both servers. */
function countBroadcasts(connection: Connection, protocol: ClientProtocol) {
  if (!connection.sampled) {
    return (event: MessageEvent) => {
      if (!protocol.isBroadcast(event.data as string)) return;
      connection.received++;
      tally.received++;
      tally.lastReceiveAt = performance.now();
    };
  }
  return (event: MessageEvent) => {
    const frame = event.data as string;
    if (!protocol.isBroadcast(frame)) return;
    const now = performance.now();
    connection.received++;
    tally.received++;
    tally.lastReceiveAt = now;
    tally.record(connection, now, frame, protocol);
  };
}

function startHeartbeat(protocol: ClientProtocol): void {
  if (heartbeat !== null || protocol.heartbeat(0) === null) return;
  let ref = 0;
  heartbeat = setInterval(() => {
    ref++;
    const frame = protocol.heartbeat(ref);
    if (frame === null) return;
    for (const connection of connections) if (connection.open) connection.ws.send(frame);
  }, HEARTBEAT_MS);
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}
