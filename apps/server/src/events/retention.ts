/**
 * Retention without TimescaleDB (where a retention policy does it inside the database): in the
 * background at start-up, so a hub that restarts within the hour still runs it, and then every
 * hour, delete events older than the retention period in bounded steps, so one pass never holds
 * the database for long.
 */
import { type Database, deleteEventsBefore } from "@landale/db";
import type { Logger } from "@landale/logger";

const INTERVAL_MS = 60 * 60 * 1000;
const STEP = 5_000;
const MAX_STEPS_PER_PASS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Retention {
  /** One pass now; resolves with how many events it deleted. */
  run(): Promise<number>;
  stop(): Promise<void>;
}

export function startRetention(
  database: Database,
  days: number,
  logger: Logger,
  now = () => Date.now(),
): Retention {
  let running: Promise<number> | null = null;
  const run = () => {
    running ??= (async () => {
      const cutoff = new Date(now() - days * DAY_MS);
      let total = 0;
      for (let step = 0; step < MAX_STEPS_PER_PASS; step++) {
        const deleted = await deleteEventsBefore(database, cutoff, STEP);
        total += deleted;
        if (deleted < STEP) break;
      }
      if (total > 0)
        logger.info(
          { deleted: total, cutoff: cutoff.toISOString() },
          "retention deleted old events",
        );
      return total;
    })()
      .catch((err: unknown) => {
        logger.error({ err }, "retention pass failed");
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(run, INTERVAL_MS);
  void run();
  return {
    run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
