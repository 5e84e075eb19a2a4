/**
 * One engine's run: a fresh database and hub; the hub's own ceiling with no subscriber; then the
 * subscribers join and every measurement runs; then everything is torn down and the database dropped.
 */
import type { HubHealth } from "@landale/shared";
import type { Cleanups } from "../lib/cleanups";
import type { ProcessGroup } from "../lib/processes";
import { awaitQuietMachine } from "../lib/system-cpu";
import { type HubHandle, startHub } from "./hub";
import type { Engine, Options } from "./options";
import { SENT_TYPES } from "./payloads";
import {
  type Context,
  type LatencyResult,
  measureLatency,
  measureOverload,
  measureThroughput,
  type OverloadResult,
  type ThroughputResult,
} from "./phases";
import { createBenchDatabase } from "./postgres";
import type { Span, Subjects } from "./probe";
import { Subscribers } from "./subscribers";
import type { IngestPath } from "./transports";

const PATHS: readonly IngestPath[] = ["http", "channel"];
const SETTLE_MS = 1_000;
/** Other processes using more CPU than this (cores) during a throughput measurement make it suspect. */
export const DISTURBED_CORES = 0.15;
/** The overload is offered at a multiple of at least this, should every throughput run have failed. */
const MIN_CAPACITY = 100;
const QUIET_WAIT_MS = { standard: 60_000, quick: 5_000 } as const;
/** The stats query spans the run generously; every event of this run is stored with today's ts. */
const STATS_MARGIN_MS = 60 * 60_000;

export interface EngineResult {
  engine: Engine;
  /** The throw-away Postgres database, or null on PGlite. */
  database: string | null;
  startupMs: number;
  rss: { idle: number; withSubscribers: number };
  subscribers: { sockets: number; connectMs: number };
  /** Throughput with no subscriber: what ingest and storage alone sustain. */
  ceiling: ThroughputResult[];
  throughput: ThroughputResult[];
  latency: LatencyResult[];
  /** Without subscribers, then with them. */
  overload: OverloadResult[];
  /** Events acknowledged over the whole run, and events the database holds at its end. */
  stored: { acknowledged: number; stored: number };
  health: HubHealth;
  /** What the hub logged (at LOG_LEVEL=warn), by message. */
  logged: Record<string, number>;
}

export type Progress = (text: string) => void;

export async function runEngine(
  group: ProcessGroup,
  options: Options,
  engine: Engine,
  cleanups: Cleanups,
  progress: Progress,
): Promise<EngineResult> {
  const setup = await openHub(group, options, engine, cleanups, null);
  progress(`${engine}: hub at ${setup.hub.url} after ${Math.round(setup.startupMs)} ms\n`);
  await Bun.sleep(SETTLE_MS);
  const idleRss = await setup.hub.rss();

  const context: Context = { subjects: setup.subjects, load: options.load };
  const ceiling: ThroughputResult[] = [];
  for (const path of PATHS) ceiling.push(await throughput(context, path, options, progress));
  const overload = [await overloadPhase(context, capacityOf(ceiling), options, progress)];

  const joined = await joinSubscribers(group, context, options, cleanups, progress);
  const measured: ThroughputResult[] = [];
  for (const path of PATHS) measured.push(await throughput(context, path, options, progress));
  const latency: LatencyResult[] = [];
  for (const kind of ["ordinary", "critical"] as const) {
    for (const path of PATHS) {
      latency.push(await latencyPhase(context, path, kind, options, progress));
    }
  }
  overload.push(await overloadPhase(context, capacityOf(measured), options, progress));

  const acknowledged = sumAccepted([...ceiling, ...measured, ...latency, ...overload]);
  return {
    engine,
    database: setup.subjects.database?.name ?? null,
    startupMs: setup.startupMs,
    rss: { idle: idleRss, withSubscribers: joined.rss },
    subscribers: { sockets: options.load.subscribers, connectMs: joined.connectMs },
    ceiling,
    throughput: measured,
    latency,
    overload,
    stored: { acknowledged, stored: await storedEvents(setup.hub.url, setup.startedAt) },
    health: await setup.hub.health(),
    logged: setup.hub.logged(),
  };
}

/** Throughput measured on a hub that records a CPU profile, one fresh hub per subscriber count. */
export interface ProfiledRun {
  engine: Engine;
  subscribers: number;
  /** Where the profile is written when the hub exits. */
  profile: string;
  throughput: ThroughputResult[];
}

/**
 * `--profile`: for each subscriber count (none, then the standard number) a fresh database and a
 * hub under `bun --cpu-prof`, the two throughput measurements, and a stop that writes the profile.
 */
export async function profileEngine(
  group: ProcessGroup,
  options: Options,
  engine: Engine,
  cleanups: Cleanups,
  progress: Progress,
): Promise<ProfiledRun[]> {
  const runs: ProfiledRun[] = [];
  for (const subscribers of [0, options.load.subscribers]) {
    const name = `hub-${engine}-${subscribers}-subscribers`;
    try {
      const setup = await openHub(group, options, engine, cleanups, name);
      progress(`${engine}: profiled hub at ${setup.hub.url}\n`);
      const context: Context = { subjects: setup.subjects, load: options.load };
      if (subscribers > 0) await joinSubscribers(group, context, options, cleanups, progress);
      const measured: ThroughputResult[] = [];
      for (const path of PATHS) measured.push(await throughput(context, path, options, progress));
      runs.push({
        engine,
        subscribers,
        profile: `${options.profileDir}/${name}.cpuprofile`,
        throughput: measured,
      });
    } finally {
      await cleanups.run();
    }
  }
  return runs;
}

interface Setup {
  hub: HubHandle;
  subjects: Subjects;
  startupMs: number;
  startedAt: Date;
}

/** A fresh database (on Postgres) and a hub on it, both registered for teardown. */
async function openHub(
  group: ProcessGroup,
  options: Options,
  engine: Engine,
  cleanups: Cleanups,
  profileName: string | null,
): Promise<Setup> {
  const database = engine === "postgres" ? await createBenchDatabase(options.postgresUrl) : null;
  if (database !== null) cleanups.add(`drop ${database.name}`, () => database.drop());
  const started = performance.now();
  const startedAt = new Date();
  const hub = await startHub(group, {
    databaseUrl: database?.url ?? null,
    profile:
      options.profileDir === null || profileName === null
        ? null
        : { dir: options.profileDir, name: profileName },
  });
  cleanups.add("stop the hub", () => hub.stop());
  return {
    hub,
    subjects: { hub, database, subscribers: null },
    startupMs: performance.now() - started,
    startedAt,
  };
}

/** Joins the subscribers to `events:all` and adds them to the context; RSS after they settle. */
async function joinSubscribers(
  group: ProcessGroup,
  context: Context,
  options: Options,
  cleanups: Cleanups,
  progress: Progress,
): Promise<{ connectMs: number; rss: number }> {
  const started = performance.now();
  const { hub } = context.subjects;
  const subscribers = await Subscribers.start(
    group,
    hub.url,
    options.load.subscribers,
    options.load.sampleEvery,
  );
  cleanups.add("stop the subscribers", () => subscribers.stop());
  const connectMs = performance.now() - started;
  context.subjects.subscribers = subscribers;
  progress(
    `  ${subscribers.sockets} subscribers joined events:all in ${Math.round(connectMs)} ms\n`,
  );
  await Bun.sleep(SETTLE_MS);
  return { connectMs, rss: await hub.rss() };
}

/** Measures until other processes leave it alone, at most 1 + `retries` times; keeps the quietest. */
async function throughput(
  context: Context,
  path: IngestPath,
  options: Options,
  progress: Progress,
): Promise<ThroughputResult> {
  const subscribers = context.subjects.subscribers?.sockets ?? 0;
  let quietest: ThroughputResult | null = null;
  for (let attempt = 1; attempt <= options.retries + 1; attempt++) {
    await awaitQuiet(options, progress);
    progress(`  throughput, ${path}, ${subscribers} subscribers … `);
    const result = await measureThroughput(context, path);
    progress(
      `${Math.round(result.ackedPerS)} events/s acknowledged` +
        (result.delivery === null ? "" : `, lost ${result.delivery.lost}`) +
        `, hub ${cores(result.span)}\n`,
    );
    if (quietest === null || foreign(result.span) < foreign(quietest.span)) {
      quietest = { ...result, attempts: attempt };
    }
    if (foreign(result.span) <= DISTURBED_CORES) break;
    progress(
      `  other processes used ${Math.round(foreign(result.span) * 100)} % of a core meanwhile\n`,
    );
  }
  return quietest!;
}

async function latencyPhase(
  context: Context,
  path: IngestPath,
  kind: "ordinary" | "critical",
  options: Options,
  progress: Progress,
): Promise<LatencyResult> {
  await awaitQuiet(options, progress);
  progress(`  latency, ${kind}, ${path} … `);
  const result = await measureLatency(context, path, kind);
  progress(
    `p50 ${result.latency.all.p50.toFixed(1)} ms, p99 ${result.latency.all.p99.toFixed(1)} ms` +
      ` (${result.latency.all.samples} samples; first subscriber p99 ${result.latency.first.p99.toFixed(1)} ms),` +
      ` lost ${result.delivery.lost}\n`,
  );
  return result;
}

async function overloadPhase(
  context: Context,
  capacity: number,
  options: Options,
  progress: Progress,
): Promise<OverloadResult> {
  await awaitQuiet(options, progress);
  const factor = options.load.overload.factor;
  const subscribers = context.subjects.subscribers?.sockets ?? 0;
  progress(
    `  overload, http, ${subscribers} subscribers, ${factor} × ${Math.round(capacity)} events/s … `,
  );
  const result = await measureOverload(context, capacity);
  const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
  progress(
    `${result.counts.refused} events refused (503), RSS ${mib(result.rss.before)} → ` +
      `${mib(result.rss.firstHalfPeak)} / ${mib(result.rss.secondHalfPeak)} / ` +
      `${mib(result.rss.tailPeak)} MiB\n`,
  );
  return result;
}

async function awaitQuiet(options: Options, progress: Progress): Promise<void> {
  const waitMs = options.quick ? QUIET_WAIT_MS.quick : QUIET_WAIT_MS.standard;
  if (!(await awaitQuietMachine(waitMs))) {
    progress(`  the machine stayed busy for ${waitMs / 1000} s; measuring anyway\n`);
  }
}

/** The events of the types the bench sends, counted in the database through the hub's activity API. */
async function storedEvents(hubUrl: string, runStart: Date): Promise<number> {
  const since = new Date(runStart.getTime() - STATS_MARGIN_MS).toISOString();
  const until = new Date(Date.now() + STATS_MARGIN_MS).toISOString();
  const response = await fetch(`${hubUrl}/api/activity/stats?since=${since}&until=${until}`);
  const body = (await response.json()) as { totals: Record<string, number> };
  return SENT_TYPES.reduce((sum, type) => sum + (body.totals[type] ?? 0), 0);
}

/** The best sustained rate measured in the same set-up, which the overload multiplies. */
function capacityOf(results: readonly ThroughputResult[]): number {
  return Math.max(MIN_CAPACITY, ...results.map((result) => result.ackedPerS));
}

function sumAccepted(results: readonly { counts: { accepted: number } }[]): number {
  return results.reduce((sum, result) => sum + result.counts.accepted, 0);
}

function foreign(measured: Span): number {
  return measured.foreignCores ?? 0;
}

function cores(measured: Span): string {
  return `${Math.round(measured.cores.hub * 100)} % of a core`;
}
