/**
 * The worker assembled: the link to the hub feeds the input buffers; the analysis loop summarises
 * each window, asks the model (or the fallback), and hands contexts to the outbox, which sends them
 * on `contexts:live` until acknowledged; `/health` reports it all. `stop()` ends the cadence, waits
 * for a running analysis (aborting the model's request), and releases the link, timers and server.
 */
import { backoff } from "@landale/client";
import type { Logger } from "@landale/logger";
import { createAnalyzer } from "./analysis/analyze";
import { AnalysisLoop, type LastAnalysis } from "./analysis/loop";
import type { Config } from "./config";
import { healthReport, startHealthServer, type WorkerHealth } from "./health";
import { openHubLink } from "./hub/link";
import { Outbox } from "./hub/outbox";
import { Inputs } from "./inputs/inputs";
import { LlmClient } from "./llm/client";
import { type Clock, systemClock } from "./time";

/** `get_recent` reads whole minutes, at most a day. */
const MAX_RECENT_MINUTES = 1440;

export interface WorkerDeps {
  logger: Logger;
  /** The worker's clock (epoch milliseconds); the system's by default. */
  clock?: Clock;
  random?: () => number;
}

export interface Worker {
  readonly healthUrl: string;
  readonly model: string | null;
  health(): WorkerHealth;
  /** The latest analysis, or null before the first. */
  lastAnalysis(): LastAnalysis | null;
  stop(): Promise<void>;
}

export async function startWorker(config: Config, deps: WorkerDeps): Promise<Worker> {
  const { logger } = deps;
  const clock = deps.clock ?? systemClock;
  const startedAt = performance.now();
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, "a part of the worker failed to stop");
      }
    }
  };

  try {
    const inputs = new Inputs();
    const llm =
      config.llm === null
        ? null
        : new LlmClient(config.llm, { logger, now: clock, random: deps.random });
    if (llm === null) logger.info("no model configured: every window gets the offline analysis");

    const link = openHubLink({
      hubUrl: config.hub.url,
      token: config.hub.token,
      inputs,
      recentMinutes: Math.min(
        MAX_RECENT_MINUTES,
        Math.max(1, Math.ceil(config.cadence.analysisWindowMs / 60_000)),
      ),
      logger,
    });
    stops.push(() => link.close());

    const outbox = new Outbox({
      send: (context) => link.submit(context),
      capacity: config.contextQueue,
      retryDelay: backoff(),
      logger,
    });
    stops.push(() => outbox.stop());

    const loop = new AnalysisLoop({
      inputs,
      cadence: config.cadence,
      analyze: createAnalyzer(llm, logger),
      submit: (context) => {
        logger.info(
          { id: context.id, source: context.source, sentiment: context.analysis.sentiment },
          "context made",
        );
        outbox.add(context);
      },
      nativeEmotes: () => link.nativeEmotes(),
      clock,
      logger,
    });
    // The model's request is aborted first, so the loop's running analysis ends at once.
    stops.push(() => loop.stop());
    stops.push(() => llm?.stop());
    loop.start();

    const health = () =>
      healthReport({
        startedAt,
        link: () => link.health(),
        model: () => llm?.stats() ?? null,
        loop: () => loop.stats(),
        outbox: () => outbox.stats(),
        inputs: () => inputs.stats(),
        now: clock,
      });
    const healthServer = startHealthServer({
      host: config.host,
      port: config.healthPort,
      report: health,
      logger,
    });
    stops.push(() => healthServer.stop());

    return {
      healthUrl: healthServer.url,
      model: config.llm?.model ?? null,
      health,
      lastAnalysis: () => loop.last(),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
