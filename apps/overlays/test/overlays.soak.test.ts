/**
 * Soak: 1,000 alerts through `/overlays/omnibar` against a real hub, then rest. The follows are
 * posted in batches of 100 and driven through the queue with `skip`, each skip waiting until the
 * page has received the state it made, so the page takes in every one of the 1,000 changes; every
 * 20th alert is let in until the page is animating it, every 100th until it holds, so enters,
 * exits, and enters cut short by the next skip all happen many times. At rest the page must hold
 * no more JS heap (after a forced GC) than it did at rest before, within 2 MB, and have no GSAP
 * tween and no timer left. The figures go to `test-output/soak.json`.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PUSH, type QueueState } from "@landale/shared";
import { launchBrowser } from "@landale/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  follow,
  type HubProcess,
  hookOf,
  openPage,
  startHubProcess,
  TEST_OUTPUT,
  waitForIdle,
  waitForLayer,
} from "./support";

/** The soak takes about half a minute on a quiet 2-core machine; this is its ceiling, not its pace. */
const SOAK_TIMEOUT_MS = 180_000;

const ALERTS = 1_000;
const WARM_UP_ALERTS = 20;
/** The hub's queue holds 200; a batch stays well inside it. */
const BATCH = 100;
/** Every this-many-th alert is let in until the page is animating it in. */
const SEEN_ENTERING_EVERY = 20;
/** Every this-many-th alert is let in until it holds. */
const SEEN_ACTIVE_EVERY = 100;
const HEAP_GROWTH_LIMIT = 2 * 1024 * 1024;
/** A subtree kept per alert would add thousands; content differences at rest add a few dozen. */
const DOM_NODE_SLACK = 200;
const LISTENER_SLACK = 20;
/** A state the page has not received this long after the hub answered is lost, not late. */
const RECEIVE_TIMEOUT_MS = 15_000;

let browser: Browser;
let hub: HubProcess;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
  hub = await startHubProcess();
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([context?.close(), browser?.close(), hub?.stop()]);
}, 60_000);

const STATE_FRAME = JSON.stringify(PUSH.streamState);

/** The last `stream_state` version the page's socket received, and how many it received. */
class ReceivedStates {
  version = -1;
  count = 0;
  #waiting: { version: number; resolve: () => void }[] = [];

  listen(page: Page): void {
    page.on("websocket", (socket) => {
      socket.on("framereceived", ({ payload }) => {
        if (typeof payload !== "string" || !payload.includes(STATE_FRAME)) return;
        // V2 JSON: [join_ref, ref, topic, event, payload].
        const message = JSON.parse(payload) as unknown[];
        if (message[3] !== PUSH.streamState) return;
        const state = message[4] as { version: number };
        this.count++;
        this.version = Math.max(this.version, state.version);
        this.#waiting = this.#waiting.filter((waiter) => {
          if (waiter.version > this.version) return true;
          waiter.resolve();
          return false;
        });
      });
    });
  }

  /** Resolves once the page has received `version` (or a later one); fails after `timeoutMs`. */
  reached(version: number, timeoutMs = RECEIVE_TIMEOUT_MS): Promise<void> {
    if (this.version >= version) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = this.#waiting.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`the page did not receive state ${version} (last ${this.version})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiting.push({ version, resolve: done });
    });
  }
}

interface HeapReading {
  usedBytes: number;
  nodes: number;
  listeners: number;
}

/** JS heap after a forced GC (CDP `HeapProfiler.collectGarbage`), and the DOM's counters. */
async function readHeap(page: Page): Promise<HeapReading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    // Twice: the first pass can leave garbage that only a finalizer released.
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    const dom = await cdp.send("Memory.getDOMCounters");
    return { usedBytes: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners };
  } finally {
    await cdp.detach();
  }
}

/** Posts `count` follows in batches and skips each one through, as the module comment says. */
async function drive(page: Page, received: ReceivedStates, first: number, count: number) {
  for (let batch = 0; batch < count; batch += BATCH) {
    const size = Math.min(BATCH, count - batch);
    const names = Array.from({ length: size }, (_, index) => `Soaker${first + batch + index}`);
    await hub.post(
      "/api/events",
      names.map((name) => follow(name)),
    );
    for (const [index, name] of names.entries()) {
      const nth = batch + index + 1;
      if (nth % SEEN_ACTIVE_EVERY === 0) await waitForLayer(page, "foreground", ["active"], name);
      else if (nth % SEEN_ENTERING_EVERY === 0) {
        await waitForLayer(page, "foreground", ["entering", "active"], name);
      }
      const { version } = await hub.post<{ version: number }>("/api/stream/queue/skip");
      await received.reached(version);
    }
  }
}

describe("/overlays/omnibar soak", () => {
  it(
    "carries 1,000 alerts and comes back to rest with nothing left behind",
    async () => {
      const received = new ReceivedStates();
      const opened = await openPage(browser, hub, "omnibar", {
        record: "enters",
        prepare: (page) => received.listen(page),
      });
      context = opened.context;
      const { page } = opened;
      await waitForIdle(page);
      const atLoad = await readHeap(page);

      // Warm up first, so what the first alerts allocate once (compiled code, GSAP's ticker, the
      // timeline on the midground) is in the baseline rather than counted as growth.
      await drive(page, received, 0, WARM_UP_ALERTS);
      await waitForLayer(page, "foreground", ["hidden"]);
      await waitForIdle(page);
      const atRest = await readHeap(page);
      const entersBefore = await page.evaluate(() => window.__enters ?? 0);
      const statesBefore = received.count;

      const started = performance.now();
      await drive(page, received, WARM_UP_ALERTS, ALERTS);
      const drivenMs = performance.now() - started;
      await waitForLayer(page, "foreground", ["hidden"]);
      await waitForIdle(page);
      const after = await readHeap(page);
      const hook = await hookOf(page);
      const queue = await hub.get<QueueState>("/api/stream/queue");

      const figures = {
        alerts: ALERTS,
        drivenSeconds: Math.round(drivenMs / 100) / 10,
        statesReceived: received.count - statesBefore,
        foregroundEnters: (await page.evaluate(() => window.__enters ?? 0)) - entersBefore,
        heap: { atLoad, atRest, after },
        heapGrowthBytes: after.usedBytes - atRest.usedBytes,
        hook,
      };
      mkdirSync(TEST_OUTPUT, { recursive: true });
      await Bun.write(join(TEST_OUTPUT, "soak.json"), `${JSON.stringify(figures, null, 2)}\n`);

      // Every alert went through: each skip found it showing, the hub dropped none, and the page
      // took in every change the skips made, none of them invalid.
      expect(queue).toMatchObject({ current: null, pending: [], dropped: 0 });
      expect(figures.statesReceived).toBeGreaterThanOrEqual(ALERTS);
      expect(hook.connection).toMatchObject({ state: "open", invalid: 0, dropped: 0 });
      // At rest: nothing animating, nothing pending, and nothing kept per alert.
      expect(hook.tweens).toBe(0);
      expect(hook.timers).toBe(0);
      expect(figures.heapGrowthBytes).toBeLessThanOrEqual(HEAP_GROWTH_LIMIT);
      expect(after.nodes).toBeLessThan(atRest.nodes + DOM_NODE_SLACK);
      expect(after.listeners).toBeLessThan(atRest.listeners + LISTENER_SLACK);
    },
    SOAK_TIMEOUT_MS,
  );
});
