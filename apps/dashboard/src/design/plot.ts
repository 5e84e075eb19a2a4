/**
 * What the dashboard's uPlot charts share: colours and fonts from the design tokens, one axis
 * style, and a plot that follows its container's width, redraws when what it shows changes, and
 * is destroyed with its owner.
 */
import { createEffect, onCleanup } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { timeLabels } from "./time-labels";

const MIN_WIDTH = 320;

/** A design token's value (`--color-muted`), or a grey where the page has none. */
export function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** The axis every chart draws: muted labels, the line colour for grid and ticks. */
export function axisStyle(): uPlot.Axis {
  const font = `12px ${token("--font-sans")}`;
  const grid = token("--color-line");
  return {
    stroke: token("--color-muted"),
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font,
    labelFont: font,
  };
}

/** The time axis every chart draws: the axis style, labelled as the dashboard's clocks read. */
export function timeAxis(): uPlot.Axis {
  return { ...axisStyle(), values: (_u, splits) => timeLabels(splits) };
}

/**
 * Draws a plot in `container` (call it from `onMount`): `update` runs in an effect, so the plot
 * takes new data (and the container its description) whenever what `update` reads changes.
 */
export function mountPlot(
  container: HTMLDivElement,
  height: number,
  options: Omit<uPlot.Options, "width" | "height">,
  empty: uPlot.AlignedData,
  update: (plot: uPlot) => void,
): void {
  const width = () => Math.max(MIN_WIDTH, container.clientWidth);
  const plot = new uPlot(
    {
      width: width(),
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true },
      ...options,
    },
    empty,
    container,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height }));
  resize.observe(container);
  createEffect(() => update(plot));
  onCleanup(() => {
    resize.disconnect();
    plot.destroy();
  });
}
