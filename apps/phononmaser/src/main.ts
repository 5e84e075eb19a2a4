/**
 * The audio worker's composition root: read the config once, link to the hub, start the worker,
 * print where it listens, and own its shutdown (SIGTERM/SIGINT, or the launcher gone → stop the
 * worker, give the link a moment to hand the hub what it still holds → exit 0 with nothing left
 * running). A bad setting exits 78 (EX_CONFIG), which a supervisor does not retry.
 */
import { createLogger } from "@landale/logger";
import { loadOrExit, startLifecycle } from "@landale/process";
import { ConfigError, loadConfig } from "./config";
import { createConfiguredEngine } from "./engine-factory";
import { startLink } from "./link";
import { startWorker } from "./worker";

/** On shutdown, how long the link may still spend handing the hub the transcriptions it holds. */
const LINK_DRAIN_MS = 2_000;

async function main(): Promise<void> {
  const config = loadOrExit(() => loadConfig(process.env), [ConfigError]);
  const logger = createLogger({ name: "phononmaser", level: config.logLevel });
  const lifecycle = startLifecycle({
    logger,
    name: "the worker",
    exitWithParent: config.exitWithParent,
  });

  const link = startLink({
    url: config.hub.url,
    token: config.hub.token,
    queue: config.hub.queue,
    sessionId: config.hub.sessionId,
    engine: config.transcriber.engine,
    logger: logger.child({ component: "link" }),
  });
  const worker = await startWorker(config, {
    logger,
    createEngine: createConfiguredEngine,
    hub: link,
    onTranscription: (transcription) => link.submit(transcription),
    link: () => link.health(),
  }).catch(async (err: unknown) => {
    await link.stop();
    throw err;
  });
  process.stdout.write(
    [
      `Landale audio worker is running (engine: ${worker.engine.name}, ${worker.engine.state().state}):`,
      `  audio   ${worker.audioUrl}  (any path; /events for read-only events)`,
      `  health  ${worker.healthUrl}`,
      `  hub     ${config.hub.url}  (transcriptions go to transcription:live)`,
      "",
    ].join("\n"),
  );

  lifecycle.stopWith(async () => {
    await worker.stop();
    await link.stop({ drainMs: LINK_DRAIN_MS });
  });
}

main().catch((err: unknown) => {
  console.error("Landale audio worker failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
