import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import {
  contextStats,
  insertContext,
  listContexts,
  type NewContext,
  searchContexts,
  searchContextsQuery,
} from "./contexts";
import { openTestDatabase, type TestDatabase, testEngines } from "./testing";

const EPOCH = Date.parse("2026-11-21T12:00:00Z");
const WINDOW_MS = 120_000;

describe.each(testEngines())("contexts on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());
  beforeEach(() => test.database.rows(sql`TRUNCATE contexts`));

  const window = (
    n: number,
    overrides: {
      sessionId?: string;
      endedAt?: number;
      transcript?: string;
      context?: string;
      sentiment?: string;
      energy?: number;
    } = {},
  ): NewContext => {
    const ended = overrides.endedAt ?? EPOCH + n * WINDOW_MS;
    return {
      id: `c-${n}`,
      sessionId: overrides.sessionId ?? "s1",
      startedAt: new Date(ended - WINDOW_MS),
      endedAt: new Date(ended),
      transcript: overrides.transcript ?? `said ${n}`,
      chat: { messages: n, velocity: n / 2, participants: 1, reaction_share: 0 },
      interactions: { "channel.follow": n },
      emotes: { top: [], native: [] },
      analysis: { context: overrides.context ?? `window ${n}`, topics: ["x"] },
      source: "fallback",
      sourceDetail: "no_model",
      sentiment: overrides.sentiment ?? "neutral",
      energy: overrides.energy ?? 0.5,
    };
  };
  const store = async (...rows: NewContext[]) => {
    for (const row of rows) await insertContext(test.database, row);
  };
  const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

  it("stores a context once, however often it is sent, with its figures and analysis whole", async () => {
    expect(await insertContext(test.database, window(1))).toBe(true);
    expect(await insertContext(test.database, window(1, { transcript: "changed" }))).toBe(false);
    const [row] = await listContexts(test.database, { limit: 10 });
    expect(row).toMatchObject({
      id: "c-1",
      transcript: "said 1",
      chat: { messages: 1, velocity: 0.5, participants: 1, reaction_share: 0 },
      interactions: { "channel.follow": 1 },
      analysis: { context: "window 1", topics: ["x"] },
      source: "fallback",
      sourceDetail: "no_model",
      endedAt: new Date(EPOCH + WINDOW_MS),
    });
  });

  it("pages newest first by keyset through windows that end together, never skipping or repeating one", async () => {
    await store(
      ...[1, 2, 3, 4, 5].map((n) => window(n, { endedAt: EPOCH })),
      window(6, { endedAt: EPOCH + 1000 }),
      window(7, { endedAt: EPOCH + 2000 }),
    );
    const seen: string[] = [];
    let before: { endedAt: Date; id: string } | undefined;
    for (;;) {
      const page = await listContexts(test.database, { before, limit: 2 });
      const last = page.at(-1);
      if (last === undefined) break;
      seen.push(...ids(page));
      before = { endedAt: last.endedAt, id: last.id };
    }
    expect(seen).toEqual(["c-7", "c-6", "c-5", "c-4", "c-3", "c-2", "c-1"]);
  });

  it("narrows a list to a session and a time range", async () => {
    await store(window(1), window(2), window(3), window(4, { sessionId: "s2" }));
    expect(ids(await listContexts(test.database, { sessionId: "s1", limit: 10 }))).toEqual([
      "c-3",
      "c-2",
      "c-1",
    ]);
    const range = {
      since: new Date(EPOCH + 2 * WINDOW_MS),
      until: new Date(EPOCH + 3 * WINDOW_MS),
    };
    expect(ids(await listContexts(test.database, { ...range, limit: 10 }))).toEqual(["c-3", "c-2"]);
  });

  it("finds words in what was said and in the analysis' context, by stem, best match first", async () => {
    await store(
      window(1, { transcript: "we are speedrunning the water temple", context: "a calm run" }),
      window(2, {
        transcript: "hello chat",
        context: "Chat cheers the speedrun, speedruns galore",
      }),
      window(3, { transcript: "boss fight time", context: "tense boss battle", sessionId: "s2" }),
    );
    const search = (query: string, extra: { sessionId?: string } = {}) =>
      searchContexts(test.database, { query, limit: 10, ...extra });
    expect(ids(await search("speedrun"))).toEqual(["c-2", "c-1"]);
    expect(ids(await search('"water temple"'))).toEqual(["c-1"]);
    expect(ids(await search("boss -battle"))).toEqual([]);
    expect(ids(await search("boss", { sessionId: "s1" }))).toEqual([]);
    expect(ids(await search("calm or tense")).sort()).toEqual(["c-1", "c-3"]);
    const [best] = await search("speedrun");
    expect(best?.rank).toBeGreaterThan(0);
    for (const query of ["the", '" & ! ( : *', "-", "or"]) expect(await search(query)).toEqual([]);
  });

  it("searches through the GIN index over the transcript and the context", async () => {
    await store(window(1, { transcript: "a fox in the hole" }));
    const plan = await test.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const query = searchContextsQuery(tx, { query: "fox", limit: 5 });
      const result = await tx.execute(sql`EXPLAIN ${query}`);
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        "QUERY PLAN": string;
      }[];
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("contexts_search_idx");
  });

  it("counts sentiments and averages energy over a range, in all and by UTC hour", async () => {
    const hour = 60 * 60 * 1000;
    await store(
      window(1, { endedAt: EPOCH + 10 * 60_000, sentiment: "positive", energy: 0.75 }),
      window(2, { endedAt: EPOCH + 20 * 60_000, sentiment: "positive", energy: 0.25 }),
      window(3, { endedAt: EPOCH + hour + 1000, sentiment: "mixed", energy: 1, sessionId: "s2" }),
      window(4, { endedAt: EPOCH + 5 * hour, sentiment: "negative", energy: 0 }),
    );
    const stats = await contextStats(test.database, {
      since: new Date(EPOCH),
      until: new Date(EPOCH + 2 * hour),
    });
    expect(stats).toEqual({
      count: 3,
      sentiments: { positive: 2, mixed: 1 },
      energyAverage: 2 / 3,
      buckets: [
        { bucket: new Date(EPOCH), count: 2, energyAverage: 0.5 },
        { bucket: new Date(EPOCH + hour), count: 1, energyAverage: 1 },
      ],
    });
    const one = await contextStats(test.database, {
      since: new Date(EPOCH),
      until: new Date(EPOCH + 2 * hour),
      sessionId: "s2",
    });
    expect([one.count, one.sentiments, one.energyAverage]).toEqual([1, { mixed: 1 }, 1]);
    const none = await contextStats(test.database, {
      since: new Date(EPOCH - 10 * hour),
      until: new Date(EPOCH - hour),
    });
    expect(none).toEqual({ count: 0, sentiments: {}, energyAverage: null, buckets: [] });
  });
});
