/**
 * `bun start`: builds the front-ends, then runs the hub and the workers and keeps the workers
 * running (`./launcher/supervisor.ts`). It gives the hub and the workers one worker token (made
 * for this run when LANDALE_WORKER_TOKEN is unset, never printed) and the workers the hub's URL.
 * Ctrl+C, SIGTERM or SIGHUP stop everything and it exits with the hub's code; if the hub exits,
 * so does it; if it is killed outright, every child notices and stops by itself.
 */
import { createLogger } from "@landale/logger";
import { LauncherConfigError, loadLauncherConfig } from "./launcher/config";
import { EXIT_CONFIG } from "./launcher/restarts";
import { type Supervisor, startSupervisor } from "./launcher/supervisor";

const ROOT = new URL("../../../", import.meta.url).pathname;
/** The build `bun start` always ran: cached by turbo, so a second start costs nothing. */
const BUILD = ["turbo", "run", "build", "--output-logs=errors-only"];
/** Ctrl+C reaches the launcher twice under `bun run` (the terminal and `bun run` itself). */
const SAME_SIGNAL_MS = 1_000;
/** Why a parent's death must be polled for, see `main.ts`. */
const PARENT_POLL_MS = 500;
const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

async function main(): Promise<void> {
  let config: ReturnType<typeof loadLauncherConfig>;
  try {
    config = loadLauncherConfig(process.env, ROOT);
  } catch (err) {
    if (!(err instanceof LauncherConfigError)) throw err;
    console.error(err.message);
    process.exit(EXIT_CONFIG);
  }
  const logger = createLogger({ name: "launcher", level: config.logLevel });

  let supervisor: Supervisor | null = null;
  let build: ReturnType<typeof Bun.spawn> | null = null;
  let signalledAt: number | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = performance.now();
    if (signalledAt !== null && now - signalledAt < SAME_SIGNAL_MS) return;
    signalledAt = now;
    // Children run in their own process groups: the hang-up never reached them.
    const forwarded = signal === "SIGHUP" ? "SIGTERM" : signal;
    if (supervisor !== null) supervisor.stop(forwarded);
    else if (build !== null) build.kill(forwarded);
    else process.exit(1);
  };
  for (const signal of FORWARDED) process.on(signal, onSignal);
  if (config.exitWithParent) watchParent(() => onSignal("SIGTERM"));

  build = Bun.spawn(BUILD, {
    cwd: config.root,
    // `bun run` puts node_modules/.bin on PATH; run directly, the repository's is the fallback.
    env: { ...process.env, PATH: `${process.env.PATH ?? ""}:${config.root}node_modules/.bin` },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const built = await build.exited;
  if (built !== 0 || signalledAt !== null) {
    if (signalledAt === null) logger.error({ code: built }, "the build failed: not starting");
    process.exit(built === 0 ? 1 : built);
  }
  build = null;

  if (config.tokenGenerated) {
    logger.info("made a worker token for this run (set LANDALE_WORKER_TOKEN to choose one)");
  }
  supervisor = startSupervisor({
    hubEntry: config.hubEntry,
    workers: config.workers,
    hubEnv: { ...process.env, LANDALE_WORKER_TOKEN: config.workerToken },
    workerEnv: {
      ...process.env,
      LANDALE_WORKER_TOKEN: config.workerToken,
      LANDALE_HUB_URL: config.hubUrl,
    },
    cwd: process.cwd(),
    logger,
  });
  process.exitCode = await supervisor.done;
  for (const signal of FORWARDED) process.off(signal, onSignal);
}

/** Calls `gone` once the process that started the launcher has died (it was re-parented). */
function watchParent(gone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    gone();
  }, PARENT_POLL_MS);
  timer.unref();
}

main().catch((err: unknown) => {
  console.error("Landale could not start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
