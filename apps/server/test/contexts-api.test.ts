/** The stream contexts REST API on every engine: pages by cursor, full-text search, stats. */
import { beforeEach, describe, expect, it } from "bun:test";
import { insertContext } from "@landale/db";
import { testEngines } from "@landale/db/testing";
import type { ContextPage, ContextSearchResults, ContextStats, Sentiment } from "@landale/shared";
import { sampleAnalysis, sampleContext } from "@landale/shared/fixtures/context";
import { toContextRow } from "../src/context/rows";
import type { Hub } from "../src/hub";
import { startTestHub, useTestDatabase } from "./support/hub";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function getJson<T>(hub: Hub, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${hub.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

describe.each(testEngines())("the contexts API on %s", (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => database.reset());

  const store = (
    n: number,
    extra: {
      session?: string;
      endedAt?: number;
      transcript?: string;
      context?: string;
      sentiment?: Sentiment;
      energy?: number;
    } = {},
  ) => {
    const base = sampleContext(n);
    const ended = extra.endedAt ?? Date.parse(base.ended_at);
    return insertContext(
      database.current,
      toContextRow({
        ...base,
        session_id: extra.session ?? base.session_id,
        started_at: new Date(ended - 2 * MINUTE).toISOString(),
        ended_at: new Date(ended).toISOString(),
        transcript: extra.transcript ?? base.transcript,
        analysis: sampleAnalysis({
          ...(extra.context === undefined ? {} : { context: extra.context }),
          ...(extra.sentiment === undefined ? {} : { sentiment: extra.sentiment }),
          ...(extra.energy === undefined ? {} : { energy: extra.energy }),
        }),
      }),
    );
  };

  it("pages newest window first by cursor, of one session when asked", async () => {
    for (let n = 1; n <= 5; n++) await store(n);
    await store(6, { session: "other" });
    const hub = await startTestHub({}, { database: database.current });
    const seen: string[] = [];
    let path = "/api/contexts?session=stream_2026_11_21&limit=2";
    for (let page = 0; page < 5; page++) {
      const { status, body } = await getJson<ContextPage>(hub, path);
      expect(status).toBe(200);
      seen.push(...body.contexts.map((context) => context.id));
      if (body.next_cursor === null) break;
      path = `/api/contexts?session=stream_2026_11_21&limit=2&cursor=${body.next_cursor}`;
    }
    expect(seen).toEqual(["ctx-5", "ctx-4", "ctx-3", "ctx-2", "ctx-1"]);
    const all = await getJson<ContextPage>(hub, "/api/contexts");
    expect(all.body.contexts.map((context) => context.id)).toEqual([
      "ctx-6",
      "ctx-5",
      "ctx-4",
      "ctx-3",
      "ctx-2",
      "ctx-1",
    ]);
    expect(all.body.contexts[1]).toEqual(sampleContext(5));
    expect(all.body.next_cursor).toBeNull();
  });

  it("refuses bad queries naming the parameter", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const refusals: [string, string][] = [
      ["/api/contexts?limit=0", "limit"],
      ["/api/contexts?limit=501", "limit"],
      ["/api/contexts?cursor=bm9wZQ", "cursor"],
      ["/api/contexts/search", "q"],
      ["/api/contexts/search?q=%20%20", "q"],
      ["/api/contexts/stats?hours=0", "hours"],
      ["/api/contexts/stats?hours=745", "hours"],
      ["/api/contexts/stats?hours=two", "hours"],
    ];
    for (const [path, field] of refusals) {
      const { status, body } = await getJson<{ code: string; details: { path: string }[] }>(
        hub,
        path,
      );
      expect({ path, status, code: body.code, field: body.details[0]?.path }).toEqual({
        path,
        status: 400,
        code: "invalid_query",
        field,
      });
    }
  });

  it("searches what was said and what the analysis made of it, best match first", async () => {
    await store(1, { transcript: "we are speedrunning the water temple", context: "A calm run." });
    await store(2, { transcript: "hello chat", context: "Chat cheers the speedrun; speedruns!" });
    await store(3, { transcript: "boss fight", context: "A tense boss battle.", session: "s2" });
    const hub = await startTestHub({}, { database: database.current });
    const { body } = await getJson<ContextSearchResults>(hub, "/api/contexts/search?q=speedrun");
    expect(body.query).toBe("speedrun");
    expect(body.results.map((hit) => hit.id)).toEqual(["ctx-2", "ctx-1"]);
    expect(body.results[0]?.rank).toBeGreaterThan(body.results[1]?.rank ?? 1);
    expect(body.results[0]?.analysis.context).toBe("Chat cheers the speedrun; speedruns!");
    const phrase = await getJson<ContextSearchResults>(
      hub,
      `/api/contexts/search?q=${encodeURIComponent('"boss battle" or temple')}&session=s2`,
    );
    expect(phrase.body.results.map((hit) => hit.id)).toEqual(["ctx-3"]);
    const none = await getJson<ContextSearchResults>(hub, "/api/contexts/search?q=the");
    expect(none).toEqual({ status: 200, body: { query: "the", results: [] } });
  });

  it("counts sentiments and averages energy over the last hours, by hour too", async () => {
    const now = Date.now();
    await store(1, { endedAt: now - 2 * MINUTE, sentiment: "positive", energy: 0.75 });
    await store(2, { endedAt: now - 4 * MINUTE, sentiment: "negative", energy: 0.25 });
    await store(3, { endedAt: now - 5 * HOUR, sentiment: "mixed", energy: 1, session: "s2" });
    await store(4, { endedAt: now - 30 * HOUR, sentiment: "neutral", energy: 0 });
    const hub = await startTestHub({}, { database: database.current });

    const hour = await getJson<ContextStats>(hub, "/api/contexts/stats?hours=1");
    expect(hour.status).toBe(200);
    expect(Date.parse(hour.body.until) - Date.parse(hour.body.since)).toBe(HOUR);
    expect([hour.body.count, hour.body.sentiment, hour.body.energy.average]).toEqual([
      2,
      { positive: 1, negative: 1, neutral: 0, mixed: 0 },
      0.5,
    ]);
    const series = hour.body.energy.series;
    expect(series.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2);

    const day = await getJson<ContextStats>(hub, "/api/contexts/stats");
    expect(day.body.count).toBe(3);
    expect(day.body.sentiment).toEqual({ positive: 1, negative: 1, neutral: 0, mixed: 1 });
    expect(day.body.energy.series.at(0)).toMatchObject({ count: 1, average: 1 });
    const one = await getJson<ContextStats>(hub, "/api/contexts/stats?hours=24&session=s2");
    expect([one.body.count, one.body.energy.average]).toEqual([1, 1]);
    const empty = await getJson<ContextStats>(hub, "/api/contexts/stats?session=nobody");
    expect(empty.body).toMatchObject({
      count: 0,
      sentiment: { positive: 0, negative: 0, neutral: 0, mixed: 0 },
      energy: { average: null, series: [] },
    });
  });
});
