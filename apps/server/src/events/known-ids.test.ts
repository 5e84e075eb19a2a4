import { describe, expect, it } from "bun:test";
import { type KnownId, KnownIds } from "./known-ids";

const window = (first: number, size: number): KnownId[] =>
  Array.from({ length: size }, (_, i) => ({ id: `e${first + i}`, seq: first + i }));

describe("KnownIds", () => {
  it("answers the seq each remembered id was stored with, and nothing for others", () => {
    const known = new KnownIds(100);
    known.remember(window(1, 3));
    known.remember([{ id: "e1", seq: 1 }, ...window(4, 2)]);
    expect([1, 2, 3, 4, 5].map((n) => known.seqOf(`e${n}`))).toEqual([1, 2, 3, 4, 5]);
    expect(known.seqOf("e6")).toBeUndefined();
  });

  it("keeps answering windows remembered after the first question", () => {
    const known = new KnownIds(100);
    known.remember(window(1, 2));
    expect(known.seqOf("e3")).toBeUndefined();
    known.remember(window(3, 2));
    expect(known.seqOf("e3")).toBe(3);
    expect(known.seqOf("e4")).toBe(4);
  });

  it("forgets whole windows, oldest first, past its capacity", () => {
    for (const askFirst of [false, true]) {
      const known = new KnownIds(10);
      if (askFirst) known.seqOf("none");
      for (let first = 1; first <= 16; first += 4) known.remember(window(first, 4));
      // 16 ids in windows of 4 with room for 10: the two oldest windows are gone.
      expect(known.seqOf("e8")).toBeUndefined();
      expect([9, 12, 13, 16].map((n) => known.seqOf(`e${n}`))).toEqual([9, 12, 13, 16]);
    }
  });

  it("stays bounded over many small windows", () => {
    const known = new KnownIds(1_000);
    for (let n = 1; n <= 50_000; n++) known.remember([{ id: `e${n}`, seq: n }]);
    expect(known.seqOf("e49000")).toBeUndefined();
    expect(known.seqOf("e49001")).toBe(49_001);
    expect(known.seqOf("e50000")).toBe(50_000);
    for (let n = 50_001; n <= 53_000; n++) known.remember([{ id: `e${n}`, seq: n }]);
    expect(known.seqOf("e52000")).toBeUndefined();
    expect(known.seqOf("e52001")).toBe(52_001);
  });
});
