/**
 * OBS's stats as a chart keeps them: a bounded window of points, one per `obs_stats` push (about
 * every 5 s), newest last. OBS counts skipped frames since it started, so each point holds the
 * frames skipped since the point before — what a glance at the chart should show — and restarts
 * the count when OBS did (its totals went down).
 */
import type { ObsStats } from "@landale/shared";

/** Ten minutes at one push every 5 s. */
export const STATS_WINDOW = 120;

export interface StatsPoint {
  /** Epoch seconds, as uPlot takes time. */
  t: number;
  cpu: number;
  fps: number;
  /** Frames skipped since the point before; null for the first point. */
  renderSkipped: number | null;
  outputSkipped: number | null;
}

export interface StatsWindow {
  points: StatsPoint[];
  /** The newest stats taken, to count the next point's skipped frames from. */
  last: ObsStats | null;
  /** Points that fell out of the window. */
  dropped: number;
}

export const EMPTY_WINDOW: StatsWindow = { points: [], last: null, dropped: 0 };

/** Frames skipped between two readings of OBS's counters; from zero when OBS restarted. */
function skippedSince(
  now: { skipped: number; total: number },
  before: { skipped: number; total: number } | null,
): number | null {
  if (before === null) return null;
  const restarted = now.total < before.total || now.skipped < before.skipped;
  return restarted ? now.skipped : now.skipped - before.skipped;
}

/**
 * The window with `stats` added at the end, the oldest points dropped past `max`. A reading no
 * newer than the last (a reply to `obs:stats` overtaken by a push) or with a bad time is ignored.
 */
export function appendStats(window: StatsWindow, stats: ObsStats, max = STATS_WINDOW): StatsWindow {
  const ms = Date.parse(stats.at);
  if (Number.isNaN(ms)) return window;
  const last = window.last;
  if (last !== null && ms <= Date.parse(last.at)) return window;
  const point: StatsPoint = {
    t: ms / 1000,
    cpu: stats.cpu_usage,
    fps: stats.active_fps,
    renderSkipped: skippedSince(
      { skipped: stats.render_skipped_frames, total: stats.render_total_frames },
      last && { skipped: last.render_skipped_frames, total: last.render_total_frames },
    ),
    outputSkipped: skippedSince(
      { skipped: stats.output_skipped_frames, total: stats.output_total_frames },
      last && { skipped: last.output_skipped_frames, total: last.output_total_frames },
    ),
  };
  const points = [...window.points, point];
  const over = Math.max(0, points.length - max);
  return { points: points.slice(over), last: stats, dropped: window.dropped + over };
}

/** The window in uPlot's column layout: `[time, cpu, fps, render skipped, output skipped]`. */
export function statsColumns(
  window: StatsWindow,
): [number[], number[], number[], (number | null)[], (number | null)[]] {
  const { points } = window;
  return [
    points.map((p) => p.t),
    points.map((p) => p.cpu),
    points.map((p) => p.fps),
    points.map((p) => p.renderSkipped),
    points.map((p) => p.outputSkipped),
  ];
}

/** The least span of the chart's time axis, in seconds. */
export const LEAST_SPAN_S = 60;

/**
 * The time axis' range: the readings' own once they span a minute; before, the last minute up
 * to the newest. uPlot alone stretches one reading over years and two close ones over a few
 * milliseconds — which is what the view showed each time it opened.
 */
export function timeRange(
  min: number | null,
  max: number | null,
  least = LEAST_SPAN_S,
): [number | null, number | null] {
  if (min === null || max === null || max - min >= least) return [min, max];
  return [max - least, max];
}

/** Part of all frames that were skipped, as "0.12 %"; "—" before any frame. */
export function skippedShare(skipped: number, total: number): string {
  if (total <= 0) return "—";
  return `${((skipped / total) * 100).toFixed(2)} %`;
}

/** The chart in a sentence, for a screen reader. */
export function statsSummary(window: StatsWindow): string {
  const point = window.points.at(-1);
  if (point === undefined) return "OBS stats: none yet.";
  const skipped =
    point.renderSkipped === null || point.outputSkipped === null
      ? ""
      : ` ${point.renderSkipped} rendering and ${point.outputSkipped} output frames skipped since the reading before.`;
  return `OBS stats, last ${window.points.length} readings: now ${point.cpu.toFixed(1)} % CPU at ${point.fps.toFixed(1)} fps.${skipped}`;
}
