/**
 * `bun run bench:fanout-redis`: the fan-out bench's light load on one channels server, then across
 * two channels servers joined by the Redis adapter (the Redis on 127.0.0.1:6379, a channel of the
 * run's own): the cross-node latency beside the single-node one.
 */
import { parseArgs } from "node:util";
import { runScenario, type ScenarioConfig, type ScenarioResult } from "../fanout/scenario";
import type { ServerKind } from "../fanout/wire";
import { checkFileLimit, describeMachine } from "../lib/machine";
import { ProcessGroup } from "../lib/processes";
import { writeDocs, writeJson } from "../lib/report";
import { awaitQuietMachine } from "../lib/system-cpu";
import { DOCS_MARKERS, docsSection, resultsTable } from "./report";

const ROOT = new URL("../../", import.meta.url).pathname;
const KINDS: readonly ServerKind[] = ["channels", "redis"];
const LIFETIME_PER_SCENARIO_MS = 5 * 60_000;
const QUIET_WAIT_MS = 60_000;

export const USAGE = `bun run bench:fanout-redis [flags]

  --sockets N      sockets joined to the topic (default 1000)
  --rate R         broadcasts per second (default 50)
  --duration S     seconds of measured broadcast (default 10)
  --quick          200 sockets, 3 s: a fast check
  --no-docs        do not rewrite docs/BENCHMARKS.md
  --help

Only a standard run (no --quick, --sockets, --rate or --duration) rewrites docs/BENCHMARKS.md.
`;

function parse(argv: string[]): { config: ScenarioConfig; writeDocs: boolean } | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      sockets: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      quick: { type: "boolean", default: false },
      "no-docs": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const number = (raw: string | undefined, fallback: number, max: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!(value > 0 && value <= max)) throw new Error(`expected a number in (0, ${max}]: "${raw}"`);
    return value;
  };
  const standard = !values.quick && !values.sockets && !values.rate && !values.duration;
  const config: ScenarioConfig = {
    load: {
      name: "light",
      sockets: Math.round(number(values.sockets, values.quick ? 200 : 1_000, 50_000)),
      rate: number(values.rate, 50, 10_000),
    },
    durationS: number(values.duration, values.quick ? 3 : 10, 600),
    warmupS: values.quick ? 1 : 2,
    workers: 4,
    sampleEvery: 20,
  };
  return { config, writeDocs: standard && !values["no-docs"] };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`fanout-redis bench: ${error instanceof Error ? error.message : error}\n`);
    process.stderr.write(USAGE);
    return 2;
  }
  if (parsed === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { config } = parsed;
  const limitProblem = await checkFileLimit(config.load.sockets);
  if (limitProblem !== null) {
    console.error(`fanout-redis bench: ${limitProblem}`);
    return 2;
  }
  const group = new ProcessGroup(KINDS.length * LIFETIME_PER_SCENARIO_MS);
  const interrupt = () => {
    group.killAllNow();
    process.exit(130);
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  try {
    const results: ScenarioResult[] = [];
    for (const kind of KINDS) {
      if (!(await awaitQuietMachine(QUIET_WAIT_MS))) progress("  the machine stayed busy\n");
      progress(`${kind}: ${config.load.sockets} sockets × ${config.load.rate} msg/s … `);
      const result = await runScenario(group, kind, config);
      progress(`p99 ${result.latency.p99.toFixed(2)} ms, lost ${result.lost}\n`);
      results.push(result);
    }
    const machine = await describeMachine();
    process.stdout.write(`\n${resultsTable(results)}\n\n`);
    const jsonPath = `${ROOT}bench/results/fanout-redis-${machine.date.replaceAll(":", "-")}.json`;
    await writeJson(jsonPath, { machine, config, results });
    progress(`results: ${jsonPath}\n`);
    if (parsed.writeDocs) {
      await writeDocs(
        `${ROOT}docs/BENCHMARKS.md`,
        docsSection(machine, config, results),
        DOCS_MARKERS,
      );
      progress("docs: docs/BENCHMARKS.md\n");
    }
    return 0;
  } finally {
    await group.stopAll();
  }
}

function progress(text: string): void {
  process.stdout.write(text);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("fanout-redis bench failed:", error);
    process.exit(1);
  },
);
