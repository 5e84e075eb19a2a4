/**
 * The Rainwave integration's real parts, built from the configuration: the `info` client against
 * RAINWAVE_API_URL, the streamer's saved switch and station, and the poller over them. Starting
 * reads the saved settings and returns; the first request runs in the background, so a slow
 * Rainwave never holds up the hub.
 */
import { type Database, loadIntegrationSettings, saveIntegrationSettings } from "@landale/db";
import type { Logger } from "@landale/logger";
import type { HubConfig } from "../config";
import type { Ingest } from "../events/ingest";
import { type Scheduler, systemScheduler } from "../scheduler";
import { fetchInfo } from "./client";
import {
  createRainwaveService,
  DEFAULT_RAINWAVE_TIMINGS,
  type RainwaveService,
  type RainwaveTimings,
} from "./service";
import { openKeptSettings } from "./settings";

/** The row of `integration_settings` this integration keeps. */
const SETTINGS_KEY = "rainwave";

export interface RainwaveOptions {
  /** A shorter interval, timeout and backoff (tests). */
  timings?: Partial<RainwaveTimings>;
  scheduler?: Scheduler;
}

export async function startRainwave(
  config: Pick<HubConfig, "rainwave">,
  database: Database,
  ingest: Ingest,
  logger: Logger,
  options: RainwaveOptions = {},
): Promise<RainwaveService> {
  const timings = { ...DEFAULT_RAINWAVE_TIMINGS, ...options.timings };
  const { userId, apiKey, station, apiUrl } = config.rainwave;
  const rainwaveLogger = logger.child({ component: "rainwave" });
  const settings = await openKeptSettings(
    {
      load: () => loadIntegrationSettings(database, SETTINGS_KEY),
      save: (chosen) => saveIntegrationSettings(database, SETTINGS_KEY, chosen),
    },
    rainwaveLogger,
  );
  return createRainwaveService({
    credentials: userId !== null && apiKey !== null ? { userId, apiKey } : null,
    station,
    settings,
    ingest,
    logger: rainwaveLogger,
    scheduler: options.scheduler ?? systemScheduler,
    timings,
    fetchInfo: (credentials, sid) => fetchInfo(apiUrl, credentials, sid, timings.timeoutMs),
  });
}
