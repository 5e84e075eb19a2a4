/**
 * One overlay page under measurement: open it at 1920×1080 in Chromium with the probe installed,
 * then for each alert wait until the page is at rest, stamp the time, POST the event, wait until
 * the page holds it, and skip it so it exits. The probe notes every frame and, per alert, when the
 * page received it, when the foreground began entering and when it first moved.
 */
import { PUSH } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import type { launchBrowser } from "../../packages/testkit/src/index";
import { type Latency, latencyOf } from "../lib/percentiles";
import { totalCpuMicros } from "../lib/process-stats";
import { type CpuWindow, closeCpuWindow, openCpuWindow } from "../lib/system-cpu";
import type { BenchHub } from "./hub";
import { type AlertTimes, type FrameLog, installProbe, MAX_FRAMES, type Probe } from "./probe";
import { descendantPids } from "./processes";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

export const PAGE_NAMES = ["omnibar", "alerts"] as const;
export type PageName = (typeof PAGE_NAMES)[number];

/** The OBS browser-source size. */
const VIEWPORT = { width: 1920, height: 1080 } as const;
const WARM_UP_ALERTS = 3;
/** How often the driver looks at the page while waiting (a timer, so frames stay the page's own). */
const POLL_MS = 20;
const WAIT_TIMEOUT_MS = 30_000;
const CLOCK_SAMPLES = 9;
/** A frame longer than this missed at least one 60 Hz vsync. */
const VSYNC_MS = 1000 / 60;
/** Cores' worth of other processes' CPU above which a measurement counts as disturbed. */
export const DISTURBED_CORES = 0.15;

/** What each page is given: the omnibar every kind of alert, the stage its big moments. */
const EVENT_TYPES: Record<PageName, readonly string[]> = {
  omnibar: [
    "channel.follow",
    "channel.subscribe",
    "channel.cheer",
    "channel.subscription.message",
    "channel.subscription.gift",
  ],
  alerts: ["channel.raid", "channel.cheer"],
};

export interface FrameStats extends Latency {
  /** Frames longer than 20 ms (the target), and than two vsyncs (a frame visibly dropped). */
  over20: number;
  overTwoVsyncs: number;
}

export interface ScenarioResult {
  page: PageName;
  alerts: number;
  /** POST stamped → first animated frame, per alert (the target). */
  eventToFrame: Latency;
  /** Where that time goes, per alert. */
  stages: {
    /** POST → 202 (validated, batched, committed). */
    committed: Latency;
    /** POST → the page's socket delivered the state naming the alert. */
    delivered: Latency;
    /** Delivered → the foreground's `data-state` became `entering`. */
    rendered: Latency;
    /** Entering → GSAP wrote the first visible opacity (the next rAF tick). */
    firstFrame: Latency;
  };
  /** Alerts whose first animated frame the probe did not see. */
  missed: number;
  /** Frame-to-frame times while a GSAP tween was alive, and over the whole run. */
  frames: { animating: FrameStats; all: FrameStats; seconds: number };
  /** The page's clock minus the driver's, and how sure that is (half the best round trip). */
  clock: { offsetMs: number; uncertaintyMs: number };
  machineCpu: CpuWindow;
}

export async function runScenario(
  browser: Browser,
  hub: BenchHub,
  page: PageName,
  alerts: number,
  runId: string,
): Promise<ScenarioResult> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const tab = await context.newPage();
    await tab.addInitScript(installProbe, { maxFrames: MAX_FRAMES, stateEvent: PUSH.streamState });
    await tab.goto(`${hub.url}/overlays/${page}`);
    await tab.waitForFunction(
      () => (globalThis as unknown as PageView).__landale?.connection()?.state === "open",
      undefined,
      { polling: POLL_MS, timeout: WAIT_TIMEOUT_MS },
    );
    const clock = await clockOffset(tab);

    const send = (index: number, marker: string) =>
      cycle(tab, hub, marker, alertEvent(page, index, marker, runId));
    for (let index = 0; index < WARM_UP_ALERTS; index++) {
      await send(index, `Warm${runId}${page}${pad(index)}`);
    }
    await atRest(tab);

    const cpuPids = await descendantPids(process.pid);
    const cpuBefore = await totalCpuMicros(cpuPids);
    const cpuWindow = await openCpuWindow();
    await tab.evaluate(() => (globalThis as unknown as PageView).__probe?.startFrames());
    const posted: { marker: string; postedAt: number; committedAt: number }[] = [];
    for (let index = 0; index < alerts; index++) {
      posted.push(await send(index, `Bench${runId}${page}${pad(index)}`));
    }
    await atRest(tab);
    const frameLog = await tab.evaluate(() =>
      (globalThis as unknown as PageView).__probe?.stopFrames(),
    );
    const machineCpu = await closeCpuWindow(cpuWindow, (await totalCpuMicros(cpuPids)) - cpuBefore);
    const seen = await tab.evaluate(
      () => (globalThis as unknown as PageView).__probe?.alerts() ?? [],
    );
    if (frameLog === undefined) throw new Error(`the probe is missing from /overlays/${page}`);
    return {
      page,
      alerts,
      ...alertLatencies(posted, seen, clock.offsetMs),
      frames: frameStats(frameLog),
      clock,
      machineCpu,
    };
  } finally {
    await context.close();
  }
}

/** The page's globals the driver's checks read (the bench has no DOM types). */
interface PageView {
  __probe?: Probe;
  __landale?: { connection(): { state: string } | null; activeTweens(): number };
  document: { querySelector(selector: string): { dataset: { state?: string } } | null };
}

/** One alert: at rest → stamp → POST → wait until it holds → skip it. */
async function cycle(page: Page, hub: BenchHub, marker: string, event: object) {
  await atRest(page);
  await page.evaluate((next) => (globalThis as unknown as PageView).__probe?.expect(next), marker);
  const postedAt = epochNow();
  await hub.send("POST", "/api/events", event);
  const committedAt = epochNow();
  await page.waitForFunction(
    () =>
      (globalThis as unknown as PageView).document.querySelector('[data-layer="foreground"]')
        ?.dataset.state === "active",
    undefined,
    { polling: POLL_MS, timeout: WAIT_TIMEOUT_MS },
  );
  await hub.send("POST", "/api/stream/queue/skip");
  return { marker, postedAt, committedAt };
}

/** Nothing animating and the foreground empty: the state an alert arrives to on a quiet stream. */
async function atRest(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const page = globalThis as unknown as PageView;
      const foreground = page.document.querySelector('[data-layer="foreground"]');
      return page.__landale?.activeTweens() === 0 && foreground?.dataset.state === "hidden";
    },
    undefined,
    { polling: POLL_MS, timeout: WAIT_TIMEOUT_MS },
  );
}

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The page's clock against the driver's, from the sample with the shortest round trip. */
async function clockOffset(page: Page): Promise<ScenarioResult["clock"]> {
  let best = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let sample = 0; sample < CLOCK_SAMPLES; sample++) {
    const before = epochNow();
    const pageNow = await page.evaluate(
      () => (globalThis as unknown as PageView).__probe?.now() ?? Number.NaN,
    );
    const after = epochNow();
    const uncertaintyMs = (after - before) / 2;
    if (uncertaintyMs < best.uncertaintyMs) {
      best = { offsetMs: pageNow - (before + after) / 2, uncertaintyMs };
    }
  }
  return best;
}

/** The event for alert `index` on `page`, with `marker` as the viewer's name. */
function alertEvent(page: PageName, index: number, marker: string, runId: string): object {
  const types = EVENT_TYPES[page];
  const type = types[index % types.length]!;
  const sample = TWITCH_SAMPLES[type as keyof typeof TWITCH_SAMPLES] as Record<string, unknown>;
  const viewer =
    type === "channel.raid"
      ? { from_broadcaster_user_name: marker, from_broadcaster_user_login: marker.toLowerCase() }
      : { user_name: marker, user_login: marker.toLowerCase() };
  // Small cheers are the omnibar's; 1,000 bits and up go on the full-screen stage.
  const bits = type === "channel.cheer" ? { bits: page === "alerts" ? 1_000 : 100 } : {};
  return {
    id: `bench-overlay-${runId}-${marker}`,
    type,
    data: { ...sample, ...viewer, ...bits },
  };
}

function pad(index: number): string {
  return String(index).padStart(5, "0");
}

function alertLatencies(
  posted: readonly { marker: string; postedAt: number; committedAt: number }[],
  seen: readonly AlertTimes[],
  offsetMs: number,
): Pick<ScenarioResult, "eventToFrame" | "stages" | "missed"> {
  const byMarker = new Map(seen.map((times) => [times.marker, times]));
  const spans = {
    eventToFrame: [] as number[],
    committed: [] as number[],
    delivered: [] as number[],
    rendered: [] as number[],
    firstFrame: [] as number[],
  };
  let missed = 0;
  for (const { marker, postedAt, committedAt } of posted) {
    const times = byMarker.get(marker);
    spans.committed.push(committedAt - postedAt);
    if (times?.visibleAt == null) {
      missed++;
      continue;
    }
    // Page times on the driver's clock.
    const onDriver = (at: number) => at - offsetMs;
    spans.eventToFrame.push(onDriver(times.visibleAt) - postedAt);
    if (times.receivedAt !== null) spans.delivered.push(onDriver(times.receivedAt) - postedAt);
    if (times.receivedAt !== null && times.enteringAt !== null) {
      spans.rendered.push(times.enteringAt - times.receivedAt);
    }
    if (times.enteringAt !== null) spans.firstFrame.push(times.visibleAt - times.enteringAt);
  }
  const of = (values: number[]) => latencyOf([Float64Array.from(values)]);
  return {
    eventToFrame: of(spans.eventToFrame),
    stages: {
      committed: of(spans.committed),
      delivered: of(spans.delivered),
      rendered: of(spans.rendered),
      firstFrame: of(spans.firstFrame),
    },
    missed,
  };
}

function frameStats(log: FrameLog): ScenarioResult["frames"] {
  const animating: number[] = [];
  const all: number[] = [];
  for (let index = 1; index < log.times.length; index++) {
    const delta = log.times[index]! - log.times[index - 1]!;
    all.push(delta);
    // A frame belongs to an animation when a tween was alive at either end of it.
    if (log.animating[index] === 1 || log.animating[index - 1] === 1) animating.push(delta);
  }
  const stats = (values: number[]): FrameStats => ({
    ...latencyOf([Float64Array.from(values)]),
    over20: values.filter((value) => value > 20).length,
    overTwoVsyncs: values.filter((value) => value > 2 * VSYNC_MS).length,
  });
  const first = log.times[0] ?? 0;
  const last = log.times.at(-1) ?? first;
  return { animating: stats(animating), all: stats(all), seconds: (last - first) / 1000 };
}

export function isDisturbed(result: ScenarioResult): boolean {
  return (result.machineCpu.foreignCores ?? 0) > DISTURBED_CORES;
}
