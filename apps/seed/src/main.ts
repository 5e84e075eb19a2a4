/**
 * The AI worker's composition root: read the config once, start the worker, print what it uses,
 * and own its shutdown (SIGTERM/SIGINT, or the launcher gone → stop → exit 0 with nothing left
 * running). A bad setting exits 78 (EX_CONFIG), which a supervisor does not retry.
 */
import { createLogger } from "@landale/logger";
import { loadOrExit, startLifecycle } from "@landale/process";
import { ConfigError, loadConfig } from "./config";
import { startWorker } from "./worker";

async function main(): Promise<void> {
  const config = loadOrExit(() => loadConfig(process.env), [ConfigError]);
  const logger = createLogger({ name: "seed", level: config.logLevel });
  const lifecycle = startLifecycle({
    logger,
    name: "the worker",
    exitWithParent: config.exitWithParent,
  });

  const worker = await startWorker(config, { logger });
  process.stdout.write(
    [
      `Landale AI worker is running (model: ${worker.model ?? "none, offline analysis"}):`,
      `  hub     ${config.hub.url}`,
      `  health  ${worker.healthUrl}`,
      "",
    ].join("\n"),
  );

  lifecycle.stopWith(() => worker.stop());
}

main().catch((err: unknown) => {
  console.error("Landale AI worker failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
