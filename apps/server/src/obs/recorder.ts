/**
 * What OBS says, recorded: obs.* events go through ingest one at a time, in the order OBS said
 * them, so they are stored and fanned out like any other event. Ingest refusing for back-pressure
 * or start-up is waited out; a queue past its bound drops (and counts) rather than grow.
 */
import type { Logger } from "@landale/logger";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";
import type { Scheduler } from "../scheduler";
import type { ObsCatalogueEvent } from "./status";

/** OBS events waiting to be stored; beyond it they are dropped and counted. */
export const MAX_QUEUED_EVENTS = 1000;
/** The wait before storing again after ingest refused for back-pressure or start-up. */
const RECORD_RETRY_MS = 250;

export interface ObsRecorder {
  record(events: readonly ObsCatalogueEvent[]): void;
  /** Stores what is queued without waiting out refusals, then leaves nothing running. */
  stop(): Promise<void>;
}

export function createObsRecorder(deps: {
  ingest: Ingest;
  logger: Logger;
  scheduler: Scheduler;
}): ObsRecorder {
  const { ingest, logger, scheduler } = deps;
  const queue: ObsCatalogueEvent[] = [];
  let dropped = 0;
  let stopping = false;
  let draining: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = scheduler.setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        scheduler.clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  const store = async (event: ObsCatalogueEvent) => {
    for (;;) {
      try {
        await ingest(
          { type: event.type, source: "obs", data: event.data },
          { source: "obs", correlationId: Bun.randomUUIDv7() },
        );
        return;
      } catch (err) {
        if (err instanceof AppError && err.status === 503 && !stopping) {
          await pause(RECORD_RETRY_MS);
          continue;
        }
        logger.warn({ type: event.type, err }, "OBS event not recorded");
        return;
      }
    }
  };

  const drain = async () => {
    for (let event = queue.shift(); event !== undefined; event = queue.shift()) await store(event);
  };
  const pump = () => {
    draining ??= drain().finally(() => {
      draining = null;
      // Recorded after the loop's last look and before this ran.
      if (queue.length > 0) pump();
    });
  };

  return {
    record(events) {
      for (const event of events) {
        if (queue.length >= MAX_QUEUED_EVENTS) {
          dropped++;
          if (dropped === 1 || dropped % 100 === 0) {
            logger.warn({ dropped }, "OBS events dropped: too many waiting to be stored");
          }
          continue;
        }
        queue.push(event);
      }
      if (queue.length > 0) pump();
    },
    async stop() {
      stopping = true;
      wake?.();
      while (draining !== null) await draining;
    },
  };
}
