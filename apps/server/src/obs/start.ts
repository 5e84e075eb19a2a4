/**
 * The OBS integration's real parts, built from the configuration: the obs-websocket connection
 * (obs-websocket-js, kept up forever) and the service over it. Starting returns at once: the
 * first attempt runs in the background, so a closed or stuck OBS never holds up the hub.
 */
import type { Logger } from "@landale/logger";
import type { HubConfig } from "../config";
import type { Ingest } from "../events/ingest";
import { type Scheduler, systemScheduler } from "../scheduler";
import { startObsConnection } from "./connection";
import { DEFAULT_OBS_TIMINGS, type ObsTimings } from "./retry";
import { createObsService, type ObsService } from "./service";

export interface ObsOptions {
  /** Shorter connect timeout and retry waits (tests). */
  timings?: Partial<ObsTimings>;
  /** The connection's and the service's timers (a test counts what is left after stop). */
  scheduler?: Scheduler;
  /** The clock of the `obs_stats` push on `dashboard:main` (a test moves it by hand). */
  statsScheduler?: Scheduler;
}

export function startObs(
  config: Pick<HubConfig, "obs" | "host" | "allowedHosts" | "port">,
  ingest: Ingest,
  logger: Logger,
  options: ObsOptions = {},
): ObsService {
  const timings = { ...DEFAULT_OBS_TIMINGS, ...options.timings };
  const scheduler = options.scheduler ?? systemScheduler;
  const { url, password, requestTimeoutMs } = config.obs;
  return createObsService({
    url,
    hub: { host: config.host, allowedHosts: config.allowedHosts, port: config.port },
    ingest,
    logger: logger.child({ component: "obs" }),
    timings,
    scheduler,
    startConnection: (handlers) =>
      startObsConnection({
        url,
        password,
        requestTimeoutMs,
        timings,
        scheduler,
        logger: logger.child({ component: "obs-websocket" }),
        ...handlers,
      }),
  });
}
