/**
 * The audio worker's composition root: read the config once, link to the hub, start the worker,
 * print where it listens, and own its shutdown (SIGTERM/SIGINT, or the launcher gone → stop the
 * worker, give the link a moment to hand the hub what it still holds → exit 0 with nothing left
 * running). A bad setting exits 78 (EX_CONFIG), which a supervisor does not retry.
 */
import { createLogger } from "@landale/logger";
import { ConfigError, loadConfig } from "./config";
import { createConfiguredEngine } from "./engine-factory";
import { startLink } from "./link";
import { startWorker } from "./worker";

/** If a handle still keeps the process alive this long after a stop, exit anyway and say so. */
const EXIT_WATCHDOG_MS = 10_000;
const EXIT_CONFIG = 78;
/** How often the worker looks for its launcher (an orphan is re-parented: its ppid changes). */
const PARENT_POLL_MS = 500;
/** A terminal's Ctrl+C arrives twice under a launcher (terminal and forwarded): one press. */
const SAME_SIGNAL_MS = 1_000;
/** On shutdown, how long the link may still spend handing the hub the transcriptions it holds. */
const LINK_DRAIN_MS = 2_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(EXIT_CONFIG);
  }
  const logger = createLogger({ name: "phononmaser", level: config.logLevel });
  let parentGone: () => void = () => {
    logger.warn("the process that started the worker is gone: exiting");
    process.exit(1);
  };
  const parentWatch = config.exitWithParent ? watchParent(() => parentGone()) : undefined;

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
    (async () => {
      await worker.stop();
      await link.stop({ drainMs: LINK_DRAIN_MS });
    })().then(
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
  parentGone = () => {
    logger.warn("the process that started the worker is gone: stopping");
    shutdown("launcher gone");
  };
}

/** Calls `gone` once the parent process has died (the worker was re-parented). */
function watchParent(gone: () => void): ReturnType<typeof setInterval> {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    gone();
  }, PARENT_POLL_MS);
  // The watch alone must not keep a stopped worker alive.
  timer.unref();
  return timer;
}

main().catch((err: unknown) => {
  console.error("Landale audio worker failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
