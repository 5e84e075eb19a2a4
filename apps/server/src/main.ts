/**
 * The hub's composition root: read the config once, build the services, start the workers
 * `LANDALE_WORKERS` names as children (`./workers/supervisor`), print where they are, and own
 * their shutdown (SIGTERM/SIGINT, or the launcher gone → workers stopped → graceful stop → exit 0
 * with nothing left running). A setting, a secret key file or a database no retry can fix exits
 * 78 (EX_CONFIG). With workers and no LANDALE_WORKER_TOKEN, a token is made for this run (never
 * printed): the hub and its workers share it.
 */
import { createLogger } from "@landale/logger";
import { EXIT_CONFIG, loadOrExit, startLifecycle } from "@landale/process";
import { ConfigError, loadConfig } from "./config";
import { DatabaseConfigError } from "./database";
import { startHub } from "./hub";
import { SOCKET_PATH } from "./server";
import { SecretKeyError } from "./twitch/secret-key";
import { loadWorkersConfig, WorkersConfigError, workerHubUrl } from "./workers/config";
import { startWorkerSupervisor } from "./workers/supervisor";

const ROOT = new URL("../../../", import.meta.url).pathname;

async function main(): Promise<void> {
  const { config, workersConfig } = loadOrExit(() => {
    const workersConfig = loadWorkersConfig(process.env, ROOT);
    const noWorkers = workersConfig.workers.length === 0;
    const workerToken = noWorkers ? process.env.LANDALE_WORKER_TOKEN : workersConfig.workerToken;
    const config = loadConfig({ ...process.env, LANDALE_WORKER_TOKEN: workerToken });
    return { config, workersConfig };
  }, [ConfigError, WorkersConfigError]);
  const logger = createLogger({ name: "hub", level: config.logLevel });
  // Until the hub is ready nothing was accepted, so a launcher gone then needs no graceful stop.
  const lifecycle = startLifecycle({
    logger,
    name: "the hub",
    exitWithParent: config.exitWithParent,
  });
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
    lifecycle.release();
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

  // The workers first: what they send while stopping still reaches the hub.
  lifecycle.stopWith(async () => {
    await workers.stopAll();
    await hub.stop();
  });
}

main().catch((err: unknown) => {
  console.error("Landale hub failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
