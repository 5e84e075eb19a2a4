/** The transcriptions REST API on every engine: pages by cursor, full-text search, stats. */
import { beforeEach, describe, expect, it } from "bun:test";
import { insertTranscription } from "@landale/db";
import { testEngines } from "@landale/db/testing";
import type {
  TranscriptionPage,
  TranscriptionSearchResults,
  TranscriptionStats,
} from "@landale/shared";
import type { Hub } from "../src/hub";
import { startTestHub, useTestDatabase } from "./support/hub";

async function getJson<T>(hub: Hub, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${hub.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

describe.each(testEngines())("the transcriptions API on %s", (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => database.reset());
  const EPOCH = Date.parse("2026-11-21T12:00:00Z");

  const store = async (n: number, text: string, session = "s1", at = EPOCH + n * 1000) => {
    await insertTranscription(database.current, {
      id: `a-${n}`,
      sessionId: session,
      ts: new Date(at),
      durationMs: 1000 * n,
      text,
    });
  };

  it("pages newest first by cursor, within a range and a session", async () => {
    for (let n = 1; n <= 5; n++) await store(n, `line ${n}`);
    await store(6, "line 6", "s2");
    const hub = await startTestHub({}, { database: database.current });
    const seen: string[] = [];
    let path = "/api/transcriptions?session=s1&limit=2";
    for (let page = 0; page < 5; page++) {
      const { status, body } = await getJson<TranscriptionPage>(hub, path);
      expect(status).toBe(200);
      seen.push(...body.transcriptions.map((t) => t.id));
      if (body.next_cursor === null) break;
      path = `/api/transcriptions?session=s1&limit=2&cursor=${body.next_cursor}`;
    }
    expect(seen).toEqual(["a-5", "a-4", "a-3", "a-2", "a-1"]);
    const since = new Date(EPOCH + 2000).toISOString();
    const until = new Date(EPOCH + 4000).toISOString();
    const ranged = await getJson<TranscriptionPage>(
      hub,
      `/api/transcriptions?since=${since}&until=${until}`,
    );
    expect(ranged.body).toEqual({
      transcriptions: [
        expect.objectContaining({ id: "a-4", ts: until, duration_ms: 4000, text: "line 4" }),
        expect.objectContaining({ id: "a-3" }),
        expect.objectContaining({ id: "a-2" }),
      ],
      next_cursor: null,
    });
  });

  it("refuses bad queries naming the parameter", async () => {
    const hub = await startTestHub({}, { database: database.current });
    const refusals: [string, string][] = [
      ["/api/transcriptions?limit=0", "limit"],
      ["/api/transcriptions?cursor=bm9wZQ", "cursor"],
      ["/api/transcriptions?since=yesterday", "since"],
      ["/api/transcriptions?since=2026-11-22T00:00:00Z&until=2026-11-21T00:00:00Z", "since"],
      ["/api/transcriptions/search", "q"],
      ["/api/transcriptions/search?q=%20%20", "q"],
      ["/api/transcriptions/stats?since=2026-01-01T00:00:00Z&until=2026-03-01T00:00:00Z", "since"],
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

  it("searches full text, best match first, with each hit's session and time", async () => {
    await store(1, "The quick brown foxes jumped over the lazy dog");
    await store(2, "a fox, a fox, a fox in the hole", "s2");
    await store(3, "hello chat and welcome back");
    const hub = await startTestHub({}, { database: database.current });
    const { body } = await getJson<TranscriptionSearchResults>(
      hub,
      "/api/transcriptions/search?q=fox",
    );
    expect(body.query).toBe("fox");
    expect(body.results.map((hit) => [hit.id, hit.session_id, hit.ts])).toEqual([
      ["a-2", "s2", new Date(EPOCH + 2000).toISOString()],
      ["a-1", "s1", new Date(EPOCH + 1000).toISOString()],
    ]);
    expect(body.results[0]?.rank).toBeGreaterThan(body.results[1]?.rank ?? 1);
    const phrase = await getJson<TranscriptionSearchResults>(
      hub,
      `/api/transcriptions/search?q=${encodeURIComponent('"welcome back" -fox')}&session=s1`,
    );
    expect(phrase.body.results.map((hit) => hit.id)).toEqual(["a-3"]);
    const none = await getJson<TranscriptionSearchResults>(hub, "/api/transcriptions/search?q=the");
    expect(none).toEqual({ status: 200, body: { query: "the", results: [] } });
  });

  it("counts speech over a range, by hour, and for one session", async () => {
    const hour = 60 * 60 * 1000;
    await store(1, "one", "s1", EPOCH + 60_000);
    await store(2, "two", "s2", EPOCH + 2 * 60_000);
    await store(3, "three", "s1", EPOCH + hour + 60_000);
    const hub = await startTestHub({}, { database: database.current });
    const since = new Date(EPOCH).toISOString();
    const until = new Date(EPOCH + 2 * hour).toISOString();
    const { body } = await getJson<TranscriptionStats>(
      hub,
      `/api/transcriptions/stats?since=${since}&until=${until}`,
    );
    expect(body).toEqual({
      since,
      until,
      count: 3,
      total_duration_ms: 6000,
      sessions: 2,
      buckets: [
        { bucket: since, count: 2, duration_ms: 3000 },
        { bucket: new Date(EPOCH + hour).toISOString(), count: 1, duration_ms: 3000 },
      ],
    });
    const one = await getJson<TranscriptionStats>(
      hub,
      `/api/transcriptions/stats?since=${since}&until=${until}&session=s2`,
    );
    expect([one.body.count, one.body.total_duration_ms, one.body.sessions]).toEqual([1, 2000, 1]);
  });
});
