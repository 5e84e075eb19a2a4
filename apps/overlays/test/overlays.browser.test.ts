/**
 * The overlays in a real browser against a real hub: Debian's Chromium (playwright-core) opens the
 * pages the hub serves from `dist/`, and the tests drive the hub as its producers do — Twitch
 * events and stream commands over REST, transcriptions over the socket — then watch the pages'
 * `data-state` attributes and debug hook. Needs `bun run build` first (turbo's test task does it).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { createClient } from "@landale/client";
import { type StreamState, TRANSCRIPTION_LIVE, type TranscriptionInput } from "@landale/shared";
import { launchBrowser } from "@landale/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  follow,
  type HubProcess,
  hookOf,
  layerElement,
  openPage,
  raid,
  screenshot,
  startHubProcess,
  statesOf,
  waitForIdle,
  waitForLayer,
  waitForOmnibarToMatchHub,
} from "./support";

/** Per test and hook: a hub start (PGlite migrations) takes seconds on a busy machine. */
const TIMEOUT_MS = 60_000;
setDefaultTimeout(TIMEOUT_MS);
/** Each layer's full life, as the orchestrator walks it when nothing interrupts. */
const ENTER_HOLD_EXIT = ["entering", "active", "exiting", "hidden"];

let browser: Browser;
let hub: HubProcess;
const contexts = new Set<BrowserContext>();
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  hub = await startHubProcess();
}, TIMEOUT_MS);

afterEach(async () => {
  // Everything runs even when a step fails; the first failure is reported after.
  const closed = await Promise.allSettled([...contexts].map((context) => context.close()));
  contexts.clear();
  const cleaned: PromiseSettledResult<void>[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    cleaned.push(...(await Promise.allSettled([cleanup()])));
  }
  const failure = [...closed, ...cleaned].find((result) => result.status === "rejected");
  if (failure !== undefined) throw failure.reason;
}, TIMEOUT_MS);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), hub?.stop()]);
}, TIMEOUT_MS);

async function open(on: HubProcess, name: Parameters<typeof openPage>[2]): Promise<Page> {
  const { context, page } = await openPage(browser, on, name, { record: "transitions" });
  contexts.add(context);
  return page;
}

describe("/overlays/omnibar", () => {
  it("shows a follow: it enters, holds while the hub shows it, exits, and joins the timeline", async () => {
    const page = await open(hub, "omnibar");
    // The ticker the hub starts with renders: its data parsed with the contract's schema.
    await waitForLayer(page, "background", ["active"]);
    expect(await page.locator('[data-layer="background"] [data-panel="ticker"]').count()).toBe(1);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      "rgba(0, 0, 0, 0)",
    );

    await hub.post("/api/events", follow("Ada_Lovelace"));
    await waitForLayer(page, "foreground", ["active"], "Ada_Lovelace");
    expect(await layerElement(page, "foreground")).toMatchObject({
      kind: "alert",
      type: "channel.follow",
    });
    // The alert has the stage to itself while it holds: the ticker is covered.
    expect((await hookOf(page)).layers.background).toBeOneOf(["interrupted", "hidden"]);
    await screenshot(page, "omnibar");

    await waitForLayer(page, "foreground", ["hidden"]);
    expect(await statesOf(page, "foreground")).toEqual(ENTER_HOLD_EXIT);
    // Gone from the hub's state too: the page shows what the hub says.
    expect((await hub.get<StreamState>("/api/stream/state")).layers.foreground).toBeNull();

    // Then the midground has the stage: the timeline of recent interactions, newest first.
    await waitForLayer(page, "midground", ["active"], "Ada_Lovelace");
    expect(await layerElement(page, "midground")).toMatchObject({ kind: "timeline" });
    await waitForIdle(page);
    expect(await hookOf(page)).toMatchObject({ tweens: 0, timers: 0 });
  });

  it("shows queued alerts one after another, re-animating for each", async () => {
    const page = await open(hub, "omnibar");
    await hub.post("/api/events", [follow("Queued_One"), follow("Queued_Two")]);
    await waitForLayer(page, "foreground", ["active"], "Queued_One");
    await hub.post("/api/stream/queue/skip");
    await waitForLayer(page, "foreground", ["active"], "Queued_Two");
    await hub.post("/api/stream/queue/skip");
    await waitForLayer(page, "foreground", ["hidden"]);
    // Exit-then-enter for the second alert, never a cross-fade.
    expect(await statesOf(page, "foreground")).toEqual([
      "entering",
      "active",
      "exiting",
      "entering",
      "active",
      "exiting",
      "hidden",
    ]);
    await waitForIdle(page);
  });
});

describe("/overlays/takeover", () => {
  it("covers the screen when a takeover starts, and uncovers when it is cleared", async () => {
    const page = await open(hub, "takeover");
    expect((await layerElement(page, "foreground")).state).toBe("hidden");

    await hub.post("/api/stream/takeover", { type: "technical-difficulties" });
    cleanups.push(() => clearTakeover(hub));
    await waitForLayer(page, "foreground", ["active"], "Technical difficulties");
    expect((await layerElement(page, "foreground")).type).toBe("technical-difficulties");
    await waitForIdle(page);
    await screenshot(page, "takeover");

    await hub.delete("/api/stream/takeover");
    await waitForLayer(page, "foreground", ["hidden"]);
    expect(await statesOf(page, "foreground")).toEqual(ENTER_HOLD_EXIT);
    expect(await page.locator("[data-cover]").count()).toBe(0);
    await waitForIdle(page);
  });

  it("covers at once, without animating in, when the page loads during a takeover", async () => {
    await hub.post("/api/stream/takeover", {
      type: "please-stand-by",
      message: "Back after this scene change",
    });
    cleanups.push(() => clearTakeover(hub));
    const page = await open(hub, "takeover");
    await waitForLayer(page, "foreground", ["active"], "Back after this scene change");
    expect(await statesOf(page, "foreground")).not.toContain("entering");
    expect((await hookOf(page)).tweens).toBe(0);

    await hub.delete("/api/stream/takeover");
    await waitForLayer(page, "foreground", ["hidden"]);
    await waitForIdle(page);
  });

  it("fits the longest custom message, and a word longer than a line, on the 1920×1080 canvas", async () => {
    // 473 characters, the last 200 one unbroken link: longer than a line at any size.
    const longest = `${"Back soon, boss attempts after dinner. ".repeat(7)}https://example.com/${"x".repeat(180)}`;
    await hub.post("/api/stream/takeover", { type: "custom", message: longest });
    cleanups.push(() => clearTakeover(hub));
    const page = await open(hub, "takeover");
    await waitForLayer(page, "foreground", ["active"]);
    await waitForIdle(page);

    const title = await page.locator('[data-part="title"]').evaluate((element) => {
      const box = element.getBoundingClientRect();
      return {
        top: box.top,
        bottom: box.bottom,
        left: box.left,
        right: box.right,
        size: element.getAttribute("data-size"),
      };
    });
    expect(title.size).toBe("smallest");
    expect(title.top).toBeGreaterThanOrEqual(0);
    expect(title.bottom).toBeLessThanOrEqual(1080);
    expect(title.left).toBeGreaterThanOrEqual(0);
    expect(title.right).toBeLessThanOrEqual(1920);
    await screenshot(page, "takeover-longest");
  });
});

describe("/overlays/alerts", () => {
  it("puts a raid on the full-screen stage and takes it down when it is skipped", async () => {
    const page = await open(hub, "alerts");
    await hub.post("/api/events", raid("Grace_Hopper", 1234));
    await waitForLayer(page, "foreground", ["active"], "Grace_Hopper");
    expect(await layerElement(page, "foreground")).toMatchObject({ type: "channel.raid" });
    expect((await layerElement(page, "foreground")).text).toContain("1,234");
    await waitForIdle(page);
    await screenshot(page, "alerts");

    await hub.post("/api/stream/queue/skip");
    await waitForLayer(page, "foreground", ["hidden"]);
    expect(await statesOf(page, "foreground")).toEqual(ENTER_HOLD_EXIT);
    await waitForIdle(page);
  });
});

describe("/overlays/captions", () => {
  it("shows submitted transcriptions, newest last, and lets each fade out", async () => {
    const page = await open(hub, "captions");
    const worker = createClient({ url: `${hub.url.replace(/^http/, "ws")}/socket` });
    cleanups.push(async () => worker.close());
    const submit = (text: string) => {
      const segment: TranscriptionInput = {
        session_id: "overlay-test",
        ts: new Date().toISOString(),
        duration_ms: 1800,
        text,
      };
      return worker.push(TRANSCRIPTION_LIVE, "submit_transcription", segment);
    };

    expect(await submit("Welcome back, everyone.")).toMatchObject({ status: "ok" });
    expect(await submit("Today we are building the overlays.")).toMatchObject({ status: "ok" });
    await page.waitForFunction(() => {
      const lines = [...document.querySelectorAll<HTMLElement>("[data-caption]")];
      const newest = lines.at(-1);
      // Read once the newest has (about) faded in.
      return (
        lines.length === 2 &&
        newest !== undefined &&
        Number(getComputedStyle(newest).opacity) > 0.95
      );
    });
    const lines = await page
      .locator("[data-caption]")
      .evaluateAll((elements) =>
        elements.map((element) => [element.textContent, (element as HTMLElement).dataset.newest]),
      );
    expect(lines).toEqual([
      ["Welcome back, everyone.", "false"],
      ["Today we are building the overlays.", "true"],
    ]);
    await screenshot(page, "captions");

    // Each line leaves when its fade has run its course, and takes its timeline with it.
    await page.waitForSelector("[data-caption]", { state: "detached", timeout: 20_000 });
    await waitForIdle(page);
    expect((await hookOf(page)).tweens).toBe(0);
  });
});

describe("a hub restart", () => {
  it("mid-alert: the page reconnects by itself and shows what the hub shows, without a reload", async () => {
    const restarted = await startHubProcess();
    cleanups.push(() => restarted.stop());
    const page = await open(restarted, "omnibar");
    await page.evaluate(() => {
      document.documentElement.dataset.loadedOnce = "yes";
    });

    await restarted.post("/api/events", [raid("Raider_Before", 42), follow("Follow_Waiting")]);
    await waitForLayer(page, "foreground", ["active"], "Raider_Before");

    await restarted.kill();
    await page.waitForFunction(() => window.__landale?.connection()?.state !== "open");
    await restarted.start();
    await page.waitForFunction(() => window.__landale?.connection()?.state === "open", undefined, {
      timeout: 30_000,
    });

    // Whatever the hub restored (the raid, the follow after it, or neither if their time ran out
    // during the outage), the page settles on the same.
    await waitForOmnibarToMatchHub(page, restarted);
    expect(await page.evaluate(() => document.documentElement.dataset.loadedOnce)).toBe("yes");
    expect((await hookOf(page)).connection).toMatchObject({ state: "open", invalid: 0 });

    // And it follows live changes again.
    await restarted.post("/api/stream/queue/clear");
    await skipIfShowing(restarted);
    await restarted.post("/api/events", follow("Follow_After"));
    await waitForLayer(page, "foreground", ["active"], "Follow_After");
    await skipIfShowing(restarted);
    await waitForLayer(page, "foreground", ["hidden"]);
    await waitForOmnibarToMatchHub(page, restarted);
    await waitForIdle(page);
  });
});

/** Skips the alert showing, if one still is (it may have run out on its own meanwhile). */
async function skipIfShowing(on: HubProcess): Promise<void> {
  try {
    await on.post("/api/stream/queue/skip");
  } catch (error) {
    if (!String(error).includes("nothing_showing")) throw error;
  }
}

async function clearTakeover(on: HubProcess): Promise<void> {
  const state = await on.get<StreamState>("/api/stream/state");
  if (state.takeover !== null) await on.delete("/api/stream/takeover");
}
