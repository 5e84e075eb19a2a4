import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { connect, LATEST_MIGRATION } from "./connect";
import {
  deleteEventsBefore,
  eventById,
  eventsAfter,
  hourlyCounts,
  insertEventWindow,
  latestEventsAfter,
  listEvents,
  maxEventSeq,
} from "./events";
import {
  openTestDatabase,
  SAMPLE_EPOCH,
  sampleEvent,
  type TestDatabase,
  testEngines,
} from "./testing";

const base = SAMPLE_EPOCH;
const event = sampleEvent;

describe.each(testEngines())("events on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());
  beforeEach(() => test.database.rows(sql`TRUNCATE events`));

  it("reports the engine and the applied migration", () => {
    expect(test.database.engine).toBe(engine);
    expect(test.database.migration).toBe(LATEST_MIGRATION);
    expect(test.database.timescale).toBe(false);
  });

  it("stores the data JSON validation made as it is, and data without it serialised", async () => {
    const odd = {
      text: 'tab\there "quoted" \\ back\nslash \u00e9\u{1F600}',
      list: [1, null, true],
    };
    await insertEventWindow(test.database, [
      event(1, { data: odd, dataJson: JSON.stringify(odd) }),
      // The JSON written is the JSON given, even where `data` says otherwise.
      event(2, { data: { n: 2 }, dataJson: '{"from":"dataJson"}' }),
      event(3, { userId: null, userLogin: null, correlationId: 'corr "3"\t' }),
    ]);
    const rows = await eventsAfter(test.database, 0, 10);
    expect(rows.map((row) => row.data)).toEqual([odd, { from: "dataJson" }, event(3).data]);
    expect(rows[2]?.correlationId).toBe('corr "3"\t');
    expect(rows[2]?.userId).toBeNull();
  });

  it("writes a window and answers each event's seq in order", async () => {
    const stored = await insertEventWindow(test.database, [event(1), event(2), event(3)]);
    expect(stored).toEqual([
      { id: "evt-1", seq: 1, inserted: true },
      { id: "evt-2", seq: 2, inserted: true },
      { id: "evt-3", seq: 3, inserted: true },
    ]);
    const row = await eventById(test.database, "evt-2");
    expect(row).toMatchObject({
      seq: 2,
      type: "channel.follow",
      userLogin: "viewer2",
      data: { n: 2 },
    });
    expect(row?.ts.toISOString()).toBe(event(2).ts);
    expect(await maxEventSeq(test.database)).toBe(3);
  });

  it("treats a re-sent id as stored, answering the seq it was stored with", async () => {
    await insertEventWindow(test.database, [event(1)]);
    const stored = await insertEventWindow(test.database, [event(2), { ...event(1), seq: 3 }]);
    expect(stored).toEqual([
      { id: "evt-2", seq: 2, inserted: true },
      { id: "evt-1", seq: 1, inserted: false },
    ]);
    const rows = await test.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM events`,
    );
    expect(rows[0]?.n).toBe(2);
  });

  it("refuses a window whose seq is taken by another id, instead of skipping it", async () => {
    await insertEventWindow(test.database, [event(1, { id: "ghost" })]);
    await expect(
      insertEventWindow(test.database, [event(2), event(1, { id: "real" })]),
    ).rejects.toThrow();
    expect(await eventById(test.database, "real")).toBeNull();
    expect(await eventById(test.database, "evt-2")).toBeNull();
  });

  it("writes a window far past the bind-parameter limit in one statement", async () => {
    const window = Array.from({ length: 8000 }, (_, index) => event(index + 1));
    const stored = await insertEventWindow(test.database, window);
    expect(stored).toHaveLength(8000);
    expect(stored.every((row, index) => row.inserted && row.seq === index + 1)).toBe(true);
  });

  it("stores nothing of a window when one row is refused", async () => {
    const broken = { ...event(2), ts: "not a time" };
    await expect(insertEventWindow(test.database, [event(1), broken])).rejects.toThrow();
    expect(await maxEventSeq(test.database)).toBe(0);
  });

  it("lists newest first with filters and a keyset cursor", async () => {
    await insertEventWindow(test.database, [
      event(1),
      event(2, { type: "channel.cheer", userLogin: "bits" }),
      event(3),
      event(4, { source: "obs", type: "obs.scene.changed", userId: null, userLogin: null }),
      event(5),
    ]);
    const first = await listEvents(test.database, { types: ["channel.follow"], limit: 2 });
    expect(first.map((row) => row.seq)).toEqual([5, 3]);
    const next = await listEvents(test.database, {
      types: ["channel.follow"],
      limit: 2,
      beforeSeq: 3,
    });
    expect(next.map((row) => row.seq)).toEqual([1]);
    expect(
      (await listEvents(test.database, { source: "obs", limit: 10 })).map((r) => r.seq),
    ).toEqual([4]);
    expect(
      (await listEvents(test.database, { user: "BITS", limit: 10 })).map((r) => r.seq),
    ).toEqual([2]);
    expect(
      (await listEvents(test.database, { user: "1003", limit: 10 })).map((r) => r.seq),
    ).toEqual([3]);
    const window = await listEvents(test.database, {
      since: new Date(base + 2000),
      until: new Date(base + 4000),
      limit: 10,
    });
    expect(window.map((row) => row.seq)).toEqual([4, 3, 2]);
    const forward = await listEvents(test.database, { afterSeq: 2, limit: 2 });
    expect(forward.map((row) => row.seq)).toEqual([3, 4]);
  });

  it("reads events after a seq, oldest first", async () => {
    await insertEventWindow(test.database, [event(1), event(2), event(3), event(4)]);
    expect((await eventsAfter(test.database, 2, 10)).map((row) => row.seq)).toEqual([3, 4]);
    expect((await eventsAfter(test.database, 0, 2)).map((row) => row.seq)).toEqual([1, 2]);
  });

  it("reads the newest events after a seq received since a time, oldest first", async () => {
    await insertEventWindow(
      test.database,
      [1, 2, 3, 4, 5].map((seq) => event(seq)),
    );
    const since = new Date(base + 2000);
    expect((await latestEventsAfter(test.database, 1, since, 10)).map((row) => row.seq)).toEqual([
      2, 3, 4, 5,
    ]);
    expect((await latestEventsAfter(test.database, 1, since, 2)).map((row) => row.seq)).toEqual([
      4, 5,
    ]);
    expect((await latestEventsAfter(test.database, 4, since, 10)).map((row) => row.seq)).toEqual([
      5,
    ]);
  });

  it("counts events by hour and type", async () => {
    await insertEventWindow(test.database, [
      event(1),
      event(2),
      event(3, { type: "channel.cheer" }),
      event(4000, { type: "channel.cheer" }),
    ]);
    const counts = await hourlyCounts(
      test.database,
      new Date(base - 1),
      new Date(base + 5_000_000),
    );
    expect(counts).toEqual([
      { bucket: new Date(base), type: "channel.cheer", count: 1 },
      { bucket: new Date(base), type: "channel.follow", count: 2 },
      { bucket: new Date(base + 3_600_000), type: "channel.cheer", count: 1 },
    ]);
  });

  it("deletes old events in bounded steps", async () => {
    await insertEventWindow(test.database, [event(1), event(2), event(3), event(10)]);
    const cutoff = new Date(base + 5000);
    expect(await deleteEventsBefore(test.database, cutoff, 2)).toBe(2);
    expect(await deleteEventsBefore(test.database, cutoff, 2)).toBe(1);
    expect(await deleteEventsBefore(test.database, cutoff, 2)).toBe(0);
    expect((await eventsAfter(test.database, 0, 10)).map((row) => row.seq)).toEqual([10]);
  });
});

describe("PGlite data dir", () => {
  it("keeps what was written across a reopen", async () => {
    const test = await openTestDatabase("pglite");
    await insertEventWindow(test.database, [event(1)]);
    await test.database.close();
    const reopened = await connect({ url: null, dataDir: test.dataDir });
    expect(await maxEventSeq(reopened)).toBe(1);
    await reopened.close();
    await test.dispose().catch(() => {});
  });
});
