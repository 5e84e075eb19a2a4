/**
 * The storage ceiling, measured in the same run before the hub phases: the rows the hub would
 * store for the bench's events (`rows.ts`), in windows of WINDOW_ROWS, written in a closed loop by
 * a bare client on the fastest batched path the engine offers, on a fresh database migrated by the
 * hub's own migrations. Several ways are tried; the best is the ceiling the hub is judged against.
 */
import { connect } from "@landale/db";
import postgres from "postgres";
import { withHubRuntimeEnv } from "../../apps/server/src/runtime-env";
import { type ProcessGroup, WorkerPool } from "../lib/processes";
import { type CpuTimes, cpuShares, readCpuTimes } from "../lib/system-cpu";
import type { CeilingCommand, CeilingReply, PgliteMethod } from "./messages";
import type { Engine, Load } from "./options";
import { type BenchDatabase, createBenchDatabase } from "./postgres";
import { postgresCpu, postgresDelta } from "./probe";
import { EVENT_COLUMNS, RowSource } from "./rows";

/** Rows per window: what the hub commits per 50 ms window at its capacity, about. */
export const WINDOW_ROWS = 1_000;
/** Concurrent COPY connections tried on Postgres: one, then more to use both cores. */
const POSTGRES_CONNECTIONS = [1, 2] as const;
const PGLITE_METHODS: readonly PgliteMethod[] = ["copy-blob", "json-recordset"];
const PGLITE_METHOD_NAMES: Record<PgliteMethod, string> = {
  "copy-blob": "COPY FROM '/dev/blob'",
  "json-recordset": "json_to_recordset insert",
};
const PGLITE_SCRIPT = new URL("./ceiling-pglite.ts", import.meta.url).pathname;
const HELLO_TIMEOUT_MS = 10_000;
/** Migrating a fresh PGlite takes seconds; the measurement itself is bounded by the load. */
const PGLITE_SETUP_MS = 60_000;
const MICROS_PER_S = 1_000_000;

export interface CeilingTrial {
  /** How the rows were written, e.g. "COPY text, 2 connections". */
  method: string;
  /** Measurements of this way until one was undisturbed (or retries ran out); the fastest is kept. */
  attempts: number;
  rowsPerS: number;
  seconds: number;
  /** Cores' worth of CPU over the measured span: the writing client, and (Postgres) the server. */
  cores: { client: number; postgres: number | null };
  /** Cores other processes used meanwhile; null without /proc/stat. */
  foreignCores: number | null;
}

export interface Ceiling {
  engine: Engine;
  window: number;
  /** The fastest trial: the rate the hub is judged against. */
  best: CeilingTrial;
  trials: CeilingTrial[];
}

/** Called around each trial: before it (e.g. to wait for a quiet machine) and with its result. */
export interface TrialHooks {
  before(method: string): Promise<void>;
  after(trial: CeilingTrial): void;
}

export interface CeilingEnv {
  group: ProcessGroup;
  postgresUrl: string;
  load: Load;
  /** Repeats of a trial other processes disturbed by more than `disturbedCores`. */
  retries: number;
  disturbedCores: number;
}

export async function measureCeiling(
  engine: Engine,
  env: CeilingEnv,
  hooks: TrialHooks,
): Promise<Ceiling> {
  const runs: [string, () => Promise<Omit<CeilingTrial, "attempts">>][] =
    engine === "postgres"
      ? POSTGRES_CONNECTIONS.map((connections) => [
          postgresMethod(connections),
          () => postgresTrial(env.postgresUrl, env.load, connections),
        ])
      : PGLITE_METHODS.map((method) => [
          PGLITE_METHOD_NAMES[method],
          () => pgliteTrial(env.group, env.load, method),
        ]);
  const trials: CeilingTrial[] = [];
  for (const [method, run] of runs) {
    const attempts: CeilingTrial[] = [];
    for (let attempt = 1; attempt <= env.retries + 1; attempt++) {
      await hooks.before(method);
      const trial: CeilingTrial = { ...(await run()), attempts: attempt };
      hooks.after(trial);
      attempts.push(trial);
      if ((trial.foreignCores ?? 0) <= env.disturbedCores) break;
    }
    const fastest = attempts.reduce((a, b) => (b.rowsPerS > a.rowsPerS ? b : a));
    trials.push({ ...fastest, attempts: attempts.length });
  }
  const best = trials.reduce((a, b) => (b.rowsPerS > a.rowsPerS ? b : a));
  return { engine, window: WINDOW_ROWS, best, trials };
}

/** `connections` clients, each COPYing one window at a time (one transaction each) into a fresh database. */
async function postgresTrial(
  adminUrl: string,
  load: Load,
  connections: number,
): Promise<Omit<CeilingTrial, "attempts">> {
  const database = await createBenchDatabase(adminUrl);
  try {
    const migrated = await connect({ url: database.url, dataDir: "", maxConnections: 1 });
    await migrated.close();
    const sql = postgres(database.url, { max: connections, onnotice: () => {} });
    try {
      const source = new RowSource();
      let rows = 0;
      let stopped = false;
      const writer = async () => {
        while (!stopped) {
          const window = source.window(WINDOW_ROWS, "copy");
          const stream = await sql.unsafe(`COPY events (${EVENT_COLUMNS}) FROM STDIN`).writable();
          await new Promise<void>((resolve, reject) => {
            stream.on("finish", resolve);
            stream.on("error", reject);
            stream.end(window.copyText);
          });
          rows += window.rows;
        }
      };
      const writers = Array.from({ length: connections }, writer);
      const failed = Promise.race(writers).then(() => {});
      await Promise.race([Bun.sleep(load.warmupS * 1000), failed]);
      const before = await sample(database);
      const rowsBefore = rows;
      await Promise.race([Bun.sleep(load.throughputS * 1000), failed]);
      const after = await sample(database);
      const measured = rows - rowsBefore;
      stopped = true;
      await Promise.all(writers);
      const seconds = (after.at - before.at) / 1000;
      const client = (after.driver - before.driver) / MICROS_PER_S / seconds;
      const server = postgresDelta(before.postgres, after.postgres) / MICROS_PER_S / seconds;
      return {
        method: postgresMethod(connections),
        rowsPerS: measured / seconds,
        seconds,
        cores: { client, postgres: server },
        foreignCores: foreign(before.machine, after.machine, client + server),
      };
    } finally {
      await sql.end({ timeout: 1 });
    }
  } finally {
    await database.drop();
  }
}

function postgresMethod(connections: number): string {
  return `COPY text, ${connections} connection${connections === 1 ? "" : "s"}`;
}

async function sample(database: BenchDatabase) {
  const [postgresTimes, machine] = await Promise.all([postgresCpu(database), readCpuTimes()]);
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    driver: usage.user + usage.system,
    postgres: postgresTimes,
    machine,
  };
}

async function pgliteTrial(
  group: ProcessGroup,
  load: Load,
  method: PgliteMethod,
): Promise<Omit<CeilingTrial, "attempts">> {
  const pool = await WorkerPool.start<CeilingCommand, CeilingReply>(
    group,
    PGLITE_SCRIPT,
    1,
    HELLO_TIMEOUT_MS,
    // The same runtime settings as the hub it is compared with.
    withHubRuntimeEnv(process.env),
  );
  try {
    const [reply] = await pool.askAll<CeilingReply>(
      (_, id) => ({
        type: "ceiling",
        id,
        method,
        window: WINDOW_ROWS,
        warmupS: load.warmupS,
        durationS: load.throughputS,
      }),
      PGLITE_SETUP_MS + (load.warmupS + load.throughputS) * 1000,
    );
    const { rows, seconds, cpuMicros, foreignCores } = reply!;
    const client = cpuMicros / MICROS_PER_S / seconds;
    return {
      method: PGLITE_METHOD_NAMES[method],
      rowsPerS: rows / seconds,
      seconds,
      cores: { client, postgres: null },
      foreignCores,
    };
  } finally {
    await pool.stop();
  }
}

function foreign(before: CpuTimes | null, after: CpuTimes | null, ownCores: number): number | null {
  const machine = cpuShares(before, after);
  if (machine === null) return null;
  return Math.max(0, (machine.busy / 100) * navigator.hardwareConcurrency - ownCores);
}
