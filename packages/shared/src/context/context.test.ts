import { describe, expect, it } from "bun:test";
import { ContextStats } from "../api/contexts";
import { ContextInput, StreamContext } from "./context";
import { sampleAnalysis, sampleContext } from "./context.fixtures";

describe("stream contexts", () => {
  it("takes the samples as they are, as a submission and as a stored context", () => {
    expect(ContextInput.parse(sampleContext(3))).toEqual(sampleContext(3));
    expect(
      StreamContext.safeParse(sampleContext(1, { analysis: sampleAnalysis({ energy: 0 }) }))
        .success,
    ).toBe(true);
  });

  it("refuses an analysis out of its bounds, naming the field", () => {
    const result = ContextInput.safeParse(
      sampleContext(1, { analysis: sampleAnalysis({ energy: 1.5, sentiment: "meh" as never }) }),
    );
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join(".")).sort()).toEqual([
      "analysis.patterns.energy_level",
      "analysis.sentiment",
    ]);
  });

  it("counts every sentiment in the stats, none left out", () => {
    const stats = {
      since: "2026-11-21T12:00:00.000Z",
      until: "2026-11-21T13:00:00.000Z",
      count: 1,
      sentiment: { positive: 1, negative: 0, neutral: 0 },
      energy: { average: 0.5, series: [] },
    };
    expect(ContextStats.safeParse(stats).success).toBe(false);
    expect(
      ContextStats.safeParse({ ...stats, sentiment: { ...stats.sentiment, mixed: 0 } }).success,
    ).toBe(true);
  });
});
