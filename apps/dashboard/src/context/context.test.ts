import { describe, expect, it } from "bun:test";
import type { StreamContext } from "@landale/shared";
import { sampleAnalysis, sampleContext } from "@landale/shared/fixtures/context";
import {
  chartColumns,
  chartSummary,
  currentStream,
  describeInteractions,
  describeSource,
  mergeContexts,
  percent,
  streamTopics,
} from "./context";

const ids = (list: readonly StreamContext[]) => list.map((context) => context.id);

describe("mergeContexts", () => {
  it("keeps the newest window first whatever order pushes and a read-back arrive in", () => {
    const pushed = mergeContexts([], [sampleContext(3)]).list;
    const merged = mergeContexts(pushed, [sampleContext(1), sampleContext(3), sampleContext(2)]);
    expect(ids(merged.list)).toEqual(["ctx-3", "ctx-2", "ctx-1"]);
    expect(merged.added).toBe(2);
  });

  it("orders windows that end together by id, as the hub does", () => {
    const at = sampleContext(1).ended_at;
    const merged = mergeContexts(
      [],
      [
        sampleContext(1, { id: "a", ended_at: at }),
        sampleContext(1, { id: "c", ended_at: at }),
        sampleContext(1, { id: "b", ended_at: at }),
      ],
    );
    expect(ids(merged.list)).toEqual(["c", "b", "a"]);
  });

  it("changes nothing on a read-back it already has, and lets the oldest go past its bound", () => {
    const first = mergeContexts([], [sampleContext(1), sampleContext(2)]).list;
    const again = mergeContexts(first, [sampleContext(2), sampleContext(1)]);
    expect(again).toEqual({ list: first, added: 0, trimmed: 0 });
    expect(again.list).toBe(first);
    const bounded = mergeContexts(first, [sampleContext(3), sampleContext(4)], 3);
    expect(ids(bounded.list)).toEqual(["ctx-4", "ctx-3", "ctx-2"]);
    expect(bounded.trimmed).toBe(1);
  });
});

describe("the current stream", () => {
  it("is the newest context's session, oldest window first", () => {
    const list = mergeContexts(
      [],
      [
        sampleContext(1, { session_id: "yesterday" }),
        sampleContext(2),
        sampleContext(3),
        sampleContext(4, { session_id: "yesterday" }),
        sampleContext(5),
      ],
    ).list;
    expect(ids(currentStream(list))).toEqual(["ctx-2", "ctx-3", "ctx-5"]);
    expect(currentStream([])).toEqual([]);
  });

  it("charts each window's end, energy in % and sentiment up or down", () => {
    const stream = [
      sampleContext(1, { analysis: sampleAnalysis({ energy: 0.2, sentiment: "negative" }) }),
      sampleContext(2, { analysis: sampleAnalysis({ energy: 0.555, sentiment: "mixed" }) }),
      sampleContext(3, { analysis: sampleAnalysis({ energy: 0.9, sentiment: "positive" }) }),
    ];
    const [times, energy, sentiment] = chartColumns(stream);
    expect(times).toEqual(stream.map((context) => Date.parse(context.ended_at) / 1000));
    expect(energy).toEqual([20, 56, 90]);
    expect(sentiment).toEqual([-1, 0, 1]);
    expect(chartSummary(stream)).toBe(
      "Energy and sentiment over 3 windows of this stream: now 90 % energy and positive; the peak was 90 %.",
    );
    expect(chartSummary([])).toContain("no context yet");
  });

  it("breaks the lines where no window was analysed for a while, instead of joining across", () => {
    const stream = [1, 2, 3, 4, 9, 10].map((n) =>
      sampleContext(n, { analysis: sampleAnalysis({ energy: 0.5, sentiment: "positive" }) }),
    );
    const ends = stream.map((context) => Date.parse(context.ended_at) / 1000);
    const [times, energy, sentiment] = chartColumns(stream);
    expect(times).toEqual([
      ...ends.slice(0, 4),
      ((ends[3] ?? 0) + (ends[4] ?? 0)) / 2,
      ...ends.slice(4),
    ]);
    expect(energy).toEqual([50, 50, 50, 50, null, 50, 50]);
    expect(sentiment).toEqual([1, 1, 1, 1, null, 1, 1]);
  });

  it("lists the topics of most windows first, counted once a window whatever their case", () => {
    const topic = (n: number, topics: string[]) =>
      sampleContext(n, { analysis: sampleAnalysis({ topics }) });
    const stream = [
      topic(1, ["Speedrun", "speedrun", "music"]),
      topic(2, ["boss fight", "speedrun"]),
      topic(3, ["music", "art"]),
    ];
    expect(streamTopics(stream)).toEqual([
      { topic: "music", count: 2 },
      { topic: "speedrun", count: 2 },
      { topic: "art", count: 1 },
      { topic: "boss fight", count: 1 },
    ]);
    expect(streamTopics(stream, 1)).toEqual([{ topic: "music", count: 2 }]);
  });
});

describe("describing an analysis", () => {
  it("says who made it, and why the fallback ran in words", () => {
    expect(describeSource({ kind: "model", detail: "qwen2.5-7b" })).toBe("Model · qwen2.5-7b");
    expect(describeSource({ kind: "fallback", detail: "no_model" })).toBe(
      "Offline fallback · no model configured",
    );
    expect(describeSource({ kind: "fallback", detail: "something new" })).toBe(
      "Offline fallback · something new",
    );
  });

  it("gives figures as percentages and interactions most first", () => {
    expect([percent(0), percent(0.624), percent(1)]).toEqual(["0 %", "62 %", "100 %"]);
    expect(
      describeInteractions({ "channel.follow": 1, "channel.cheer": 3, "channel.raid": 0 }),
    ).toBe("3 channel.cheer · 1 channel.follow");
    expect(describeInteractions({})).toBe("none");
  });
});
