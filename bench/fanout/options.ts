/** The fan-out bench's command line: the two standard loads, `--quick`, and per-flag overrides. */
import { parseArgs } from "node:util";
import type { Load } from "./scenario";

export interface Options {
  loads: Load[];
  durationS: number;
  warmupS: number;
  workers: number;
  sampleEvery: number;
  /** Repeats of a measurement that other processes disturbed. */
  retries: number;
  /** True when the run used the standard loads and durations, so its figures may go in the docs. */
  standard: boolean;
  writeDocs: boolean;
}

/** The spec's loads: every server keeps up at the light one; the other saturates. */
export const STANDARD_LOADS: readonly Load[] = [
  { name: "light", sockets: 1_000, rate: 50 },
  { name: "saturation", sockets: 5_000, rate: 200 },
];
const QUICK_LOADS: readonly Load[] = [
  { name: "light", sockets: 200, rate: 50 },
  { name: "saturation", sockets: 1_000, rate: 200 },
];
const STANDARD_DURATION_S = 10;
const QUICK_DURATION_S = 3;
const STANDARD_WARMUP_S = 2;
const QUICK_WARMUP_S = 1;
const DEFAULT_WORKERS = 4;
const DEFAULT_SAMPLE_EVERY = 20;
const DEFAULT_RETRIES = 2;
const MAX_RETRIES = 10;
const MAX_SOCKETS = 50_000;
const MAX_WORKERS = 16;

export const USAGE = `bun run bench:fanout [flags]

  --quick             small loads (200 and 1,000 sockets), 3 s each: a fast check
  --load NAME         only this load: light | saturation
  --sockets N         sockets for every selected load
  --rate R            broadcasts per second for every selected load
  --duration S        seconds of measured broadcast per load and server (default 10)
  --warmup S          seconds of unmeasured broadcast first (default 2)
  --workers W         client subprocesses (default 4)
  --sample-every K    time every K-th socket's messages (default 20)
  --retries N         repeat a measurement other processes disturbed, up to N times (default 2)
  --no-docs           do not rewrite docs/BENCHMARKS.md
  --help

Only a standard run (no --quick, --load, --sockets, --rate or --duration) rewrites docs/BENCHMARKS.md;
every run writes JSON to bench/results/.
`;

export function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      load: { type: "string" },
      sockets: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      workers: { type: "string" },
      "sample-every": { type: "string" },
      retries: { type: "string" },
      "no-docs": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const base = values.quick ? QUICK_LOADS : STANDARD_LOADS;
  const selected = base.filter((load) => values.load === undefined || load.name === values.load);
  if (selected.length === 0) throw new Error(`unknown load "${values.load}": light | saturation`);
  const sockets = optionalInt(values.sockets, "sockets", 1, MAX_SOCKETS);
  const rate = optionalNumber(values.rate, "rate", 0.1, 10_000);
  const loads = selected.map((load) => ({
    name: load.name,
    sockets: sockets ?? load.sockets,
    rate: rate ?? load.rate,
  }));
  const duration = optionalNumber(values.duration, "duration", 0.5, 600);
  const standard =
    !values.quick &&
    values.load === undefined &&
    sockets === undefined &&
    rate === undefined &&
    duration === undefined;
  return {
    loads,
    durationS: duration ?? (values.quick ? QUICK_DURATION_S : STANDARD_DURATION_S),
    warmupS:
      optionalNumber(values.warmup, "warmup", 0, 60) ??
      (values.quick ? QUICK_WARMUP_S : STANDARD_WARMUP_S),
    workers: optionalInt(values.workers, "workers", 1, MAX_WORKERS) ?? DEFAULT_WORKERS,
    sampleEvery:
      optionalInt(values["sample-every"], "sample-every", 1, 1_000) ?? DEFAULT_SAMPLE_EVERY,
    retries: optionalInt(values.retries, "retries", 0, MAX_RETRIES) ?? DEFAULT_RETRIES,
    standard,
    writeDocs: standard && !values["no-docs"],
  };
}

function optionalNumber(raw: string | undefined, name: string, min: number, max: number) {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number in [${min}, ${max}], got "${raw}"`);
  }
  return value;
}

function optionalInt(raw: string | undefined, name: string, min: number, max: number) {
  const value = optionalNumber(raw, name, min, max);
  if (value !== undefined && !Number.isInteger(value)) {
    throw new Error(`--${name} must be a whole number, got "${raw}"`);
  }
  return value;
}
