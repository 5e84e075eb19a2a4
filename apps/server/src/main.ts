/**
 * The hub's composition root: read the config once, build the services, print where they are,
 * and own their shutdown (SIGTERM/SIGINT → graceful stop → exit 0 with nothing left running).
 */
import { createLogger } from "@landale/logger";
import { ConfigError, loadConfig } from "./config";
import { SOCKET_PATH, startHub } from "./hub";

/** If a handle still keeps the process alive this long after a stop, exit anyway and say so. */
const EXIT_WATCHDOG_MS = 10_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(78);
  }
  const logger = createLogger({ name: "hub", level: config.logLevel });
  const hub = await startHub(config, logger);
  try {
    await hub.ready;
  } catch (err) {
    console.error("Landale hub could not start:", err instanceof Error ? err.message : err);
    await hub.stop().catch(() => {});
    process.exit(1);
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

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, "shutting down");
    hub.stop().then(
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
}

main().catch((err: unknown) => {
  console.error("Landale hub failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
