/**
 * Energy and sentiment over the current stream, drawn by uPlot: energy (%) on the left scale, the
 * sentiment (positive up, negative down) as steps on the right one, one point per analysed window.
 * Colours come from the design tokens; the plot follows its container's width and is destroyed
 * with its owner.
 */
import type { StreamContext } from "@landale/shared";
import { onMount } from "solid-js";
import uPlot from "uplot";
import { axisStyle, mountPlot, timeAxis, token } from "../design/plot";
import { timeRange } from "../obs/stats";
import { chartColumns, chartSummary } from "./context";

const HEIGHT = 260;
/** The time axis spans ten minutes at least, so the first windows do not fill it edge to edge. */
const LEAST_SPAN_S = 600;
const SENTIMENT_LABELS: Readonly<Record<number, string>> = {
  [-1]: "negative",
  0: "neutral/mixed",
  1: "positive",
};

export function ContextChart(props: { stream: StreamContext[] }) {
  let container!: HTMLDivElement;

  onMount(() => {
    const axis = axisStyle();
    // A lone window has no line to draw: it shows as a dot until the next one comes.
    const lonePoint = (_u: uPlot, _series: number, first: number, last: number) => first === last;
    mountPlot(
      container,
      HEIGHT,
      {
        scales: {
          x: {
            time: true,
            range: (u) => timeRange(u.data[0][0] ?? null, u.data[0].at(-1) ?? null, LEAST_SPAN_S),
          },
          energy: { range: [0, 100] },
          sentiment: { range: [-1.2, 1.2] },
        },
        axes: [
          timeAxis(),
          { ...axis, scale: "energy", label: "energy %", size: 56 },
          {
            ...axis,
            scale: "sentiment",
            side: 1,
            label: "sentiment",
            size: 104,
            grid: { show: false },
            splits: () => [-1, 0, 1],
            values: (_u, splits) => splits.map((value) => SENTIMENT_LABELS[value] ?? ""),
          },
        ],
        series: [
          {},
          {
            label: "Energy %",
            stroke: token("--accent-stream"),
            fill: "rgba(124, 156, 255, 0.18)",
            scale: "energy",
            width: 2,
            points: { show: lonePoint },
          },
          {
            label: "Sentiment",
            stroke: token("--accent-follow"),
            scale: "sentiment",
            width: 2,
            paths: uPlot.paths.stepped?.({ align: 1 }),
            points: { show: true, size: 6 },
            value: (_u, value) => (value === null ? "—" : (SENTIMENT_LABELS[value] ?? "")),
          },
        ],
      },
      [[], [], []],
      (plot) => {
        plot.setData(chartColumns(props.stream));
        container.setAttribute("aria-label", chartSummary(props.stream));
        container.dataset.points = String(props.stream.length);
      },
    );
  });

  return (
    <div
      class="context-chart"
      ref={container}
      role="img"
      aria-label="Energy and sentiment over the stream"
      data-testid="context-chart"
      data-points="0"
    />
  );
}
