/** The ingest bench's command line: the standard run, `--quick`, one engine, profiling. */
import { parseArgs } from "node:util";

export type Engine = "pglite" | "postgres";
export const ENGINES: readonly Engine[] = ["pglite", "postgres"];

/** How hard and how long each phase runs. */
export interface Load {
  subscribers: number;
  /** Every K-th subscriber parses its frames and times the events in them. */
  sampleEvery: number;
  warmupS: number;
  throughputS: number;
  http: { senders: number; batch: number };
  channel: { sockets: number; inFlight: number; batch: number };
  latency: { durationS: number; ordinaryPerS: number; criticalPerS: number };
  /** `warmupS` at capacity (closed loop) before the overload, `idleS` idle after its last answer. */
  overload: { durationS: number; factor: number; batch: number; warmupS: number; idleS: number };
}

export interface Options {
  engines: Engine[];
  load: Load;
  postgresUrl: string;
  /** Where each hub writes a CPU profile (`bun --cpu-prof`), or null for none. */
  profileDir: string | null;
  /** Repeats of a measurement other processes disturbed. */
  retries: number;
  quick: boolean;
  writeDocs: boolean;
}

export const STANDARD_LOAD: Load = {
  subscribers: 50,
  sampleEvery: 5,
  warmupS: 2,
  throughputS: 10,
  http: { senders: 8, batch: 500 },
  channel: { sockets: 4, inFlight: 4, batch: 250 },
  latency: { durationS: 10, ordinaryPerS: 200, criticalPerS: 10 },
  overload: { durationS: 10, factor: 10, batch: 500, warmupS: 3, idleS: 3 },
};

const QUICK_LOAD: Load = {
  subscribers: 10,
  sampleEvery: 2,
  warmupS: 0.5,
  throughputS: 2,
  http: { senders: 4, batch: 200 },
  channel: { sockets: 2, inFlight: 4, batch: 100 },
  latency: { durationS: 2, ordinaryPerS: 100, criticalPerS: 10 },
  overload: { durationS: 4, factor: 10, batch: 200, warmupS: 1, idleS: 2 },
};

const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_RETRIES = 1;
const MAX_RETRIES = 5;

export const USAGE = `bun run bench:ingest [flags]

  --quick             10 subscribers, 2 s phases: a smoke run
  --engine NAME       only this engine: pglite | postgres (default: both)
  --postgres-url URL  server to create the throw-away database on
                      (default ${DEFAULT_POSTGRES_URL}; trust auth, 127.0.0.1 only)
  --profile           instead of the measurements: throughput only, on fresh hubs run under
                      \`bun --cpu-prof\` (no subscribers, then all of them), and where their CPU went
  --retries N         repeat a throughput measurement other processes disturbed, up to N times (default ${DEFAULT_RETRIES})
  --no-docs           do not rewrite docs/BENCHMARKS.md
  --help

Only a standard run (both engines, no --quick or --profile) rewrites docs/BENCHMARKS.md; every run
writes JSON to bench/results/.
`;

/** `resultsDir` is where profiles go, in a folder of their own per run. */
export function parseOptions(argv: string[], resultsDir: string): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      engine: { type: "string" },
      "postgres-url": { type: "string", default: DEFAULT_POSTGRES_URL },
      profile: { type: "boolean", default: false },
      retries: { type: "string" },
      "no-docs": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const engines = ENGINES.filter(
    (engine) => values.engine === undefined || engine === values.engine,
  );
  if (engines.length === 0) throw new Error(`unknown engine "${values.engine}": pglite | postgres`);
  const postgresUrl = values["postgres-url"];
  if (!isLoopbackPostgres(postgresUrl)) {
    throw new Error(`--postgres-url must be a postgres:// URL on 127.0.0.1, got "${postgresUrl}"`);
  }
  const standard = !values.quick && !values.profile && values.engine === undefined;
  return {
    engines,
    load: values.quick ? QUICK_LOAD : STANDARD_LOAD,
    postgresUrl,
    profileDir: values.profile ? `${resultsDir}/ingest-profiles-${fileStamp(new Date())}` : null,
    retries: retriesOf(values.retries),
    quick: values.quick,
    writeDocs: standard && !values["no-docs"],
  };
}

function isLoopbackPostgres(url: string): boolean {
  try {
    const parsed = new URL(url);
    return /^postgres(ql)?:$/.test(parsed.protocol) && parsed.hostname === "127.0.0.1";
  } catch {
    return false;
  }
}

function retriesOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_RETRIES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_RETRIES) {
    throw new Error(`--retries must be a whole number in [0, ${MAX_RETRIES}], got "${raw}"`);
  }
  return value;
}

/** An ISO date that is also a valid file name. */
export function fileStamp(date: Date): string {
  return date.toISOString().replaceAll(":", "-");
}
