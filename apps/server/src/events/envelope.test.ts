import { describe, expect, it } from "bun:test";
import { sampleEvent } from "@landale/db/testing";
import { toEnvelope } from "./envelope";

describe("toEnvelope", () => {
  it("gives the same envelope for a committed event and the row read back", () => {
    const committed = sampleEvent(7, { data: { n: 1 } });
    const row = {
      ...committed,
      ts: new Date(committed.ts),
      receivedAt: new Date(committed.receivedAt),
    };
    const envelope = toEnvelope(committed);
    expect(toEnvelope(row)).toEqual(envelope);
    const expected: Record<string, unknown> = {
      id: committed.id,
      seq: 7,
      type: committed.type,
      source: committed.source,
      ts: new Date(committed.ts).toISOString(),
      received_at: new Date(committed.receivedAt).toISOString(),
      correlation_id: committed.correlationId,
      data: { n: 1 },
    };
    expect(envelope).toEqual(expected as typeof envelope);
  });
});
