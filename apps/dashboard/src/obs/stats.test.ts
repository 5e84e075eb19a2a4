import { describe, expect, it } from "bun:test";
import type { ObsStats } from "@landale/shared";
import {
  appendStats,
  EMPTY_WINDOW,
  type StatsWindow,
  skippedShare,
  statsColumns,
  statsSummary,
  timeRange,
} from "./stats";

const START = Date.parse("2026-03-01T12:00:00Z");

function reading(seconds: number, change: Partial<ObsStats> = {}): ObsStats {
  return {
    at: new Date(START + seconds * 1000).toISOString(),
    cpu_usage: 12.5,
    memory_usage: 512,
    available_disk_space: 100_000,
    active_fps: 60,
    average_frame_render_time: 1.2,
    render_skipped_frames: 0,
    render_total_frames: 1000,
    output_skipped_frames: 0,
    output_total_frames: 1000,
    ...change,
  };
}

function fill(readings: ObsStats[], max?: number): StatsWindow {
  return readings.reduce((window, stats) => appendStats(window, stats, max), EMPTY_WINDOW);
}

describe("appendStats", () => {
  it("adds a point per reading, time in epoch seconds, newest last", () => {
    const window = fill([reading(0), reading(5, { cpu_usage: 20, active_fps: 59.9 })]);
    expect(window.points.map((p) => p.t)).toEqual([START / 1000, START / 1000 + 5]);
    expect(window.points[1]).toMatchObject({ cpu: 20, fps: 59.9 });
    expect(window.last?.cpu_usage).toBe(20);
  });

  it("counts the frames skipped since the reading before, none for the first", () => {
    const window = fill([
      reading(0, { render_skipped_frames: 4, output_skipped_frames: 10 }),
      reading(5, {
        render_skipped_frames: 7,
        render_total_frames: 1300,
        output_skipped_frames: 10,
      }),
    ]);
    expect(window.points[0]).toMatchObject({ renderSkipped: null, outputSkipped: null });
    expect(window.points[1]).toMatchObject({ renderSkipped: 3, outputSkipped: 0 });
  });

  it("counts from zero again after OBS restarted and its totals went down", () => {
    const window = fill([
      reading(0, { output_skipped_frames: 50, output_total_frames: 90_000 }),
      reading(5, { output_skipped_frames: 2, output_total_frames: 300 }),
    ]);
    expect(window.points[1]?.outputSkipped).toBe(2);
  });

  it("keeps at most max points and counts the ones dropped", () => {
    const window = fill(
      Array.from({ length: 7 }, (_, i) => reading(i * 5)),
      5,
    );
    expect(window.points).toHaveLength(5);
    expect(window.dropped).toBe(2);
    expect(window.points[0]?.t).toBe(START / 1000 + 10);
  });

  it("ignores a reading no newer than the last, and one with a bad time", () => {
    const window = fill([reading(5)]);
    expect(appendStats(window, reading(5))).toBe(window);
    expect(appendStats(window, reading(0))).toBe(window);
    expect(appendStats(window, { ...reading(10), at: "not a time" })).toBe(window);
  });
});

describe("statsColumns", () => {
  it("lays the window out as uPlot's columns", () => {
    const window = fill([reading(0), reading(5, { render_skipped_frames: 1 })]);
    expect(statsColumns(window)).toEqual([
      [START / 1000, START / 1000 + 5],
      [12.5, 12.5],
      [60, 60],
      [null, 1],
      [null, 0],
    ]);
    expect(statsColumns(EMPTY_WINDOW)).toEqual([[], [], [], [], []]);
  });
});

describe("skippedShare", () => {
  it("gives the skipped part of all frames, and a dash before any frame", () => {
    expect(skippedShare(3, 1000)).toBe("0.30 %");
    expect(skippedShare(0, 0)).toBe("—");
  });
});

describe("statsSummary", () => {
  it("reads the newest point", () => {
    expect(statsSummary(EMPTY_WINDOW)).toBe("OBS stats: none yet.");
    const summary = statsSummary(fill([reading(0), reading(5, { output_skipped_frames: 4 })]));
    expect(summary).toContain("12.5 % CPU at 60.0 fps");
    expect(summary).toContain("0 rendering and 4 output frames skipped");
  });
});

describe("timeRange", () => {
  const t = START / 1000;

  it("shows the last minute up to a lone reading, not years around it", () => {
    expect(timeRange(t, t)).toEqual([t - 60, t]);
  });

  it("shows the last minute while the readings span less, not milliseconds", () => {
    expect(timeRange(t, t + 3)).toEqual([t + 3 - 60, t + 3]);
  });

  it("keeps the readings' own span once it reaches a minute", () => {
    expect(timeRange(t, t + 60)).toEqual([t, t + 60]);
    expect(timeRange(t, t + 600)).toEqual([t, t + 600]);
  });

  it("leaves an empty chart's range to uPlot", () => {
    expect(timeRange(null, null)).toEqual([null, null]);
  });
});
