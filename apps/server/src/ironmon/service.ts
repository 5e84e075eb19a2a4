/**
 * The IronMON integration: the TCP ingest (`./tcp`) hands each message to the recorder
 * (`./recorder`), which stores it as an event and lets the run tracking (`./runs`) act on seeds
 * and checkpoints. The queries (`ironmon:*`, `/api/ironmon/*`) read the database, in the shapes of
 * `@landale/shared`'s `api/ironmon.ts`. `stop()` closes the port, then records what is queued.
 */
import {
  activeIronmonRun,
  type Database,
  type IronmonCheckpointRow,
  type IronmonCheckpointStats,
  ironmonCheckpointStats,
  listIronmonChallenges,
  listIronmonCheckpoints,
  recentIronmonResults,
} from "@landale/db";
import type {
  IronmonActiveRun,
  IronmonChallenges,
  IronmonCheckpointInfo,
  IronmonCheckpointStat,
  IronmonCheckpointStats as IronmonCheckpointStatsAnswer,
  IronmonCheckpoints,
  IronmonResults,
  IronmonStatus,
} from "@landale/shared";
import type { z } from "zod";
import { AppError } from "../errors";
import type { IronmonRecorder } from "./recorder";
import type { RunTracker } from "./runs";
import type { IronmonTcpServer } from "./tcp";

export interface IronmonService {
  status(): IronmonStatus;
  challenges(): Promise<IronmonChallenges>;
  /** A challenge's checkpoints in order; the first challenge when none is named. */
  checkpoints(challengeId?: number): Promise<IronmonCheckpoints>;
  checkpointStats(challengeId?: number): Promise<IronmonCheckpointStatsAnswer>;
  recentResults(limit: number): Promise<IronmonResults>;
  activeRun(): Promise<IronmonActiveRun>;
  /** Resolves when every message received so far is recorded (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

function checkpointInfo(row: IronmonCheckpointRow): z.infer<typeof IronmonCheckpointInfo> {
  const { id, challengeId, name, trainer, order } = row;
  return { id, challenge_id: challengeId, name, trainer, order };
}

function checkpointStat(row: IronmonCheckpointStats): z.infer<typeof IronmonCheckpointStat> {
  return {
    ...checkpointInfo(row),
    cleared: row.cleared,
    failed: row.failed,
    clear_rate: row.clearRate,
  };
}

export function createIronmonService(deps: {
  database: Database;
  tcp: IronmonTcpServer;
  recorder: IronmonRecorder;
  runs: RunTracker;
}): IronmonService {
  const { database, tcp, recorder, runs } = deps;

  const challengeOrFirst = async (challengeId?: number): Promise<number> => {
    const challenges = await listIronmonChallenges(database);
    const id = challengeId ?? challenges[0]?.id;
    if (id === undefined || !challenges.some((c) => c.id === id)) {
      throw new AppError(404, "not_found", `no IronMON challenge ${challengeId ?? ""}`.trim());
    }
    return id;
  };

  return {
    status: () => ({
      tcp: tcp.stats(),
      recorder: recorder.stats(),
      tracker: runs.tracker(),
      active_run_id: runs.activeRunId(),
    }),
    async challenges() {
      return { challenges: await listIronmonChallenges(database) };
    },
    async checkpoints(challengeId) {
      const rows = await listIronmonCheckpoints(database, await challengeOrFirst(challengeId));
      return { checkpoints: rows.map(checkpointInfo) };
    },
    async checkpointStats(challengeId) {
      const rows = await ironmonCheckpointStats(database, await challengeOrFirst(challengeId));
      return { checkpoints: rows.map(checkpointStat) };
    },
    async recentResults(limit) {
      const rows = await recentIronmonResults(database, limit);
      return {
        results: rows.map((row) => ({
          id: row.id,
          run_id: row.runId,
          seed: row.seed,
          checkpoint_id: row.checkpointId,
          name: row.name,
          trainer: row.trainer,
          order: row.order,
          cleared: row.cleared,
          at: row.at.toISOString(),
        })),
      };
    },
    async activeRun() {
      const run = await activeIronmonRun(database);
      if (run === null) return { run: null };
      const stats = await ironmonCheckpointStats(database, run.challengeId);
      const next = run.next === null ? undefined : stats.find((s) => s.id === run.next?.id);
      return {
        run: {
          id: run.id,
          challenge_id: run.challengeId,
          challenge: run.challengeName,
          seed: run.seed,
          attempt: run.attempt,
          started_at: run.startedAt.toISOString(),
          cleared: run.cleared.map((c) => ({
            checkpoint_id: c.checkpointId,
            name: c.name,
            order: c.order,
          })),
          next: next === undefined ? null : checkpointStat(next),
          total_checkpoints: stats.length,
        },
      };
    },
    idle: () => recorder.idle(),
    async stop() {
      tcp.stop();
      await recorder.stop();
    },
  };
}
