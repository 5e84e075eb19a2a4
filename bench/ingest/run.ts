/** `bun run bench:ingest`: events/s, latency and overload RSS of the real hub on PGlite and Postgres; prints and records the figures. */
import { Cleanups } from "../lib/cleanups";
import { checkFileLimit, describeMachine, sourceRevision } from "../lib/machine";
import { ProcessGroup } from "../lib/processes";
import { writeDocs, writeJson } from "../lib/report";
import { type EngineResult, type ProfiledRun, profileEngine, runEngine } from "./engine";
import { fileStamp, type Options, parseOptions, USAGE } from "./options";
import { summariseProfiles } from "./profile";
import { docsSection, evaluateTargets, MARKERS, resultsText } from "./report";
import { throughputRows } from "./report-tables";

const ROOT = new URL("../../", import.meta.url).pathname;
const DOCS_PATH = `${ROOT}docs/BENCHMARKS.md`;
const RESULTS_DIR = `${ROOT}bench/results`;
/** Every subprocess's own time limit: the whole run, generously, so none can outlive a hung driver. */
const LIFETIME_PER_ENGINE_MS = 15 * 60_000;
/** After a signal, how long teardown (stop the hub, drop the database) may take before SIGKILL. */
const INTERRUPT_CLEANUP_MS = 20_000;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), RESULTS_DIR);
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  const limitProblem = await checkFileLimit(options.load.subscribers);
  if (limitProblem !== null) {
    console.error(`ingest bench: ${limitProblem}`);
    return EXIT_USAGE;
  }
  const group = new ProcessGroup(options.engines.length * LIFETIME_PER_ENGINE_MS);
  const cleanups = new Cleanups();
  handleSignals(group, cleanups);
  try {
    if (options.profileDir !== null) {
      const runs: ProfiledRun[] = [];
      for (const engine of options.engines) {
        runs.push(...(await profileEngine({ group, options, engine, cleanups, progress })));
      }
      await recordProfiles(options, options.profileDir, runs);
      return 0;
    }
    const results: EngineResult[] = [];
    for (const engine of options.engines) {
      results.push(await runEngine({ group, options, engine, cleanups, progress }));
    }
    await record(options, results);
    return 0;
  } finally {
    await cleanups.run();
    await group.stopAll();
  }
}

/** SIGINT/SIGTERM: tear down (hub, subscribers, database) within a bound, then kill what is left. */
function handleSignals(group: ProcessGroup, cleanups: Cleanups): void {
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) {
      group.killAllNow();
      process.exit(EXIT_INTERRUPTED);
    }
    interrupted = true;
    progress("\ninterrupted: stopping the hub and dropping the database …\n");
    Promise.race([cleanups.run(), Bun.sleep(INTERRUPT_CLEANUP_MS)]).finally(() => {
      group.killAllNow();
      process.exit(EXIT_INTERRUPTED);
    });
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
}

async function record(options: Options, results: EngineResult[]): Promise<void> {
  const machine = await describeMachine();
  const revision = await sourceRevision(ROOT);
  const verdicts = evaluateTargets(results);
  process.stdout.write(`\n${resultsText(results, verdicts)}\n\n`);
  const jsonPath = `${RESULTS_DIR}/ingest-${fileStamp(new Date(machine.date))}.json`;
  await writeJson(jsonPath, {
    machine,
    revision,
    options,
    results,
    targets: verdicts,
  });
  progress(`results: ${jsonPath}\n`);
  if (options.writeDocs) {
    await writeDocs(DOCS_PATH, docsSection(machine, revision, options, results, verdicts), MARKERS);
    progress(`docs: ${DOCS_PATH}\n`);
  } else {
    progress("docs/BENCHMARKS.md left as it was (only a standard run rewrites it)\n");
  }
}

/** Profiled figures are not comparable with the others: they go to the terminal and JSON only. */
async function recordProfiles(options: Options, dir: string, runs: ProfiledRun[]): Promise<void> {
  const machine = await describeMachine();
  const table = throughputRows(
    runs.flatMap(({ engine, throughput }) => throughput.map((result) => ({ engine, result }))),
  );
  const profiles = await summariseProfiles(dir);
  process.stdout.write(`\n${table}\n\n${profiles?.text ?? "no profile was written"}\n\n`);
  const jsonPath = `${RESULTS_DIR}/ingest-profile-${fileStamp(new Date(machine.date))}.json`;
  await writeJson(jsonPath, {
    machine,
    revision: await sourceRevision(ROOT),
    options,
    runs,
    profiles: profiles?.summaries ?? null,
  });
  progress(`results: ${jsonPath}\nprofiles: ${dir}\n`);
}

function progress(text: string): void {
  process.stdout.write(text);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("ingest bench failed:", error);
    process.exit(1);
  },
);
