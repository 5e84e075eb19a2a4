/**
 * The services behind the database, built once it is ready: the event pipeline, the stream engine
 * (it hears committed events and records its own through ingest), the Twitch, OBS and IronMON
 * integrations (what they hear goes through ingest; OBS's connection is made in the background), and retention
 * where TimescaleDB does not do it. `stop()` stops them in the order that loses nothing.
 */
import {
  applyRetentionPolicy,
  type Database,
  eventById,
  loadStreamState,
  saveStreamState,
} from "@landale/db";
import type { Logger } from "@landale/logger";
import type { Broadcast } from "./broadcast";
import { streamPublisher } from "./channels/stream";
import type { HubConfig } from "./config";
import { toEnvelope } from "./events/envelope";
import { EventPipeline } from "./events/pipeline";
import { type Retention, startRetention } from "./events/retention";
import type { IronmonService } from "./ironmon/service";
import { type IronmonOptions, startIronmon } from "./ironmon/start";
import type { ObsService } from "./obs/service";
import { type ObsOptions, startObs } from "./obs/start";
import type { RainwaveService } from "./rainwave/service";
import { type RainwaveOptions, startRainwave } from "./rainwave/start";
import type { Scheduler } from "./scheduler";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig, withCategoryShows } from "./stream/config";
import { StreamEngine } from "./stream/engine";
import { startIronmonFeed } from "./stream/ironmon-feed";
import type { TwitchService } from "./twitch/service";
import { startTwitch, type TwitchOptions, twitchSecretKey } from "./twitch/start";

export interface Services {
  database: Database;
  pipeline: EventPipeline;
  engine: StreamEngine;
  twitch: TwitchService;
  obs: ObsService;
  rainwave: RainwaveService;
  ironmon: IronmonService;
  /**
   * Stops Twitch, OBS and IronMON (what they heard in flight is stored first), the engine, commits pending
   * events, drains the spool, stops retention.
   */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** The stream state engine's behaviour (alert durations, ticker…); defaults otherwise. */
  stream?: Partial<EngineConfig>;
  /** The stream engine's clock (epoch ms) and timers; a test's manual one moves only when told. */
  streamScheduler?: Scheduler;
  twitch?: TwitchOptions;
  obs?: ObsOptions;
  rainwave?: RainwaveOptions;
  ironmon?: IronmonOptions;
}

export async function startServices(
  config: HubConfig,
  logger: Logger,
  database: Database,
  broadcast: Broadcast,
  options: ServiceOptions,
): Promise<Services> {
  const twitchKey = twitchSecretKey(config);
  await applyRetentionPolicy(database, config.retentionDays);
  const pipeline = await EventPipeline.open({ ...config, database, broadcast, logger });
  const engineLogger = logger.child({ component: "stream" });
  const engine = await StreamEngine.start({
    config: {
      ...withCategoryShows(DEFAULT_ENGINE_CONFIG, config.categoryShows),
      omnibarHiddenScenes: config.omnibarHiddenScenes,
      ...options.stream,
    },
    logger: engineLogger,
    scheduler: options.streamScheduler,
    store: {
      load: () => loadStreamState(database),
      save: (version, core) => saveStreamState(database, version, core),
    },
    loadEvent: async (id) => {
      const row = await eventById(database, id);
      return row === null ? null : toEnvelope(row);
    },
    listener: {
      ...streamPublisher(broadcast),
      emit(eventType, data) {
        pipeline
          .ingest(
            { type: eventType, data },
            { source: "system", correlationId: Bun.randomUUIDv7() },
          )
          .catch((err: unknown) =>
            engineLogger.warn({ err, eventType }, "stream event not recorded"),
          );
      },
    },
  });
  const ironmonFeed = startIronmonFeed(
    database,
    (snapshot) => engine.ironmon(snapshot),
    engineLogger,
  );
  pipeline.onCommitted((events) => {
    engine.events(events);
    ironmonFeed.events(events);
  });
  const twitch = await startTwitch(
    config,
    twitchKey,
    database,
    pipeline.ingest,
    logger,
    options.twitch,
  );
  const obs = startObs(config, pipeline.ingest, logger, options.obs);
  const rainwave = await startRainwave(config, database, pipeline.ingest, logger, options.rainwave);
  const ironmon = await startIronmon(config, database, pipeline.ingest, logger, options.ironmon);
  const retention: Retention | null = database.timescale
    ? null
    : startRetention(database, config.retentionDays, logger.child({ component: "retention" }));
  return {
    database,
    pipeline,
    engine,
    twitch,
    obs,
    rainwave,
    ironmon,
    async stop() {
      await Promise.all([twitch.stop(), obs.stop(), rainwave.stop(), ironmon.stop()]);
      ironmonFeed.stop();
      await engine.stop();
      await pipeline.stop();
      await retention?.stop();
    },
  };
}
