/**
 * Events per hour over the last hours, drawn by uPlot: bars for every event, lines for alerts
 * and chat. Colours come from the design tokens; the plot follows its container's width and is
 * destroyed with its owner.
 */
import { onMount } from "solid-js";
import uPlot from "uplot";
import { axisStyle, mountPlot, timeAxis, token } from "../design/plot";
import { formatCount } from "../format/format";
import type { HourlySeries } from "./series";

const HEIGHT = 260;

function summary(series: HourlySeries | null, hours: number): string {
  if (series === null) return "Events per hour: loading.";
  const total = series.total.reduce((sum, count) => sum + count, 0);
  let busiest = 0;
  series.total.forEach((count, index) => {
    if (count > (series.total[busiest] ?? 0)) busiest = index;
  });
  const busiestAt = new Date((series.hours[busiest] ?? 0) * 1000);
  return total === 0
    ? `No events in the last ${hours} hours.`
    : `${formatCount(total)} events in the last ${hours} hours; the busiest hour began at ${busiestAt.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })} with ${formatCount(series.total[busiest] ?? 0)}.`;
}

export function EventsChart(props: { series: HourlySeries | null; hours: number }) {
  let container!: HTMLDivElement;

  onMount(() => {
    const axis = axisStyle();
    mountPlot(
      container,
      HEIGHT,
      {
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(5, max * 1.1)] } },
        axes: [timeAxis(), { ...axis, label: "events / hour", size: 56 }],
        series: [
          {},
          {
            label: "All events",
            stroke: token("--accent-stream"),
            fill: "rgba(124, 156, 255, 0.28)",
            width: 1,
            paths: uPlot.paths.bars?.({ size: [0.7, 48] }),
            points: { show: false },
          },
          { label: "Alerts", stroke: token("--accent-follow"), width: 2, points: { show: false } },
          {
            label: "Chat",
            stroke: token("--accent-sub"),
            width: 2,
            dash: [6, 4],
            points: { show: false },
          },
        ],
      },
      [[], [], [], []],
      (plot) => {
        const series = props.series;
        if (series !== null) plot.setData([series.hours, series.total, series.alerts, series.chat]);
        container.setAttribute("aria-label", summary(series, props.hours));
      },
    );
  });

  return <div class="events-chart" ref={container} role="img" aria-label="Events per hour" />;
}
