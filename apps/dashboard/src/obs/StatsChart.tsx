/**
 * OBS's stats over the window, drawn by uPlot: CPU % and active FPS on the left scale, frames
 * skipped since the reading before (rendering and output) on the right one. Colours come from
 * the design tokens; the plot follows its container's width and is destroyed with its owner.
 */
import { onMount } from "solid-js";
import type uPlot from "uplot";
import { axisStyle, mountPlot, timeAxis, token } from "../design/plot";
import { type StatsWindow, statsColumns, statsSummary, timeRange } from "./stats";

const HEIGHT = 240;
/** The left scale reaches 60 at least, so a steady 60 fps does not fill the chart. */
const LEFT_MIN_TOP = 60;

export function StatsChart(props: { stats: StatsWindow }) {
  let container!: HTMLDivElement;

  onMount(() => {
    const axis = axisStyle();
    const line = (label: string, stroke: string, scale: string, dash?: number[]) => ({
      label,
      stroke,
      scale,
      width: 2,
      // A lone reading has no line to draw: it shows as a dot until the next one comes.
      points: { show: (_u: uPlot, _series: number, first: number, last: number) => first === last },
      ...(dash === undefined ? {} : { dash }),
    });
    mountPlot(
      container,
      HEIGHT,
      {
        scales: {
          // From the readings themselves: uPlot has already widened a lone one to 1,000 days.
          x: {
            time: true,
            range: (u) => timeRange(u.data[0][0] ?? null, u.data[0].at(-1) ?? null),
          },
          left: { range: (_u, _min, max) => [0, Math.max(LEFT_MIN_TOP, max * 1.1)] },
          frames: { range: (_u, _min, max) => [0, Math.max(5, max * 1.1)] },
        },
        axes: [
          timeAxis(),
          { ...axis, scale: "left", label: "CPU % · fps", size: 56 },
          {
            ...axis,
            scale: "frames",
            side: 1,
            label: "skipped frames",
            size: 56,
            grid: { show: false },
          },
        ],
        series: [
          {},
          line("CPU %", token("--accent-stream"), "left"),
          line("Active FPS", token("--color-ok"), "left"),
          line("Render skipped", token("--accent-cheer"), "frames", [6, 4]),
          line("Output skipped", token("--color-danger"), "frames", [2, 3]),
        ],
      },
      [[], [], [], [], []],
      (plot) => {
        plot.setData(statsColumns(props.stats));
        container.setAttribute("aria-label", statsSummary(props.stats));
        container.dataset.points = String(props.stats.points.length);
      },
    );
  });

  return (
    <div
      class="obs-stats-chart"
      ref={container}
      role="img"
      aria-label="OBS stats"
      data-testid="obs-stats-chart"
      data-points="0"
    />
  );
}
