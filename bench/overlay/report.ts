/** Turns overlay results into tables, a verdict on each target, and a section of docs/BENCHMARKS.md. */
import type { Machine } from "../lib/machine";
import type { Latency } from "../lib/percentiles";
import {
  count,
  markdownTable,
  ms,
  percent,
  sectionMarkers,
  type TargetVerdict,
  targetsTable,
} from "../lib/report";
import type { Options } from "./options";
import { DISTURBED_CORES, isDisturbed, type ScenarioResult } from "./scenario";

export const TARGETS = {
  /** p99 of frame-to-frame time while an alert animates, ms. */
  frameP99Ms: 20,
  /** p99 of event POST → first animated frame, ms. */
  eventToFrameP99Ms: 100,
} as const;

export const DOCS_MARKERS = sectionMarkers("overlay", "bun run bench:overlay");

/** Where the figures came from, besides the machine. */
export interface RunContext {
  machine: Machine;
  chromium: string;
  chromiumArgs: readonly string[];
  revision: string | null;
}

export function evaluateTargets(results: readonly ScenarioResult[]): TargetVerdict[] {
  return results.flatMap((result) => [
    {
      target: `${result.page}: p99 frame ≤ ${TARGETS.frameP99Ms} ms while alerts animate`,
      measured: `${ms(result.frames.animating.p99)} ms`,
      met: result.frames.animating.p99 <= TARGETS.frameP99Ms,
    },
    {
      target: `${result.page}: event → first animated frame p99 ≤ ${TARGETS.eventToFrameP99Ms} ms`,
      measured:
        `${ms(result.eventToFrame.p99)} ms` +
        (result.missed > 0 ? ` (${result.missed} alerts not seen)` : ""),
      met: result.eventToFrame.p99 <= TARGETS.eventToFrameP99Ms && result.missed === 0,
    },
  ]);
}

const spread = (latency: Latency) => `${ms(latency.p50)} / ${ms(latency.p99)} / ${ms(latency.max)}`;

export function latencyTable(results: readonly ScenarioResult[]): string {
  return markdownTable(
    [
      "page",
      "alerts",
      "event → first frame",
      "POST → 202 (committed)",
      "POST → page has it",
      "page has it → entering",
      "entering → first frame",
    ],
    results.map((result) => [
      result.page,
      count(result.alerts),
      `**${spread(result.eventToFrame)}**`,
      spread(result.stages.committed),
      spread(result.stages.delivered),
      spread(result.stages.rendered),
      spread(result.stages.firstFrame),
    ]),
  );
}

export function framesTable(results: readonly ScenarioResult[]): string {
  const cores = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)} %`);
  return markdownTable(
    [
      "page",
      "frames animating",
      "p50 / p99 / max ms",
      "> 20 ms",
      "> 2 vsyncs",
      "all frames p99 ms",
      "seconds",
      "machine CPU",
      "bench CPU",
      "other processes",
    ],
    results.map((result) => {
      const { animating, all } = result.frames;
      return [
        result.page,
        count(animating.samples),
        `**${spread(animating)}**`,
        `${count(animating.over20)} (${percent(animating.over20 / Math.max(1, animating.samples))})`,
        count(animating.overTwoVsyncs),
        ms(all.p99),
        result.frames.seconds.toFixed(0),
        result.machineCpu.machine === null ? "–" : `${result.machineCpu.machine.busy.toFixed(0)} %`,
        cores(result.machineCpu.ownCores),
        cores(result.machineCpu.foreignCores),
      ];
    }),
  );
}

export function verdictsTable(verdicts: readonly TargetVerdict[]): string {
  return targetsTable(verdicts, "measured");
}

export function disturbanceNote(results: readonly ScenarioResult[]): string | null {
  const disturbed = results.filter(isDisturbed).map((result) => result.page);
  if (disturbed.length === 0) return null;
  return (
    `Caution: other processes used more than ${DISTURBED_CORES * 100} % of a core while ` +
    `${disturbed.join(", ")} was measured; those figures include their interference.`
  );
}

export function docsSection(
  run: RunContext,
  options: Options,
  results: readonly ScenarioResult[],
  verdicts: readonly TargetVerdict[],
): string {
  const { machine } = run;
  const clock = results
    .map((r) => `${r.page} ${ms(r.clock.offsetMs)} ± ${ms(r.clock.uncertaintyMs)} ms`)
    .join(", ");
  return [
    DOCS_MARKERS.begin,
    "## Overlay (`bun run bench:overlay`)",
    "",
    "The overlays in Chromium at 1920×1080 (the OBS browser-source size) against the real hub",
    "(`bun apps/server/src/main.ts`, PGlite, default 50 ms batch window) serving the built pages.",
    "Each alert goes in as a Twitch event (`POST /api/events`), is held until the page shows it,",
    "then skipped (`POST /api/stream/queue/skip`) so it animates out; the next is posted once the",
    "page is at rest. The omnibar gets follows, subs, resubs, small cheers and gifts in turn; the",
    "full-screen stage (`/overlays/alerts`) raids and 1,000-bit cheers.",
    "",
    "Command: `bun run bench:overlay` (`--quick` for a fast check, `--help` for overrides).",
    "",
    `- Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Linux ${machine.kernel}, Bun ${machine.bun}`,
    `- Browser: ${run.chromium}, headless, \`${run.chromiumArgs.join(" ")}\` — no GPU, so every frame is rastered and composited in software on these two cores`,
    `- Measured: ${machine.date}${run.revision === null ? "" : ` at ${run.revision}`}`,
    `- Per page: ${count(options.alerts)} measured alerts after 3 unmeasured ones`,
    "",
    "Event → first animated frame, and where the time goes (p50 / p99 / max, ms):",
    "",
    latencyTable(results),
    "",
    "Frame-to-frame times (rAF), while a GSAP tween is alive and over the whole run:",
    "",
    framesTable(results),
    "",
    disturbanceNote(results) ?? "",
    "",
    verdictsTable(verdicts),
    "",
    "How it is measured:",
    "- A probe installed before the page's scripts (`bench/overlay/probe.ts`) notes every",
    "  `requestAnimationFrame` timestamp and whether a GSAP tween was alive then",
    "  (`window.__landale.activeTweens()`); a frame counts as animating when one was alive at",
    "  either end of it. 16.7 ms is one 60 Hz vsync; more means the page missed one.",
    "- The driver stamps `performance.timeOrigin + performance.now()` just before the POST. The",
    "  probe stamps, on the page's clock, when the page's socket delivered the `stream_state`",
    "  naming the alert, when the foreground layer's `data-state` became `entering`, and when GSAP",
    "  first wrote an opacity above 0 on it (a MutationObserver on its `style`): the first",
    "  animated frame. That frame is then rastered and presented, which adds up to one more",
    "  frame that is not counted here.",
    `- Page times are moved onto the driver's clock by the offset measured before each page (${clock}).`,
    "- The hub and Chromium run on the same machine as the driver; machine CPU is /proc/stat's busy",
    "  share of all cores during the measured alerts, bench CPU the driver's, the hub's and",
    "  Chromium's processes (in shares of one core), and other processes what was left. Each page",
    "  waits (up to a minute) for the machine to be quiet first, and is measured again (once by",
    `  default) when other processes took more than ${DISTURBED_CORES * 100} % of a core; the quietest attempt is kept.`,
    DOCS_MARKERS.end,
  ]
    .filter((line, index, lines) => !(line === "" && lines[index - 1] === ""))
    .join("\n");
}
