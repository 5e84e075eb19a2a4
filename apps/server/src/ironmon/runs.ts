/**
 * Run tracking: what a seed or checkpoint means for the runs in the database, and the run events
 * to record once it is stored. `init` says which game, so which challenge a seed counts toward;
 * before any init, FireRed/LeafGreen is assumed (the game the seeded challenge is for). The active
 * run is read from the database, so it survives a restart of the hub.
 */
import {
  activeIronmonRun,
  clearIronmonCheckpoint,
  type Database,
  ironmonChallengeForGame,
  startIronmonRun,
} from "@landale/db";
import type { Logger } from "@landale/logger";
import type {
  EventInput,
  IronmonMessage,
  IronmonRunCheckpoint,
  IronmonRunFailed,
  IronmonRunStarted,
} from "@landale/shared";

const FIRERED_LEAFGREEN = 3;

export interface RunTracker {
  step(message: IronmonMessage): Promise<EventInput[]>;
  /** The tracker's last init; null until one came. */
  tracker(): { version: string; game: number } | null;
  /** The active run's id, as last read or written; null when none. */
  activeRunId(): number | null;
}

export async function createRunTracker(deps: {
  database: Database;
  logger: Logger;
  now?: () => Date;
}): Promise<RunTracker> {
  const { database, logger } = deps;
  const now = deps.now ?? (() => new Date());
  let tracker: { version: string; game: number } | null = null;
  let activeRunId = (await activeIronmonRun(database))?.id ?? null;

  const event = <T extends object>(type: string, data: T): EventInput => ({
    type,
    source: "tcp",
    data,
  });

  const seed = async (count: number): Promise<EventInput[]> => {
    const challengeId = await ironmonChallengeForGame(database, tracker?.game ?? FIRERED_LEAFGREEN);
    if (challengeId === null) {
      logger.info({ game: tracker?.game }, "IronMON seed not tracked: no challenge for this game");
      return [];
    }
    const started = await startIronmonRun(database, { challengeId, seed: count, at: now() });
    if (started === null) return [];
    activeRunId = started.run.id;
    const events: EventInput[] = [];
    if (started.failed !== null) {
      events.push(
        event("ironmon.run.failed", {
          run_id: started.failed.runId,
          checkpoint_id: started.failed.checkpoint.id,
          name: started.failed.checkpoint.name,
        } satisfies IronmonRunFailed),
      );
    }
    events.push(
      event("ironmon.run.started", {
        run_id: started.run.id,
        seed: started.run.seed,
        challenge: started.run.challengeName,
        attempt: started.run.attempt,
      } satisfies IronmonRunStarted),
    );
    return events;
  };

  const checkpoint = async (id: number, name: string): Promise<EventInput[]> => {
    const cleared = await clearIronmonCheckpoint(database, { id, name, at: now() });
    if (cleared === null) return [];
    activeRunId = cleared.run.endedAt === null ? cleared.run.id : null;
    return [
      event("ironmon.run.checkpoint", {
        run_id: cleared.run.id,
        checkpoint_id: cleared.checkpoint.id,
        name: cleared.checkpoint.name,
        order: cleared.checkpoint.order,
        cleared: true,
      } satisfies IronmonRunCheckpoint),
    ];
  };

  return {
    async step(message) {
      switch (message.type) {
        case "init":
          tracker = { version: message.data.version, game: message.data.game };
          return [];
        case "seed":
          return seed(message.data.count);
        case "checkpoint":
          return checkpoint(message.data.id, message.data.name);
        default:
          return [];
      }
    },
    tracker: () => tracker,
    activeRunId: () => activeRunId,
  };
}
