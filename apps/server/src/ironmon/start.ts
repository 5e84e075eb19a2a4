/**
 * The IronMON integration's real parts, built from the configuration: the run tracking (reading the
 * active run from the database), the recorder into ingest, and the TCP listener feeding it.
 */
import type { Database } from "@landale/db";
import type { Logger } from "@landale/logger";
import type { HubConfig } from "../config";
import type { Ingest } from "../events/ingest";
import { type Scheduler, systemScheduler } from "../scheduler";
import { createIronmonRecorder } from "./recorder";
import { createRunTracker } from "./runs";
import { createIronmonService, type IronmonService } from "./service";
import { startIronmonTcp } from "./tcp";

export interface IronmonOptions {
  /** The recorder's retry timer (a test counts what is left after stop). */
  scheduler?: Scheduler;
  /** A shorter idle timeout (tests). */
  idleTimeoutS?: number;
}

export async function startIronmon(
  config: Pick<HubConfig, "ironmon">,
  database: Database,
  ingest: Ingest,
  logger: Logger,
  options: IronmonOptions = {},
): Promise<IronmonService> {
  const log = logger.child({ component: "ironmon" });
  const runs = await createRunTracker({ database, logger: log });
  const recorder = createIronmonRecorder({
    ingest,
    runStep: (message) => runs.step(message),
    logger: log,
    scheduler: options.scheduler ?? systemScheduler,
  });
  const tcp = startIronmonTcp({
    host: config.ironmon.host,
    port: config.ironmon.port,
    maxConnections: config.ironmon.maxConnections,
    idleTimeoutS: options.idleTimeoutS,
    logger: logger.child({ component: "ironmon-tcp" }),
    onMessage: (message) => recorder.record(message),
  });
  return createIronmonService({ database, tcp, recorder, runs });
}
