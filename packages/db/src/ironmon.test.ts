import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import {
  activeIronmonRun,
  clearIronmonCheckpoint,
  ironmonChallengeForGame,
  ironmonCheckpointStats,
  listIronmonChallenges,
  listIronmonCheckpoints,
  nextIronmonCheckpoint,
  recentIronmonResults,
  startIronmonRun,
} from "./ironmon";
import { openTestDatabase, type TestDatabase, testEngines } from "./testing";

const at = (minute: number) => new Date(Date.parse("2026-11-21T12:00:00Z") + minute * 60_000);

describe("nextIronmonCheckpoint", () => {
  const list = [{ order: 1 }, { order: 2 }, { order: 3 }];
  it("is the one after the furthest cleared, whatever the gaps", () => {
    expect(nextIronmonCheckpoint(list, [])).toEqual({ order: 1 });
    expect(nextIronmonCheckpoint(list, [1, 2])).toEqual({ order: 3 });
    expect(nextIronmonCheckpoint(list, [2])).toEqual({ order: 3 });
    expect(nextIronmonCheckpoint(list, [1, 2, 3])).toBeNull();
  });
});

describe.each(testEngines())("IronMON runs on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());
  beforeEach(() => test.database.rows(sql`TRUNCATE ironmon_results, ironmon_runs`));

  it("has Kaizo IronMON on FireRed/LeafGreen with its 24 checkpoints, seeded", async () => {
    const db = test.database;
    expect(await listIronmonChallenges(db)).toEqual([
      { id: 1, name: "Kaizo IronMON", game: 3, checkpoints: 24 },
    ]);
    const checkpoints = await listIronmonCheckpoints(db, 1);
    expect(checkpoints.map((c) => c.name)).toEqual([
      "LAB",
      "RIVAL1",
      "FIRSTTRAINER",
      "RIVAL2",
      "BROCK",
      "RIVAL3",
      "RIVAL4",
      "MISTY",
      "SURGE",
      "RIVAL5",
      "ROCKETHIDEOUT",
      "ERIKA",
      "KOGA",
      "RIVAL6",
      "SILPHCO",
      "SABRINA",
      "BLAINE",
      "GIOVANNI",
      "RIVAL7",
      "LORELAI",
      "BRUNO",
      "AGATHA",
      "LANCE",
      "CHAMP",
    ]);
    expect(checkpoints.map((c) => c.order)).toEqual(checkpoints.map((_, i) => i + 1));
    expect(await ironmonChallengeForGame(db, 3)).toBe(1);
    expect(await ironmonChallengeForGame(db, 2)).toBeNull();
  });

  it("records clears, then the failure at the next checkpoint when a new seed comes", async () => {
    const db = test.database;
    const first = await startIronmonRun(db, { challengeId: 1, seed: 10, at: at(0) });
    expect(first?.failed).toBeNull();
    expect(first?.run).toMatchObject({ seed: 10, attempt: 1, challengeName: "Kaizo IronMON" });
    expect(
      (await clearIronmonCheckpoint(db, { id: 1, name: "LAB", at: at(1) }))?.checkpoint.name,
    ).toBe("LAB");
    // matched by order when the name is not one of ours; a repeat is not a second clear
    expect(
      (await clearIronmonCheckpoint(db, { id: 2, name: "Rival 1", at: at(2) }))?.checkpoint.name,
    ).toBe("RIVAL1");
    expect(await clearIronmonCheckpoint(db, { id: 2, name: "RIVAL1", at: at(3) })).toBeNull();
    const active = await activeIronmonRun(db);
    expect(active?.cleared.map((c) => c.name)).toEqual(["LAB", "RIVAL1"]);
    expect(active?.next?.name).toBe("FIRSTTRAINER");

    // the same seed again (a reconnect) starts nothing
    expect(await startIronmonRun(db, { challengeId: 1, seed: 10, at: at(4) })).toBeNull();
    const second = await startIronmonRun(db, { challengeId: 1, seed: 11, at: at(5) });
    expect(second?.failed).toMatchObject({
      runId: first?.run.id,
      checkpoint: { name: "FIRSTTRAINER" },
    });
    expect(second?.run).toMatchObject({ seed: 11, attempt: 2, cleared: [] });
    expect((await activeIronmonRun(db))?.id).toBe(second?.run.id);

    const stats = await ironmonCheckpointStats(db, 1);
    expect(
      stats
        .slice(0, 4)
        .map(({ name, cleared, failed, clearRate }) => [name, cleared, failed, clearRate]),
    ).toEqual([
      ["LAB", 1, 0, 1],
      ["RIVAL1", 1, 0, 1],
      ["FIRSTTRAINER", 0, 1, 0],
      ["RIVAL2", 0, 0, null],
    ]);
    const recent = await recentIronmonResults(db, 10);
    expect(recent.map((r) => [r.name, r.cleared, r.seed])).toEqual([
      ["FIRSTTRAINER", false, 10],
      ["RIVAL1", true, 10],
      ["LAB", true, 10],
    ]);
  });

  it("ends a run completed at the last checkpoint, and fails nothing on the next seed", async () => {
    const db = test.database;
    const started = await startIronmonRun(db, { challengeId: 1, seed: 1, at: at(0) });
    expect(await clearIronmonCheckpoint(db, { id: 24, name: "CHAMP", at: at(1) })).not.toBeNull();
    expect(await activeIronmonRun(db)).toBeNull();
    expect(await clearIronmonCheckpoint(db, { id: 1, name: "LAB", at: at(2) })).toBeNull();
    const next = await startIronmonRun(db, { challengeId: 1, seed: 2, at: at(3) });
    expect(next?.failed).toBeNull();
    expect(started?.run.id).not.toBe(next?.run.id);
  });
});
