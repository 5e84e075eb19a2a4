/**
 * The hub's composition root: read the config once, build the services, start the workers
 * `LANDALE_WORKERS` names as children (`./workers/supervisor`), print where they are, and own
 * their shutdown (SIGTERM/SIGINT, or the launcher gone → workers stopped → graceful stop → exit 0
 * with nothing left running). A setting, a secret key file or a database no retry can fix exits
 * 78 (EX_CONFIG). With workers and no LANDALE_WORKER_TOKEN, a token is made for this run (never
 * printed): the hub and its workers share it.
 */
import { createLogger } from "@landale/logger";
import { ConfigError, loadConfig } from "./config";
import { DatabaseConfigError } from "./database";
import { startHub } from "./hub";
import { SOCKET_PATH } from "./server";
import { SecretKeyError } from "./twitch/secret-key";
import { loadWorkersConfig, WorkersConfigError, workerHubUrl } from "./workers/config";
import { startWorkerSupervisor } from "./workers/supervisor";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** If a handle still keeps the process alive this long after a stop, exit anyway and say so. */
const EXIT_WATCHDOG_MS = 10_000;
/** sysexits' EX_CONFIG: what a supervisor should not restart in a loop. */
const EXIT_CONFIG = 78;
/**
 * How often the hub looks for its launcher. Nothing tells a process its parent died (Linux's
 * PR_SET_PDEATHSIG is out of Bun's reach), but the orphan is re-parented, so its ppid changes.
 */
const PARENT_POLL_MS = 500;
/**
 * A terminal's Ctrl+C reaches the hub twice under `bun start`: from the terminal (the whole
 * foreground process group) and forwarded by `bun run`, milliseconds apart. A repeat this soon is
 * that same press, not a second one asking to exit at once.
 */
const SAME_SIGNAL_MS = 1_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  let workersConfig: ReturnType<typeof loadWorkersConfig>;
  try {
    workersConfig = loadWorkersConfig(process.env, ROOT);
    const noWorkers = workersConfig.workers.length === 0;
    const workerToken = noWorkers ? process.env.LANDALE_WORKER_TOKEN : workersConfig.workerToken;
    config = loadConfig({ ...process.env, LANDALE_WORKER_TOKEN: workerToken });
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof WorkersConfigError)) throw err;
    console.error(err.message);
    process.exit(EXIT_CONFIG);
  }
  const logger = createLogger({ name: "hub", level: config.logLevel });
  // Until the hub is ready nothing was accepted, so a launcher gone then needs no graceful stop.
  let launcherGone: () => void = () => {
    logger.warn("the process that started the hub is gone: exiting");
    process.exit(1);
  };
  const parentWatch = config.exitWithParent ? watchParent(() => launcherGone()) : undefined;
  const workers = startWorkerSupervisor({
    workers: workersConfig.workers,
    cwd: process.cwd(),
    logger: logger.child({ component: "workers" }),
  });
  const hub = await startHub(config, logger, { workers });
  if (workersConfig.workers.length > 0 && workersConfig.tokenGenerated) {
    logger.info("made a worker token for this run (set LANDALE_WORKER_TOKEN to choose one)");
  }
  workers.begin({
    ...process.env,
    LANDALE_WORKER_TOKEN: config.workerToken ?? undefined,
    LANDALE_HUB_URL: workerHubUrl(process.env, hub.port),
  });
  try {
    await hub.ready;
  } catch (err) {
    const permanent = err instanceof DatabaseConfigError || err instanceof SecretKeyError;
    console.error("Landale hub could not start:", err instanceof Error ? err.message : err);
    clearInterval(parentWatch);
    await workers.stopAll();
    await hub.stop().catch(() => {});
    process.exit(permanent ? EXIT_CONFIG : 1);
  }

  const ws = hub.url.replace(/^http/, "ws");
  process.stdout.write(
    [
      `Landale hub is running (events stored in ${config.databaseUrl === null ? `PGlite at ${config.dataDir}` : "Postgres"}):`,
      `  health     ${hub.url}/health`,
      `  ready      ${hub.url}/ready`,
      `  socket     ${ws}${SOCKET_PATH}`,
      `  events     POST ${hub.url}/api/events   GET ${hub.url}/api/activity/events`,
      `  dashboard  ${hub.url}/dashboard/`,
      `  overlays   ${hub.url}/overlays/omnibar  (also alerts, takeover, captions; add ?token= when one is set)`,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );

  let signalledAt: number | null = null;
  const shutdown = (signal: NodeJS.Signals | "launcher gone") => {
    if (signalledAt !== null) {
      if (performance.now() - signalledAt < SAME_SIGNAL_MS) return;
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    signalledAt = performance.now();
    clearInterval(parentWatch);
    logger.info({ signal }, "shutting down");
    // The workers first: what they send while stopping still reaches the hub.
    workers
      .stopAll()
      .then(() => hub.stop())
      .then(
        () => {
          process.exitCode = 0;
          setTimeout(() => {
            logger.error("still running after shutdown: a handle was left open");
            process.exit(1);
          }, EXIT_WATCHDOG_MS).unref();
        },
        (err: unknown) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  launcherGone = () => {
    logger.warn("the process that started the hub is gone: stopping");
    shutdown("launcher gone");
  };
}

/** Calls `gone` once the parent process has died (the hub was re-parented). */
function watchParent(gone: () => void): ReturnType<typeof setInterval> {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    gone();
  }, PARENT_POLL_MS);
  // The watch alone must not keep a stopped hub alive.
  timer.unref();
  return timer;
}

main().catch((err: unknown) => {
  console.error("Landale hub failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
