/**
 * Keeps the engine's IronMON figures the records' own: reads the challenge's checkpoints (with
 * their trainers, clears and failures) and the active run from the database at start and after
 * each committed `ironmon.run.*` event, and hands them to the engine. One read at a time; events
 * arriving during a read ask for one more read after it, however many they are.
 */
import {
  activeIronmonRun,
  type Database,
  ironmonCheckpointStats,
  listIronmonChallenges,
} from "@landale/db";
import type { Logger } from "@landale/logger";
import type { EventEnvelope } from "@landale/shared";
import type { IronmonSnapshot } from "./games";

export interface IronmonFeed {
  /** Give it every committed window; it reads again when one holds a run event. */
  events(events: readonly EventEnvelope[]): void;
  /**
   * Reads no more, and hands nothing more to the engine. A read in flight is not waited for: on a
   * database outage it could hang, and the hub's stop must not.
   */
  stop(): void;
}

export function startIronmonFeed(
  database: Database,
  apply: (snapshot: IronmonSnapshot) => unknown,
  logger: Logger,
): IronmonFeed {
  let stopped = false;
  let again = false;
  let reading: Promise<void> | null = null;

  const read = () => {
    if (stopped) return;
    if (reading !== null) {
      again = true;
      return;
    }
    reading = (async () => {
      do {
        again = false;
        const snapshot = await loadIronmonSnapshot(database);
        if (snapshot !== null && !stopped) await apply(snapshot);
      } while (again && !stopped);
    })()
      // The ticker keeps the engine's own counts meanwhile; the next run event reads again.
      .catch((err: unknown) => {
        if (!stopped) logger.warn({ err }, "IronMON records not read for the ticker");
      })
      .finally(() => {
        reading = null;
      });
  };

  read();
  return {
    events(events) {
      if (events.some((event) => event.type.startsWith("ironmon.run."))) read();
    },
    stop() {
      stopped = true;
    },
  };
}

/** The active run's challenge (else the first challenge) as the engine takes it; null if none. */
export async function loadIronmonSnapshot(database: Database): Promise<IronmonSnapshot | null> {
  const run = await activeIronmonRun(database);
  const challengeId = run?.challengeId ?? (await listIronmonChallenges(database))[0]?.id;
  if (challengeId === undefined) return null;
  const checkpoints = await ironmonCheckpointStats(database, challengeId);
  const last = run?.cleared.at(-1);
  return {
    total: checkpoints.length,
    checkpoints: checkpoints.slice(0, 200).map((checkpoint) => ({
      id: String(checkpoint.id),
      name: checkpoint.name,
      trainer: checkpoint.trainer,
      order: checkpoint.order,
      cleared: checkpoint.cleared,
      failed: checkpoint.failed,
    })),
    run:
      run === null
        ? null
        : {
            run_id: String(run.id),
            seed: run.seed,
            attempt: run.attempt,
            cleared: run.cleared.length,
            current:
              last === undefined
                ? null
                : { id: String(last.checkpointId), name: last.name, order: last.order },
          },
  };
}
