import { describe, expect, it } from "bun:test";
import { EventEnvelope, EventInput } from "./envelope";

const envelope = {
  id: "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  seq: 41,
  type: "channel.follow",
  source: "twitch",
  ts: "2026-03-11T17:51:16.018219Z",
  received_at: "2026-03-11T17:51:16.120Z",
  correlation_id: "req-7f3a",
  data: { user_id: "1234" },
};

function pathsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) {
  return result.error?.issues.map((issue) => issue.path.join(".")) ?? [];
}

describe("EventEnvelope", () => {
  it("accepts a stored event", () => {
    expect<unknown>(EventEnvelope.parse(envelope)).toEqual(envelope);
  });

  it("strips fields a newer hub adds, so older clients keep reading", () => {
    expect<unknown>(EventEnvelope.parse({ ...envelope, shard: 3 })).toEqual(envelope);
  });

  it("refuses a negative or fractional seq", () => {
    expect(pathsOf(EventEnvelope.safeParse({ ...envelope, seq: -1 }))).toEqual(["seq"]);
    expect(pathsOf(EventEnvelope.safeParse({ ...envelope, seq: 1.5 }))).toEqual(["seq"]);
    expect(pathsOf(EventEnvelope.safeParse({ ...envelope, seq: 2 ** 53 }))).toEqual(["seq"]);
  });

  it("refuses times without a zone and sources outside the list", () => {
    expect(pathsOf(EventEnvelope.safeParse({ ...envelope, ts: "2026-03-11T17:51:16" }))).toEqual([
      "ts",
    ]);
    expect(pathsOf(EventEnvelope.safeParse({ ...envelope, source: "custom" }))).toEqual(["source"]);
  });

  it("refuses times outside the years 0001-9999 once their offset is applied", () => {
    const timed = (ts: string) => pathsOf(EventEnvelope.safeParse({ ...envelope, ts }));
    expect(timed("0000-06-01T00:00:00Z")).toEqual(["ts"]);
    expect(timed("0001-01-01T00:30:00+01:00")).toEqual(["ts"]);
    expect(timed("9999-12-31T23:30:00-01:00")).toEqual(["ts"]);
    expect(timed("0001-01-01T00:00:00Z")).toEqual([]);
    expect(timed("9999-12-31T23:59:59.999999Z")).toEqual([]);
  });

  it("requires every field but data's contents", () => {
    const { received_at: _, ...withoutReceivedAt } = envelope;
    expect(pathsOf(EventEnvelope.safeParse(withoutReceivedAt))).toEqual(["received_at"]);
  });
});

describe("EventInput", () => {
  it("needs only a type and data", () => {
    expect(EventInput.safeParse({ type: "custom.x", data: null }).success).toBe(true);
    expect(pathsOf(EventInput.safeParse({ type: "custom.x" }))).toEqual(["data"]);
  });

  it("takes ids of up to 128 URL-safe characters", () => {
    expect(EventInput.safeParse({ id: "a".repeat(128), type: "t", data: 1 }).success).toBe(true);
    expect(EventInput.safeParse({ id: "twitch:abc-1.2_3", type: "t", data: 1 }).success).toBe(true);
    expect(pathsOf(EventInput.safeParse({ id: "a".repeat(129), type: "t", data: 1 }))).toEqual([
      "id",
    ]);
    expect(pathsOf(EventInput.safeParse({ id: "has space", type: "t", data: 1 }))).toEqual(["id"]);
    expect(pathsOf(EventInput.safeParse({ id: "", type: "t", data: 1 }))).toEqual(["id"]);
  });

  it("refuses keys it does not know, such as a camel-cased correlationId", () => {
    const result = EventInput.safeParse({ type: "t", data: 1, correlationId: "x" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      code: "unrecognized_keys",
      keys: ["correlationId"],
    });
  });

  it("refuses server-assigned fields a producer cannot set", () => {
    expect(EventInput.safeParse({ type: "t", data: 1, seq: 4 }).success).toBe(false);
    expect(EventInput.safeParse({ type: "t", data: 1, received_at: envelope.ts }).success).toBe(
      false,
    );
  });
});
