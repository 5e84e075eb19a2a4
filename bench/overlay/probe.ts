/**
 * What the bench runs inside the overlay page, installed before the page's own scripts
 * (`page.addInitScript`): a `requestAnimationFrame` loop noting each frame's time and whether a
 * GSAP tween was running in it, and, per alert the driver announces with `expect(marker)`, when
 * the page received the state naming it, when the foreground layer's `data-state` became
 * `entering`, and when GSAP first wrote a visible opacity on it (the first animated frame). Times
 * are milliseconds since the epoch on the page's clock (`performance.timeOrigin + now()`).
 *
 * The bench has no DOM types (bench/tsconfig.json), so the page's globals are described here, as
 * far as the probe uses them. The function must stay self-contained: Playwright sends its source.
 */

/** Frames kept at most: ten minutes at 60 Hz. */
export const MAX_FRAMES = 36_000;

export interface AlertTimes {
  marker: string;
  /** The page's socket delivered a `stream_state` naming the marker. */
  receivedAt: number | null;
  /** The foreground's `data-state` became `entering`. */
  enteringAt: number | null;
  /** GSAP set an opacity above 0 on the entering foreground: the first animated frame. */
  visibleAt: number | null;
}

export interface FrameLog {
  /** rAF timestamps (page clock, ms since the page's time origin). */
  times: number[];
  /** 1 where a GSAP tween or timeline was alive in that frame. */
  animating: number[];
}

export interface Probe {
  /** Starts noting frames (clearing any noted before). */
  startFrames(): void;
  stopFrames(): FrameLog;
  /** The next alert to time: its marker appears in the state that brings it. */
  expect(marker: string): void;
  alerts(): AlertTimes[];
  now(): number;
}

interface PageElement {
  dataset: Record<string, string | undefined>;
  style: { opacity: string };
}

interface PageGlobals {
  document: object;
  performance: { now(): number; timeOrigin: number };
  requestAnimationFrame(callback: (time: number) => void): number;
  MutationObserver: new (
    callback: (records: { target: PageElement; attributeName: string | null }[]) => void,
  ) => { observe(target: object, options: object): void };
  WebSocket: new (
    ...args: never[]
  ) => { addEventListener(type: "message", listener: (event: { data: unknown }) => void): void };
  __landale?: { activeTweens(): number };
  __probe?: Probe;
}

export interface ProbeOptions {
  maxFrames: number;
  /** The push that carries the stream state (`PUSH.streamState`): the probe cannot import it. */
  stateEvent: string;
}

/** Installs `window.__probe`. Runs in the page. */
export function installProbe({ maxFrames, stateEvent }: ProbeOptions): void {
  const page = globalThis as unknown as PageGlobals;
  const epochNow = () => page.performance.timeOrigin + page.performance.now();

  const frameTimes = new Float64Array(maxFrames);
  const frameAnimating = new Uint8Array(maxFrames);
  let frames = 0;
  let noting = false;
  const onFrame = (time: number) => {
    if (noting && frames < maxFrames) {
      frameTimes[frames] = time;
      frameAnimating[frames] = (page.__landale?.activeTweens() ?? 0) > 0 ? 1 : 0;
      frames++;
    }
    page.requestAnimationFrame(onFrame);
  };
  page.requestAnimationFrame(onFrame);

  const alerts: AlertTimes[] = [];
  let current: AlertTimes | null = null;

  // The page's socket: note when the state naming the expected alert arrives.
  const stateFrame = JSON.stringify(stateEvent);
  const NativeWebSocket = page.WebSocket;
  page.WebSocket = class extends NativeWebSocket {
    constructor(...args: never[]) {
      super(...args);
      this.addEventListener("message", (event) => {
        const alert = current;
        if (alert === null || alert.receivedAt !== null || typeof event.data !== "string") return;
        if (event.data.includes(stateFrame) && event.data.includes(alert.marker)) {
          alert.receivedAt = epochNow();
        }
      });
    }
  };

  new page.MutationObserver((records) => {
    const alert = current;
    if (alert === null) return;
    for (const record of records) {
      const { dataset, style } = record.target;
      if (dataset.layer !== "foreground" || dataset.state !== "entering") continue;
      alert.enteringAt ??= epochNow();
      if (alert.visibleAt === null && Number(style.opacity || "0") > 0)
        alert.visibleAt = epochNow();
    }
  }).observe(page.document, {
    subtree: true,
    attributes: true,
    attributeFilter: ["data-state", "style"],
  });

  page.__probe = {
    startFrames() {
      frames = 0;
      noting = true;
    },
    stopFrames() {
      noting = false;
      return {
        times: Array.from(frameTimes.subarray(0, frames)),
        animating: Array.from(frameAnimating.subarray(0, frames)),
      };
    },
    expect(marker) {
      current = { marker, receivedAt: null, enteringAt: null, visibleAt: null };
      alerts.push(current);
    },
    alerts: () => alerts.map((alert) => ({ ...alert })),
    now: epochNow,
  };
}
