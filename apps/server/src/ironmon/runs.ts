/**
 * Run tracking: what a seed or checkpoint means for the runs in the database, and the run events
 * to record once it is stored. `init` says which game, so which challenge a seed counts toward;
 * before any init, FireRed/LeafGreen is assumed (the game the seeded challenge is for). The tracker
 * plays one game and one seed at a time: a seed that is not the active run's (a new count, or a
 * game with another challenge or none) ends that run, and a checkpoint is credited only to the
 * run of the game and seed being played. The active run is read from the database, so it survives
 * a restart of the hub; the seed being played is remembered until the game changes.
 */
import {
  activeIronmonRun,
  clearIronmonCheckpoint,
  type Database,
  endIronmonRun,
  type IronmonCheckpointRow,
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
  // The tracker's last seed count, forgotten when its game changes; null until one came.
  let playing: number | null = null;
  let activeRunId = (await activeIronmonRun(database))?.id ?? null;

  const game = () => tracker?.game ?? FIRERED_LEAFGREEN;
  const event = <T extends object>(type: string, data: T): EventInput => ({
    type,
    source: "tcp",
    data,
  });
  const failed = (runId: number, checkpoint: IronmonCheckpointRow) =>
    event("ironmon.run.failed", {
      run_id: runId,
      checkpoint_id: checkpoint.id,
      name: checkpoint.name,
    } satisfies IronmonRunFailed);

  const seed = async (count: number): Promise<EventInput[]> => {
    playing = count;
    const challengeId = await ironmonChallengeForGame(database, game());
    if (challengeId === null) {
      logger.info({ game: game() }, "IronMON seed not tracked: no challenge for this game");
    } else {
      const started = await startIronmonRun(database, { challengeId, seed: count, at: now() });
      if (started !== null) {
        activeRunId = started.run.id;
        const events: EventInput[] = [];
        if (started.failed !== null) {
          events.push(failed(started.failed.runId, started.failed.checkpoint));
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
      }
    }
    // No new run: the active one goes on only if it is this seed of this game's challenge.
    const at = now();
    const ended = await endIronmonRun(
      database,
      challengeId === null ? { at } : { at, unless: { challengeId, seed: count } },
    );
    if (ended === null) return [];
    activeRunId = null;
    return ended.checkpoint === null ? [] : [failed(ended.runId, ended.checkpoint)];
  };

  const checkpoint = async (data: {
    id: number;
    name: string;
    seed?: number;
  }): Promise<EventInput[]> => {
    const challengeId = await ironmonChallengeForGame(database, game());
    // The checkpoint's own seed and the tracker's last one, where known, must both be the run's.
    const seed = data.seed ?? playing;
    if (challengeId === null || (playing !== null && seed !== playing)) {
      logger.info(
        { game: game(), seed: data.seed, playing, name: data.name },
        "IronMON checkpoint not credited: not of the run being played",
      );
      return [];
    }
    const cleared = await clearIronmonCheckpoint(database, {
      id: data.id,
      name: data.name,
      at: now(),
      challengeId,
      ...(seed === null ? {} : { seed }),
    });
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
          if (message.data.game !== game()) playing = null;
          tracker = { version: message.data.version, game: message.data.game };
          return [];
        case "seed":
          return seed(message.data.count);
        case "checkpoint":
          return checkpoint(message.data);
        default:
          return [];
      }
    },
    tracker: () => tracker,
    activeRunId: () => activeRunId,
  };
}
