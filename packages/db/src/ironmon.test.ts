import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import {
  activeIronmonRun,
  clearIronmonCheckpoint,
  endIronmonRun,
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

  it("starts nothing on the seed of the challenge's newest run, even once it ended", async () => {
    const db = test.database;
    await startIronmonRun(db, { challengeId: 1, seed: 1000, at: at(0) });
    for (const checkpoint of await listIronmonCheckpoints(db, 1)) {
      await clearIronmonCheckpoint(db, { id: checkpoint.order, name: checkpoint.name, at: at(1) });
    }
    expect(await activeIronmonRun(db)).toBeNull();
    // the tracker reconnecting after the completed run says its seed again
    expect(await startIronmonRun(db, { challengeId: 1, seed: 1000, at: at(2) })).toBeNull();
    const next = await startIronmonRun(db, { challengeId: 1, seed: 1001, at: at(3) });
    expect(next?.failed).toBeNull();
    expect(next?.run).toMatchObject({ seed: 1001, attempt: 2 });
    const lab = (await ironmonCheckpointStats(db, 1))[0];
    expect([lab?.name, lab?.cleared, lab?.failed, lab?.clearRate]).toEqual(["LAB", 1, 0, 1]);
  });

  it("credits a checkpoint only to an active run of the challenge and seed given", async () => {
    const db = test.database;
    const run = await startIronmonRun(db, { challengeId: 1, seed: 1000, at: at(0) });
    // Emerald's ROXANNE (its 5th) is not FireRed's BROCK; a checkpoint of seed 999 is not seed 1000's
    expect(
      await clearIronmonCheckpoint(db, { id: 5, name: "ROXANNE", challengeId: 2, at: at(1) }),
    ).toBeNull();
    expect(
      await clearIronmonCheckpoint(db, {
        id: 1,
        name: "LAB",
        challengeId: 1,
        seed: 999,
        at: at(2),
      }),
    ).toBeNull();
    expect((await activeIronmonRun(db))?.cleared).toEqual([]);
    const cleared = await clearIronmonCheckpoint(db, {
      id: 1,
      name: "LAB",
      challengeId: 1,
      seed: 1000,
      at: at(3),
    });
    expect(cleared?.run.id).toBe(run?.run.id);
    expect(cleared?.checkpoint.name).toBe("LAB");
  });

  it("ends the active run failed where it stood, unless it is the run being played", async () => {
    const db = test.database;
    const run = await startIronmonRun(db, { challengeId: 1, seed: 1000, at: at(0) });
    await clearIronmonCheckpoint(db, { id: 1, name: "LAB", at: at(1) });
    expect(
      await endIronmonRun(db, { at: at(2), unless: { challengeId: 1, seed: 1000 } }),
    ).toBeNull();
    expect((await activeIronmonRun(db))?.id).toBe(run?.run.id);
    const ended = await endIronmonRun(db, { at: at(3) });
    expect(ended).toMatchObject({ runId: run?.run.id, checkpoint: { name: "RIVAL1" } });
    expect(await activeIronmonRun(db)).toBeNull();
    expect(await endIronmonRun(db, { at: at(4) })).toBeNull();
    const recent = await recentIronmonResults(db, 10);
    expect(recent.map((r) => [r.name, r.cleared])).toEqual([
      ["RIVAL1", false],
      ["LAB", true],
    ]);
  });
});
