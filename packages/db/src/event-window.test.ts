import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { copyChunks } from "./copy-text";
import { eventById, maxEventSeq } from "./events";
import { openTestDatabase, sampleEvent, type TestDatabase, testEngines } from "./testing";

const event = sampleEvent;

/** The SQLSTATE a write failed with (drizzle wraps the driver's error in its own). */
async function sqlStateOf(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (err) {
    for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as never) {
      if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    }
    throw err;
  }
  throw new Error("the write succeeded");
}

describe.each(testEngines())("event windows on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());
  beforeEach(() => test.database.rows(sql`TRUNCATE events`));

  /** Writes a window and commits it: a refusal may come from either step. */
  const write = async (window: Parameters<typeof test.database.windows.begin>[0]) =>
    (await test.database.windows.begin(window)).commit();

  const count = async () => {
    const [row] = await test.database.rows<{ n: string | number }>(
      sql`SELECT count(*) AS n FROM events`,
    );
    return Number(row?.n);
  };

  it("writes a window and answers each event's seq in input order", async () => {
    const open = await test.database.windows.begin([event(1), event(2), event(3)]);
    expect(await open.commit()).toEqual([
      { id: "evt-1", seq: 1, inserted: true },
      { id: "evt-2", seq: 2, inserted: true },
      { id: "evt-3", seq: 3, inserted: true },
    ]);
    expect(await maxEventSeq(test.database)).toBe(3);
    expect(await eventById(test.database, "evt-2")).toMatchObject({
      seq: 2,
      userLogin: "viewer2",
      data: { n: 2 },
    });
  });

  it("keeps every character of ids and data that COPY treats as special", async () => {
    const data = { text: "tab\there\nnew line\r\\ back\\slash \\N", emoji: "🎉", quote: '"' };
    const odd = event(1, { id: "id\twith\\odd\nchars", data, userId: null, userLogin: null });
    await (await test.database.windows.begin([odd])).commit();
    const row = await eventById(test.database, odd.id);
    expect(row).toMatchObject({ seq: 1, data, userId: null, userLogin: null });
  });

  it("stores a window whose COPY data spans many chunks, every character kept", async () => {
    // ~40 KB of data an event, with characters of 1 to 4 bytes and ones COPY escapes.
    const text = "é🎉\\tab\t".repeat(2_000);
    const window = Array.from({ length: 8 }, (_, i) => event(i + 1, { data: { text, i } }));
    expect(copyChunks(window).length).toBeGreaterThan(3);
    await (await test.database.windows.begin(window)).commit();
    expect(await count()).toBe(8);
    for (const one of window) {
      expect(await eventById(test.database, one.id)).toMatchObject({
        seq: one.seq,
        data: one.data,
      });
    }
  });

  it("answers a re-sent id with the seq it was stored with and stores the rest", async () => {
    await write([event(1)]);
    const open = await test.database.windows.begin([event(2), { ...event(1), seq: 3 }]);
    expect(await open.commit()).toEqual([
      { id: "evt-2", seq: 2, inserted: true },
      { id: "evt-1", seq: 1, inserted: false },
    ]);
    expect(await count()).toBe(2);
  });

  it("answers a re-sent id at the head of a window of megabytes", async () => {
    await write([event(1)]);
    // ~6 MB: the database refuses the first row while the rest may still be on its way.
    const text = "z".repeat(60_000);
    const window = [
      { ...event(1), seq: 2 },
      ...Array.from({ length: 100 }, (_, i) => event(i + 2, { data: { text, i } })),
    ];
    const stored = await write(window);
    expect(stored[0]).toEqual({ id: "evt-1", seq: 1, inserted: false });
    expect(stored.slice(1).every((one) => one.inserted)).toBe(true);
    expect(await count()).toBe(101);
  });

  it("refuses a seq that is already taken, storing nothing of the window", async () => {
    await write([event(1)]);
    const clash = write([event(2), event(1, { id: "other" })]);
    expect(await sqlStateOf(clash)).toBe("23505");
    expect(await count()).toBe(1);
  });

  it("refuses data the database cannot store, storing nothing of the window", async () => {
    const bad = event(2, { data: { text: "nul \u0000 inside" } });
    expect(await sqlStateOf(write([event(1), bad]))).toMatch(/^22/);
    expect(await count()).toBe(0);
  });

  it("writes the next windows, made ids and given ones, after one it refused", async () => {
    const bad = event(1, { ts: "0000-01-01T00:00:00Z" });
    expect(await sqlStateOf(write([bad]))).toBe("22008");
    for (let seq = 1; seq <= 20; seq++) {
      const made = { ...event(seq, { id: `made-${seq}` }), madeId: true };
      expect(await write([made])).toEqual([{ id: made.id, seq, inserted: true }]);
    }
    expect(await write([event(21)])).toEqual([{ id: "evt-21", seq: 21, inserted: true }]);
    expect(await count()).toBe(21);
  });
});

describe.each(testEngines().filter((engine) => engine === "pglite"))("windows on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());

  /** Transactions rolled back in this database so far: a COPY it refused is one. */
  const rolledBack = async () => {
    await test.database.rows(sql`SELECT pg_stat_force_next_flush()`);
    const [row] = await test.database.rows<{ n: string }>(
      sql`SELECT xact_rollback::text AS n FROM pg_stat_database WHERE datname = current_database()`,
    );
    return Number(row?.n);
  };

  it("finds a re-sent id before it copies, so no COPY is refused for it", async () => {
    await (await test.database.windows.begin([event(1)])).commit();
    const before = await rolledBack();
    const open = await test.database.windows.begin([event(2), { ...event(1), seq: 3 }]);
    expect(await open.commit()).toEqual([
      { id: "evt-2", seq: 2, inserted: true },
      { id: "evt-1", seq: 1, inserted: false },
    ]);
    expect(await rolledBack()).toBe(before);
  });
});

describe.each(testEngines())("overlapping windows on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());
  beforeEach(() => test.database.rows(sql`TRUNCATE events`));

  const stored = async () =>
    (await test.database.rows<{ id: string }>(sql`SELECT id FROM events ORDER BY seq`)).map(
      (row) => row.id,
    );

  it("holds a window uncommitted while the next is written", async () => {
    const first = await test.database.windows.begin([event(1), event(2)]);
    const second = await test.database.windows.begin([event(3)]);
    expect(await stored()).toEqual([]);
    await first.commit();
    expect(await stored()).toEqual(["evt-1", "evt-2"]);
    await second.commit();
    expect(await stored()).toEqual(["evt-1", "evt-2", "evt-3"]);
  });

  it("leaves nothing of a window rolled back", async () => {
    const open = await test.database.windows.begin([event(1)]);
    await open.rollback();
    expect(await stored()).toEqual([]);
  });

  it("commits a window once only", async () => {
    const open = await test.database.windows.begin([event(1)]);
    await open.commit();
    const again = await open.commit().catch((err: Error) => err);
    expect(again).toBeInstanceOf(Error);
    expect((again as Error).message).toBe("the window has already ended");
    await open.rollback();
    expect(await stored()).toEqual(["evt-1"]);
  });

  // One id in two open windows is the caller's to avoid (the batcher holds a re-send back while
  // its id's window is in flight, `batcher.test.ts`): the later window's COPY can reach the
  // row first, and the earlier one then waits on a transaction that commits only after it.
});
