import { describe, expect, it } from "bun:test";
import type { Transcription } from "@landale/shared";
import {
  describeConfidence,
  describeDuration,
  describeWhen,
  mergeLive,
  searchInput,
} from "./transcripts";

const said = (n: number, at = Date.parse("2026-11-21T12:00:00Z") + n * 1000): Transcription => ({
  id: `t-${n}`,
  session_id: "stream_2026_11_21",
  ts: new Date(at).toISOString(),
  duration_ms: 1500,
  text: `line ${n}`,
  source_id: null,
  confidence: null,
});

const ids = (list: readonly Transcription[]) => list.map((item) => item.id);

describe("mergeLive", () => {
  it("keeps the newest first whatever order pushes and a read-back arrive in", () => {
    const pushed = mergeLive([], [said(3)]).list;
    const merged = mergeLive(pushed, [said(1), said(3), said(2)]);
    expect(ids(merged.list)).toEqual(["t-3", "t-2", "t-1"]);
    expect(merged.added).toBe(2);
  });

  it("returns the same list when nothing is new, so nothing re-renders", () => {
    const list = mergeLive([], [said(1), said(2)]).list;
    expect(mergeLive(list, [said(2), said(1)]).list).toBe(list);
  });

  it("lets the oldest go past its bound and counts them", () => {
    const list = mergeLive([], [said(1), said(2), said(3)], 3).list;
    const merged = mergeLive(list, [said(5), said(4)], 3);
    expect(ids(merged.list)).toEqual(["t-5", "t-4", "t-3"]);
    expect(merged.trimmed).toBe(2);
  });

  it("orders segments said in the same millisecond by id, as the hub does", () => {
    const at = Date.parse("2026-11-21T12:00:00Z");
    expect(ids(mergeLive([], [said(1, at), said(2, at)]).list)).toEqual(["t-2", "t-1"]);
  });
});

describe("searchInput", () => {
  it("trims what is typed and refuses an empty or overlong search in words", () => {
    expect(searchInput("  brown fox ")).toEqual({ ok: true, q: "brown fox" });
    expect(searchInput("   ")).toEqual({
      ok: false,
      message: "type a word or a phrase to search for",
    });
    expect(searchInput("x".repeat(201))).toEqual({ ok: false, message: "at most 200 characters" });
  });
});

describe("describing a transcription", () => {
  it("says the time alone today and the date before it on another day", () => {
    const now = Date.parse("2026-11-21T15:00:00");
    expect(describeWhen(new Date("2026-11-21T14:03:27").toISOString(), now)).toBe("14:03:27");
    expect(describeWhen(new Date("2026-11-19T09:05:00").toISOString(), now)).toBe(
      "19 Nov 2026 09:05:00",
    );
  });

  it("says durations and confidence as a person reads them", () => {
    expect(describeDuration(800)).toBe("0.8 s");
    expect(describeDuration(65_000)).toBe("1 min 05 s");
    expect(describeConfidence(0.912)).toBe("91 %");
    expect(describeConfidence(null)).toBeNull();
  });
});
