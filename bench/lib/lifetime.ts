/** Keeps a benchmark subprocess from outliving its driver: it exits when orphaned or past a time limit. */

const PARENT_CHECK_MS = 500;
const EXIT_ORPHANED = 3;
const EXIT_TOO_OLD = 4;

/** Reads the time limit the driver passed as the first argument (milliseconds). */
export function lifetimeFromArgv(fallbackMs: number): number {
  const value = Number(process.argv[2]);
  return Number.isFinite(value) && value > 0 ? value : fallbackMs;
}

export function exitWithParent(maxLifetimeMs: number): void {
  const parent = process.ppid;
  const check = setInterval(() => {
    if (process.ppid !== parent) process.exit(EXIT_ORPHANED);
  }, PARENT_CHECK_MS);
  check.unref();
  const limit = setTimeout(() => {
    console.error(`bench: ${process.argv[1]} ran past ${maxLifetimeMs} ms; exiting`);
    process.exit(EXIT_TOO_OLD);
  }, maxLifetimeMs);
  limit.unref();
}
