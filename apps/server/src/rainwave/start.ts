/**
 * The Rainwave integration's real parts, built from the configuration: the `info` client against
 * RAINWAVE_API_URL and the poller over it. Starting returns at once; the first request runs in
 * the background, so a slow Rainwave never holds up the hub.
 */
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

export interface RainwaveOptions {
  /** A shorter interval, timeout and backoff (tests). */
  timings?: Partial<RainwaveTimings>;
  scheduler?: Scheduler;
}

export function startRainwave(
  config: Pick<HubConfig, "rainwave">,
  ingest: Ingest,
  logger: Logger,
  options: RainwaveOptions = {},
): RainwaveService {
  const timings = { ...DEFAULT_RAINWAVE_TIMINGS, ...options.timings };
  const { userId, apiKey, station, apiUrl } = config.rainwave;
  return createRainwaveService({
    credentials: userId !== null && apiKey !== null ? { userId, apiKey } : null,
    station,
    ingest,
    logger: logger.child({ component: "rainwave" }),
    scheduler: options.scheduler ?? systemScheduler,
    timings,
    fetchInfo: (credentials, sid) => fetchInfo(apiUrl, credentials, sid, timings.timeoutMs),
  });
}
