import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase, testEngines } from "./testing";
import {
  insertTranscription,
  latestTranscriptions,
  listTranscriptions,
  searchTranscriptions,
  searchTranscriptionsQuery,
  transcriptionStats,
} from "./transcriptions";

const EPOCH = Date.parse("2026-11-21T12:00:00Z");

describe.each(testEngines())("transcriptions on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());
  beforeEach(() => test.database.rows(sql`TRUNCATE transcriptions`));

  const segment = (
    n: number,
    overrides: { sessionId?: string; at?: number; text?: string } = {},
  ) => ({
    id: `t-${n}`,
    sessionId: overrides.sessionId ?? "s1",
    ts: new Date(overrides.at ?? EPOCH + n * 1000),
    durationMs: 900 + n,
    text: overrides.text ?? `words ${n}`,
    sourceId: "mic",
    confidence: 0.9,
  });
  const store = async (...rows: ReturnType<typeof segment>[]) => {
    for (const row of rows) await insertTranscription(test.database, row);
  };
  const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

  it("stores a segment once, however often it is sent, with its meta", async () => {
    expect(
      await insertTranscription(test.database, { ...segment(1), meta: { engine: "pocketsphinx" } }),
    ).toBe(true);
    expect(await insertTranscription(test.database, segment(1))).toBe(false);
    const rows = await latestTranscriptions(test.database, 10);
    expect(rows.map((row) => row.meta)).toEqual([{ engine: "pocketsphinx" }]);
  });

  it("lists the latest first, of one session when asked", async () => {
    await store(segment(1), segment(2), segment(3, { sessionId: "s2" }));
    expect(ids(await latestTranscriptions(test.database, 10))).toEqual(["t-3", "t-2", "t-1"]);
    expect(ids(await latestTranscriptions(test.database, 10, "s1"))).toEqual(["t-2", "t-1"]);
    expect((await latestTranscriptions(test.database, 1)).map((row) => row.text)).toEqual([
      "words 3",
    ]);
  });

  it("pages by keyset through rows that share a timestamp, never skipping or repeating one", async () => {
    // Five segments in the same millisecond, two later ones.
    await store(
      ...[1, 2, 3, 4, 5].map((n) => segment(n, { at: EPOCH })),
      segment(6, { at: EPOCH + 1000 }),
      segment(7, { at: EPOCH + 2000 }),
    );
    const seen: string[] = [];
    let before: { ts: Date; id: string } | undefined;
    for (;;) {
      const page = await listTranscriptions(test.database, { before, limit: 2 });
      if (page.length === 0) break;
      seen.push(...ids(page));
      const last = page[page.length - 1];
      if (last === undefined) break;
      before = { ts: last.ts, id: last.id };
    }
    expect(seen).toEqual(["t-7", "t-6", "t-5", "t-4", "t-3", "t-2", "t-1"]);
  });

  it("narrows a list to a time range and a session", async () => {
    await store(segment(1), segment(2), segment(3), segment(4, { sessionId: "s2" }));
    const range = { since: new Date(EPOCH + 2000), until: new Date(EPOCH + 4000) };
    expect(ids(await listTranscriptions(test.database, { ...range, limit: 10 }))).toEqual([
      "t-4",
      "t-3",
      "t-2",
    ]);
    expect(
      ids(await listTranscriptions(test.database, { ...range, sessionId: "s1", limit: 10 })),
    ).toEqual(["t-3", "t-2"]);
  });

  it("finds words by their stem, phrases, alternatives and exclusions, best match first", async () => {
    await store(
      segment(1, { text: "The quick brown foxes jumped over the dog" }),
      segment(2, { text: "a fox, a fox, a fox in the hole" }),
      segment(3, { text: "hello chat, welcome to the stream" }),
      segment(4, { text: "brown bread for breakfast", sessionId: "s2" }),
    );
    const search = (query: string, extra: { sessionId?: string } = {}) =>
      searchTranscriptions(test.database, { query, limit: 10, ...extra });
    // "fox" matches "foxes" (English stemming); three of them rank above one.
    expect(ids(await search("fox"))).toEqual(["t-2", "t-1"]);
    expect(ids(await search('"brown fox"'))).toEqual(["t-1"]);
    expect(ids(await search("welcome or bread")).sort()).toEqual(["t-3", "t-4"]);
    expect(ids(await search("brown -fox"))).toEqual(["t-4"]);
    expect(ids(await search("brown", { sessionId: "s2" }))).toEqual(["t-4"]);
    const [best] = await search("fox");
    expect(best?.rank).toBeGreaterThan(0);
  });

  it("finds nothing, without an error, for stop words, punctuation or operators alone", async () => {
    await store(segment(1, { text: "the and of" }));
    for (const query of ["the", '" & ! ( : *', "-", "or"]) {
      expect(await searchTranscriptions(test.database, { query, limit: 10 })).toEqual([]);
    }
  });

  it("searches through the GIN index on to_tsvector('english', text)", async () => {
    await store(segment(1, { text: "a fox in the hole" }));
    const plan = await test.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const query = searchTranscriptionsQuery(tx, { query: "fox", limit: 5 });
      const result = await tx.execute(sql`EXPLAIN ${query}`);
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        "QUERY PLAN": string;
      }[];
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("transcriptions_text_search_idx");
  });

  it("counts transcriptions, speech time and sessions, in all and by UTC hour", async () => {
    const hour = 60 * 60 * 1000;
    await store(
      segment(1, { at: EPOCH + 5 * 60 * 1000 }),
      segment(2, { at: EPOCH + 50 * 60 * 1000, sessionId: "s2" }),
      segment(3, { at: EPOCH + 2 * hour + 1000 }),
      segment(4, { at: EPOCH + 30 * hour }),
    );
    const stats = await transcriptionStats(test.database, {
      since: new Date(EPOCH),
      until: new Date(EPOCH + 3 * hour),
    });
    expect(stats).toEqual({
      count: 3,
      durationMs: 901 + 902 + 903,
      sessions: 2,
      buckets: [
        { bucket: new Date(EPOCH), count: 2, durationMs: 901 + 902 },
        { bucket: new Date(EPOCH + 2 * hour), count: 1, durationMs: 903 },
      ],
    });
    const one = await transcriptionStats(test.database, {
      since: new Date(EPOCH),
      until: new Date(EPOCH + 3 * hour),
      sessionId: "s2",
    });
    expect([one.count, one.sessions, one.buckets.length]).toEqual([1, 1, 1]);
    const none = await transcriptionStats(test.database, {
      since: new Date(EPOCH - 10 * hour),
      until: new Date(EPOCH - hour),
    });
    expect(none).toEqual({ count: 0, durationMs: 0, sessions: 0, buckets: [] });
  });
});
