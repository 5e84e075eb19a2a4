/**
 * IronMON runs: the challenges and checkpoints (seeded by migration 0006), runs (one per seed) and
 * results (a checkpoint cleared, or the one a run failed at). A run's failure is recorded at the
 * next checkpoint after the furthest it cleared, so a checkpoint's clear rate is
 * cleared / (cleared + failed) over the runs that reached it. Each change is one transaction.
 */
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database, Drizzle } from "./connect";
import {
  type IronmonCheckpointRow,
  type IronmonRunRow,
  ironmonChallenges,
  ironmonCheckpoints,
  ironmonResults,
  ironmonRuns,
} from "./schema";

export interface IronmonChallenge {
  id: number;
  name: string;
  game: number;
  checkpoints: number;
}

export async function listIronmonChallenges(database: Database): Promise<IronmonChallenge[]> {
  return database.db
    .select({
      id: ironmonChallenges.id,
      name: ironmonChallenges.name,
      game: ironmonChallenges.game,
      checkpoints: count(ironmonCheckpoints.id),
    })
    .from(ironmonChallenges)
    .leftJoin(ironmonCheckpoints, eq(ironmonCheckpoints.challengeId, ironmonChallenges.id))
    .groupBy(ironmonChallenges.id)
    .orderBy(asc(ironmonChallenges.id));
}

/** A challenge's checkpoints in order. */
export function listIronmonCheckpoints(
  database: Database,
  challengeId: number,
): Promise<IronmonCheckpointRow[]> {
  return database.db
    .select()
    .from(ironmonCheckpoints)
    .where(eq(ironmonCheckpoints.challengeId, challengeId))
    .orderBy(asc(ironmonCheckpoints.order));
}

export interface IronmonCheckpointStats extends IronmonCheckpointRow {
  cleared: number;
  failed: number;
  /** cleared / (cleared + failed); null when no run has reached it. */
  clearRate: number | null;
}

export async function ironmonCheckpointStats(
  database: Database,
  challengeId: number,
): Promise<IronmonCheckpointStats[]> {
  const rows = await database.db
    .select({
      checkpoint: ironmonCheckpoints,
      cleared: sql<number>`count(*) filter (where ${ironmonResults.cleared})`.mapWith(Number),
      failed: sql<number>`count(*) filter (where not ${ironmonResults.cleared})`.mapWith(Number),
    })
    .from(ironmonCheckpoints)
    .leftJoin(ironmonResults, eq(ironmonResults.checkpointId, ironmonCheckpoints.id))
    .where(eq(ironmonCheckpoints.challengeId, challengeId))
    .groupBy(ironmonCheckpoints.id)
    .orderBy(asc(ironmonCheckpoints.order));
  return rows.map(({ checkpoint, cleared, failed }) => ({
    ...checkpoint,
    cleared,
    failed,
    clearRate: cleared + failed === 0 ? null : cleared / (cleared + failed),
  }));
}

export interface IronmonRun extends IronmonRunRow {
  challengeName: string;
  /** How many runs of this challenge up to and including this one. */
  attempt: number;
  /** Checkpoints cleared, in order. */
  cleared: { checkpointId: number; name: string; order: number }[];
  /** The next checkpoint to clear; null once the last is cleared. */
  next: IronmonCheckpointRow | null;
}

/** The next checkpoint after the furthest cleared: where a run that ends now failed. */
export function nextIronmonCheckpoint<T extends { order: number }>(
  checkpoints: readonly T[],
  clearedOrders: readonly number[],
): T | null {
  const furthest = clearedOrders.length === 0 ? 0 : Math.max(...clearedOrders);
  return checkpoints.find((checkpoint) => checkpoint.order > furthest) ?? null;
}

async function describeRun(database: Database, run: IronmonRunRow): Promise<IronmonRun> {
  const [challenge] = await database.db
    .select({ name: ironmonChallenges.name })
    .from(ironmonChallenges)
    .where(eq(ironmonChallenges.id, run.challengeId));
  const [before] = await database.db
    .select({ n: count() })
    .from(ironmonRuns)
    .where(and(eq(ironmonRuns.challengeId, run.challengeId), sql`${ironmonRuns.id} <= ${run.id}`));
  const cleared = await database.db
    .select({
      checkpointId: ironmonCheckpoints.id,
      name: ironmonCheckpoints.name,
      order: ironmonCheckpoints.order,
    })
    .from(ironmonResults)
    .innerJoin(ironmonCheckpoints, eq(ironmonCheckpoints.id, ironmonResults.checkpointId))
    .where(and(eq(ironmonResults.runId, run.id), eq(ironmonResults.cleared, true)))
    .orderBy(asc(ironmonCheckpoints.order));
  const checkpoints = await listIronmonCheckpoints(database, run.challengeId);
  return {
    ...run,
    challengeName: challenge?.name ?? "",
    attempt: before?.n ?? 1,
    cleared,
    next: nextIronmonCheckpoint(
      checkpoints,
      cleared.map((c) => c.order),
    ),
  };
}

/** The run in progress: the newest one not ended; null when there is none. */
export async function activeIronmonRun(database: Database): Promise<IronmonRun | null> {
  const [run] = await database.db
    .select()
    .from(ironmonRuns)
    .where(isNull(ironmonRuns.endedAt))
    .orderBy(desc(ironmonRuns.id))
    .limit(1);
  return run === undefined ? null : describeRun(database, run);
}

export interface StartedIronmonRun {
  run: IronmonRun;
  /** The run the new seed ended, and the checkpoint it failed at; null when none was failed. */
  failed: { runId: number; checkpoint: IronmonCheckpointRow } | null;
}

/** Ends a run failed at `at`, recording the failure at its next checkpoint if it has one left. */
async function failIronmonRun(
  db: Drizzle,
  run: IronmonRun,
  at: Date,
): Promise<IronmonCheckpointRow | null> {
  await db
    .update(ironmonRuns)
    .set({ endedAt: at, outcome: "failed" })
    .where(eq(ironmonRuns.id, run.id));
  if (run.next === null) return null;
  await db
    .insert(ironmonResults)
    .values({ runId: run.id, checkpointId: run.next.id, cleared: false, at })
    .onConflictDoNothing();
  return run.next;
}

/**
 * A new seed: ends the active run (failed at its next checkpoint, if it has one left) and starts
 * one. The seed of the challenge's newest run, ended or not, changes nothing and answers null: it
 * is the tracker reconnecting, also after a run completed.
 */
export async function startIronmonRun(
  database: Database,
  input: { challengeId: number; seed: number; at: Date },
): Promise<StartedIronmonRun | null> {
  const [newest] = await database.db
    .select({ seed: ironmonRuns.seed })
    .from(ironmonRuns)
    .where(eq(ironmonRuns.challengeId, input.challengeId))
    .orderBy(desc(ironmonRuns.id))
    .limit(1);
  if (newest?.seed === input.seed) return null;
  const active = await activeIronmonRun(database);
  const { inserted, failedAt } = await database.db.transaction(async (tx) => {
    const failedAt = active === null ? null : await failIronmonRun(tx, active, input.at);
    const [run] = await tx
      .insert(ironmonRuns)
      .values({ challengeId: input.challengeId, seed: input.seed, startedAt: input.at })
      .returning();
    return { inserted: run, failedAt };
  });
  if (inserted === undefined) throw new Error("the new run was not returned");
  const failed =
    active !== null && failedAt !== null ? { runId: active.id, checkpoint: failedAt } : null;
  return { run: await describeRun(database, inserted), failed };
}

/**
 * The active run is no longer what is played (the tracker's seed is of a game without a challenge,
 * or of another challenge): ends it failed at its next checkpoint, unless it is `unless`'s run.
 * Null when nothing ended; `checkpoint` null when the run had none left to fail at.
 */
export async function endIronmonRun(
  database: Database,
  input: { at: Date; unless?: { challengeId: number; seed: number } },
): Promise<{ runId: number; checkpoint: IronmonCheckpointRow | null } | null> {
  const active = await activeIronmonRun(database);
  if (active === null) return null;
  const { unless } = input;
  if (unless?.challengeId === active.challengeId && unless.seed === active.seed) return null;
  const checkpoint = await database.db.transaction((tx) => failIronmonRun(tx, active, input.at));
  return { runId: active.id, checkpoint };
}

/**
 * The active run cleared a checkpoint (matched by name, else by order = the tracker's id). Null
 * when there is no active run, it is not of `challengeId` or `seed` (when given: what the tracker
 * is playing), there is no such checkpoint, or it was already cleared in this run.
 */
export async function clearIronmonCheckpoint(
  database: Database,
  input: { id: number; name: string; at: Date; challengeId?: number; seed?: number },
): Promise<{ run: IronmonRun; checkpoint: IronmonCheckpointRow } | null> {
  const active = await activeIronmonRun(database);
  if (active === null) return null;
  if (input.challengeId !== undefined && input.challengeId !== active.challengeId) return null;
  if (input.seed !== undefined && input.seed !== active.seed) return null;
  const checkpoints = await listIronmonCheckpoints(database, active.challengeId);
  const name = input.name.toUpperCase();
  const checkpoint =
    checkpoints.find((c) => c.name === name) ?? checkpoints.find((c) => c.order === input.id);
  if (checkpoint === undefined) return null;
  const last = checkpoints[checkpoints.length - 1];
  const stored = await database.db.transaction(async (tx) => {
    const rows = await tx
      .insert(ironmonResults)
      .values({ runId: active.id, checkpointId: checkpoint.id, cleared: true, at: input.at })
      .onConflictDoNothing()
      .returning({ id: ironmonResults.id });
    if (rows.length > 0 && last !== undefined && checkpoint.id === last.id) {
      await tx
        .update(ironmonRuns)
        .set({ endedAt: input.at, outcome: "completed" })
        .where(eq(ironmonRuns.id, active.id));
    }
    return rows.length > 0;
  });
  if (!stored) return null;
  const [run] = await database.db.select().from(ironmonRuns).where(eq(ironmonRuns.id, active.id));
  return run === undefined ? null : { run: await describeRun(database, run), checkpoint };
}

export interface IronmonResult {
  id: number;
  runId: number;
  seed: number;
  checkpointId: number;
  name: string;
  trainer: string;
  order: number;
  cleared: boolean;
  at: Date;
}

/** Results newest first (clears and failures), at most `limit`. */
export function recentIronmonResults(database: Database, limit: number): Promise<IronmonResult[]> {
  return database.db
    .select({
      id: ironmonResults.id,
      runId: ironmonResults.runId,
      seed: ironmonRuns.seed,
      checkpointId: ironmonResults.checkpointId,
      name: ironmonCheckpoints.name,
      trainer: ironmonCheckpoints.trainer,
      order: ironmonCheckpoints.order,
      cleared: ironmonResults.cleared,
      at: ironmonResults.at,
    })
    .from(ironmonResults)
    .innerJoin(ironmonRuns, eq(ironmonRuns.id, ironmonResults.runId))
    .innerJoin(ironmonCheckpoints, eq(ironmonCheckpoints.id, ironmonResults.checkpointId))
    .orderBy(desc(ironmonResults.at), desc(ironmonResults.id))
    .limit(limit);
}

/** The challenge a game's runs count toward: the first seeded for that game number. */
export async function ironmonChallengeForGame(
  database: Database,
  game: number,
): Promise<number | null> {
  const [row] = await database.db
    .select({ id: ironmonChallenges.id })
    .from(ironmonChallenges)
    .where(eq(ironmonChallenges.game, game))
    .orderBy(asc(ironmonChallenges.id))
    .limit(1);
  return row?.id ?? null;
}
