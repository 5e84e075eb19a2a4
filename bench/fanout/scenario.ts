/** One measurement: one server, N joined sockets, idle RSS, a warm-up, then a fixed-rate broadcast and its drain. */

import { type Latency, latencyOf } from "../lib/percentiles";
import type { ProcessGroup } from "../lib/processes";
import { type CpuWindow, closeCpuWindow, openCpuWindow } from "../lib/system-cpu";
import type { ServerStats } from "./control";
import type { ConnectedReply, ProgressReply, ReportReply } from "./messages";
import { type ClientPool, type ServerHandle, startClients, startServer } from "./servers";
import { protocolFor, type ServerKind } from "./wire";

export interface Load {
  name: string;
  sockets: number;
  rate: number;
}

export interface ScenarioConfig {
  load: Load;
  durationS: number;
  warmupS: number;
  workers: number;
  sampleEvery: number;
}

export interface ScenarioResult {
  server: ServerKind;
  load: Load;
  durationS: number;
  connectMs: number;
  rss: {
    baseline: number;
    idle: number;
    perIdleSocket: number;
    /** The JavaScript heap's share of perIdleSocket (live objects only). */
    heapPerIdleSocket: number;
    peak: number;
  };
  offeredPerS: number;
  deliveredPerS: number;
  expected: number;
  received: number;
  lost: number;
  perSocket: { min: number; max: number };
  latency: Latency;
  seqGaps: number;
  samplesRefused: number;
  publish: { sent: number; total: number; spanMs: number; maxLagMs: number; maxBurst: number };
  /** Percent of one core, over the span from the first publish to the last receive; `serverSystem`
   * is the part of `server` spent in the kernel (for a fan-out, mostly socket writes). */
  cpu: { server: number; serverSystem: number; clients: number };
  /** The whole machine while the broadcast ran, and what other processes took of it. */
  machineCpu: CpuWindow;
  warmup: { expected: number; received: number };
  /** Times this scenario ran before one went undisturbed by other processes (or retries ran out). */
  attempts: number;
  serverCounters: Record<string, unknown>;
}

/** Other processes using more CPU than this (cores) during a measurement make it suspect. */
export const DISTURBED_CORES = 0.15;
/** Time for the server and sockets to settle, and for freed pages to go back to the OS. */
const SETTLE_MS = 1_000;
const HELLO_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 90_000;
const ASK_TIMEOUT_MS = 10_000;
const REPORT_TIMEOUT_MS = 60_000;
const POLL_MS = 200;
/** A broadcast that takes this many times its duration (plus slack) is given up on. */
const BROADCAST_STRETCH = 3;
const BROADCAST_SLACK_MS = 10_000;
/** The drain ends when every broadcast arrived, nothing arrived for DRAIN_QUIET_MS, or at DRAIN_MAX_MS. */
const DRAIN_QUIET_MS = 1_500;
const DRAIN_MAX_MS = 30_000;
const MICROS_PER_MS = 1_000;
const PERCENT = 100;

export async function runScenario(
  group: ProcessGroup,
  kind: ServerKind,
  config: ScenarioConfig,
): Promise<ScenarioResult> {
  const server = await startServer(group, kind);
  let pool: ClientPool | null = null;
  try {
    const baseline = await atRest(server);
    pool = await startClients(group, config.workers, HELLO_TIMEOUT_MS);
    const connectMs = await connect(pool, server, kind, config);
    const idle = await atRest(server);
    const warmup = await warmUp(pool, server, config);
    await pool.askAll((_, id) => ({ type: "reset", id }), ASK_TIMEOUT_MS);
    const measured = await measure(pool, server, config);
    return {
      server: kind,
      load: config.load,
      durationS: config.durationS,
      connectMs,
      rss: {
        baseline: baseline.rss,
        idle: idle.rss,
        perIdleSocket: (idle.rss - baseline.rss) / config.load.sockets,
        heapPerIdleSocket: (idle.heap - baseline.heap) / config.load.sockets,
        peak: measured.peakRss,
      },
      warmup,
      attempts: 1,
      ...summarize(config, measured),
    };
  } finally {
    await pool?.stop();
    await server.stop();
  }
}

/** Memory at rest: after a settle, a full GC, and time for the allocator to hand freed pages back. */
async function atRest(server: ServerHandle): Promise<ServerStats> {
  await Bun.sleep(SETTLE_MS);
  await server.stats({ gc: true });
  await Bun.sleep(SETTLE_MS);
  return server.stats();
}

async function connect(
  pool: ClientPool,
  server: ServerHandle,
  kind: ServerKind,
  config: ScenarioConfig,
): Promise<number> {
  const shares = split(config.load.sockets, pool.size);
  const url = protocolFor(kind).url(server.port);
  const replies = await pool.askAll<ConnectedReply>(
    (index, id) => ({
      type: "connect",
      id,
      server: kind,
      url,
      sockets: shares[index]!.count,
      firstIndex: shares[index]!.first,
      sampleEvery: config.sampleEvery,
      timeoutMs: CONNECT_TIMEOUT_MS,
    }),
    CONNECT_TIMEOUT_MS + ASK_TIMEOUT_MS,
  );
  const joined = sum(replies.map((reply) => reply.joined));
  if (joined !== config.load.sockets) {
    throw new Error(
      `${kind}: only ${joined} of ${config.load.sockets} sockets joined (check ulimit -n and the server's log)`,
    );
  }
  return Math.max(...replies.map((reply) => reply.elapsedMs));
}

/** Splits `total` sockets over `parts` workers: counts differing by at most one, and first indexes. */
function split(total: number, parts: number): { first: number; count: number }[] {
  const base = Math.floor(total / parts);
  const shares: { first: number; count: number }[] = [];
  let first = 0;
  for (let i = 0; i < parts; i++) {
    const count = base + (i < total % parts ? 1 : 0);
    shares.push({ first, count });
    first += count;
  }
  return shares;
}

/** A short broadcast first, so both servers and clients are measured with warm JITs. */
async function warmUp(pool: ClientPool, server: ServerHandle, config: ScenarioConfig) {
  if (config.warmupS <= 0) return { expected: 0, received: 0 };
  await server.broadcast(config.load.rate, config.warmupS);
  const done = await awaitBroadcast(server, config.warmupS);
  const expected = done.stats.broadcast.sent * config.load.sockets;
  const drained = await drain(pool, expected);
  return { expected, received: drained.received };
}

interface Measured {
  before: ServerStats;
  after: ServerStats;
  peakRss: number;
  reports: ReportReply[];
  machineCpu: CpuWindow;
}

async function measure(
  pool: ClientPool,
  server: ServerHandle,
  config: ScenarioConfig,
): Promise<Measured> {
  const before = await server.stats();
  const window = await openCpuWindow();
  await server.broadcast(config.load.rate, config.durationS);
  const done = await awaitBroadcast(server, config.durationS);
  const clients = await pool.askAll<ProgressReply>(
    (_, id) => ({ type: "progress", id }),
    ASK_TIMEOUT_MS,
  );
  const machineCpu = await closeCpuWindow(
    window,
    cpuMicros(done.stats) - cpuMicros(before) + sum(clients.map((reply) => reply.cpuMicros)),
  );
  await drain(pool, done.stats.broadcast.sent * config.load.sockets);
  const after = await server.stats();
  const reports = await pool.askAll<ReportReply>(
    (_, id) => ({ type: "report", id }),
    REPORT_TIMEOUT_MS,
  );
  return { before, after, peakRss: Math.max(done.peakRss, after.rss), reports, machineCpu };
}

/** Polls the server until its broadcast has finished (or is hopelessly late), noting peak RSS. */
async function awaitBroadcast(server: ServerHandle, durationS: number) {
  const deadline = performance.now() + durationS * 1000 * BROADCAST_STRETCH + BROADCAST_SLACK_MS;
  let stats = await server.stats();
  let peakRss = stats.rss;
  while (stats.broadcast.running && performance.now() < deadline) {
    await Bun.sleep(POLL_MS);
    stats = await server.stats();
    peakRss = Math.max(peakRss, stats.rss);
  }
  return { stats, peakRss };
}

/** Waits until `expected` broadcasts arrived, or arrivals stopped, or DRAIN_MAX_MS passed. */
async function drain(pool: ClientPool, expected: number): Promise<{ received: number }> {
  const deadline = performance.now() + DRAIN_MAX_MS;
  let received = -1;
  let changedAt = performance.now();
  while (performance.now() < deadline) {
    const progress = await pool.askAll<ProgressReply>(
      (_, id) => ({ type: "progress", id }),
      ASK_TIMEOUT_MS,
    );
    const now = sum(progress.map((reply) => reply.received));
    if (now >= expected) return { received: now };
    if (now !== received) changedAt = performance.now();
    else if (performance.now() - changedAt > DRAIN_QUIET_MS) return { received: now };
    received = now;
    await Bun.sleep(POLL_MS);
  }
  return { received };
}

function summarize(config: ScenarioConfig, measured: Measured) {
  const { before, after, reports, machineCpu } = measured;
  const { broadcast } = after;
  const received = sum(reports.map((report) => report.received));
  const expected = broadcast.sent * config.load.sockets;
  const lastReceiveAt = Math.max(...reports.map((report) => report.lastReceiveAt));
  // Message k owns the k-th send interval, so a server that keeps up delivers exactly the offered rate.
  const activeMs = Math.max(lastReceiveAt - broadcast.firstSentAt, 0) + 1000 / config.load.rate;
  const serverMicros = cpuMicros(after) - cpuMicros(before);
  const clientMicros = sum(reports.map((report) => report.cpuMicros));
  return {
    offeredPerS: config.load.sockets * config.load.rate,
    deliveredPerS: received === 0 ? 0 : (received / activeMs) * 1000,
    expected,
    received,
    lost: expected - received,
    perSocket: {
      min: Math.min(...reports.map((report) => report.minPerSocket)),
      max: Math.max(...reports.map((report) => report.maxPerSocket)),
    },
    latency: latencyOf(reports.map((report) => report.samples)),
    seqGaps: sum(reports.map((report) => report.seqGaps)),
    samplesRefused: sum(reports.map((report) => report.samplesRefused)),
    publish: {
      sent: broadcast.sent,
      total: broadcast.total,
      spanMs: broadcast.lastSentAt - broadcast.firstSentAt,
      maxLagMs: broadcast.maxLagMs,
      maxBurst: broadcast.maxBurst,
    },
    cpu: {
      server: (serverMicros / MICROS_PER_MS / activeMs) * PERCENT,
      serverSystem: ((after.cpu.system - before.cpu.system) / MICROS_PER_MS / activeMs) * PERCENT,
      clients: (clientMicros / MICROS_PER_MS / activeMs) * PERCENT,
    },
    machineCpu,
    serverCounters: after.server,
  };
}

function cpuMicros(stats: ServerStats): number {
  return stats.cpu.user + stats.cpu.system;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function isDisturbed(result: ScenarioResult): boolean {
  return (result.machineCpu.foreignCores ?? 0) > DISTURBED_CORES;
}
