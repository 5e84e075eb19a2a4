/**
 * How OBS is keeping up: the latest `obs_stats` reading in figures (OBS gives memory and disk
 * space in megabytes, the render time in milliseconds, skipped frames as counts since it
 * started) and the window of readings as a chart.
 */

import { Show } from "solid-js";
import { formatBytes, formatClock, formatCount } from "../format/format";
import { StatsChart } from "./StatsChart";
import { STATS_WINDOW, type StatsWindow, skippedShare } from "./stats";

const MB = 1024 * 1024;

export function StatsPanel(props: { stats: StatsWindow; connected: boolean }) {
  const last = () => props.stats.last;

  return (
    <section class="panel obs-stats" aria-labelledby="obs-stats-title">
      <div class="panel-header">
        <h2 id="obs-stats-title">OBS performance</h2>
        <p class="panel-note">
          A reading every 5 s while this page is open; the chart keeps the last {STATS_WINDOW}.
        </p>
      </div>
      <Show when={!props.connected}>
        <p class="panel-note" data-testid="obs-stats-paused">
          OBS is not connected, so no new readings arrive; the chart keeps what it had.
        </p>
      </Show>
      <Show
        when={last()}
        fallback={
          <p class="empty" data-testid="obs-stats-empty">
            No reading yet: the first comes within a few seconds of OBS being connected.
          </p>
        }
      >
        {(stats) => (
          <dl class="facts obs-stats-facts" data-testid="obs-stats-latest">
            <dt>Taken at</dt>
            <dd>{formatClock(stats().at)}</dd>
            <dt>CPU</dt>
            <dd data-testid="obs-stats-cpu">{stats().cpu_usage.toFixed(1)} %</dd>
            <dt>Active FPS</dt>
            <dd data-testid="obs-stats-fps">{stats().active_fps.toFixed(1)}</dd>
            <dt>Average render time</dt>
            <dd>{stats().average_frame_render_time.toFixed(2)} ms</dd>
            <dt>Memory</dt>
            <dd>{formatBytes(stats().memory_usage * MB)}</dd>
            <dt>Free disk space</dt>
            <dd>{formatBytes(stats().available_disk_space * MB)}</dd>
            <dt>Rendering skipped</dt>
            <dd data-testid="obs-stats-render-skipped">
              {formatCount(stats().render_skipped_frames)} of{" "}
              {formatCount(stats().render_total_frames)} frames (
              {skippedShare(stats().render_skipped_frames, stats().render_total_frames)})
            </dd>
            <dt>Output skipped</dt>
            <dd data-testid="obs-stats-output-skipped">
              {formatCount(stats().output_skipped_frames)} of{" "}
              {formatCount(stats().output_total_frames)} frames (
              {skippedShare(stats().output_skipped_frames, stats().output_total_frames)})
            </dd>
          </dl>
        )}
      </Show>
      <StatsChart stats={props.stats} />
    </section>
  );
}
