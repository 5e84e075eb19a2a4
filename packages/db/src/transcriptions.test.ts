import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { openTestDatabase, type TestDatabase, testEngines } from "./testing";
import { insertTranscription, latestTranscriptions } from "./transcriptions";

describe.each(testEngines())("transcriptions on %s", (engine) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(() => test.dispose());

  const segment = (n: number, sessionId = "s1") => ({
    id: `t-${n}`,
    sessionId,
    ts: new Date(Date.parse("2026-11-21T12:00:00Z") + n * 1000),
    durationMs: 900,
    text: `words ${n}`,
    sourceId: "mic",
    confidence: 0.9,
  });

  it("stores a segment once, however often it is sent", async () => {
    expect(await insertTranscription(test.database, segment(1))).toBe(true);
    expect(await insertTranscription(test.database, segment(1))).toBe(false);
    expect(await latestTranscriptions(test.database, 10)).toHaveLength(1);
  });

  it("lists the latest first, of one session when asked", async () => {
    await insertTranscription(test.database, segment(2));
    await insertTranscription(test.database, segment(3, "s2"));
    expect((await latestTranscriptions(test.database, 10)).map((row) => row.id)).toEqual([
      "t-3",
      "t-2",
      "t-1",
    ]);
    expect((await latestTranscriptions(test.database, 10, "s1")).map((row) => row.id)).toEqual([
      "t-2",
      "t-1",
    ]);
    expect((await latestTranscriptions(test.database, 1)).map((row) => row.text)).toEqual([
      "words 3",
    ]);
  });
});
