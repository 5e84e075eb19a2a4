import { describe, expect, it } from "bun:test";
import type { EventEnvelope } from "@landale/shared";
import { RecentEvents } from "./recent";

const envelope = (seq: number): EventEnvelope => ({
  id: `e${seq}`,
  seq,
  type: "channel.follow",
  source: "twitch",
  ts: "2026-11-21T12:00:00.000Z",
  received_at: "2026-11-21T12:00:00.000Z",
  correlation_id: `c${seq}`,
  data: {},
});
const seqs = (events: EventEnvelope[] | null) => events?.map((event) => event.seq) ?? null;

describe("RecentEvents", () => {
  it("answers the events after a seq, across gaps in seq", () => {
    const recent = new RecentEvents(10, 8);
    recent.push([11, 12, 14, 15].map(envelope));
    expect(seqs(recent.after(10))).toEqual([11, 12, 14, 15]);
    expect(seqs(recent.after(12))).toEqual([14, 15]);
    expect(seqs(recent.after(13))).toEqual([14, 15]);
    expect(seqs(recent.after(15))).toEqual([]);
    expect(recent.lastSeq).toBe(15);
  });

  it("says when it cannot reach back far enough", () => {
    const recent = new RecentEvents(10, 3);
    expect(recent.after(9)).toBeNull();
    recent.push([11, 12, 13, 14, 15].map(envelope));
    expect(seqs(recent.after(12))).toEqual([13, 14, 15]);
    expect(recent.after(11)).toBeNull();
  });
});
