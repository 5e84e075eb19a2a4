import { describe, expect, it } from "bun:test";
import type { ActivityStats } from "@landale/shared";
import { hourlySeries, perMinute } from "./series";

const stats = (buckets: ActivityStats["buckets"]): ActivityStats => ({
  since: "2026-03-01T00:00:00Z",
  until: "2026-03-02T00:00:00Z",
  from: "events",
  buckets,
  totals: {},
});

describe("hourlySeries", () => {
  const now = Date.parse("2026-03-01T12:34:00Z");

  it("has one point per hour, the last being the current hour, empty hours zero", () => {
    const series = hourlySeries(stats([]), 6, now);
    expect(series.hours).toHaveLength(6);
    expect(new Date((series.hours.at(-1) ?? 0) * 1000).toISOString()).toBe(
      "2026-03-01T12:00:00.000Z",
    );
    expect(new Date((series.hours[0] ?? 0) * 1000).toISOString()).toBe("2026-03-01T07:00:00.000Z");
    expect(series.total).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("sorts counts into alerts, chat and the rest, and totals them", () => {
    const series = hourlySeries(
      stats([
        { bucket: "2026-03-01T12:00:00Z", type: "channel.follow", count: 3 },
        { bucket: "2026-03-01T12:00:00Z", type: "channel.raid", count: 1 },
        { bucket: "2026-03-01T12:00:00Z", type: "channel.chat.message", count: 40 },
        { bucket: "2026-03-01T11:00:00Z", type: "obs.scene.changed", count: 2 },
      ]),
      3,
      now,
    );
    expect(series.alerts).toEqual([0, 0, 4]);
    expect(series.chat).toEqual([0, 0, 40]);
    expect(series.other).toEqual([0, 2, 0]);
    expect(series.total).toEqual([0, 2, 44]);
  });

  it("leaves out buckets outside the window", () => {
    const series = hourlySeries(
      stats([{ bucket: "2026-02-01T12:00:00Z", type: "channel.follow", count: 9 }]),
      3,
      now,
    );
    expect(series.total).toEqual([0, 0, 0]);
  });

  it("turns an hour's count into events per minute", () => {
    expect(perMinute(120)).toBe(2);
  });
});
