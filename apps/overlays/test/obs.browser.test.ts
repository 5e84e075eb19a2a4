/**
 * The omnibar follows OBS's scene: a real hub started with `LANDALE_OMNIBAR_HIDDEN_SCENES`, OBS's
 * scene changes posted as the OBS integration ingests them (`obs.scene.changed`), and the omnibar
 * in Chromium, watched through its `data-visibility` attribute, its computed style and its debug
 * hook. Needs `bun run build` first.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { StreamState } from "@landale/shared";
import { launchBrowser } from "@landale/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  follow,
  type HubProcess,
  hookOf,
  openPage,
  screenshot,
  startHubProcess,
  waitForIdle,
  waitForLayer,
} from "./support";

/** Per test and hook: a hub start (PGlite migrations) takes seconds on a busy machine. */
const TIMEOUT_MS = 60_000;
setDefaultTimeout(TIMEOUT_MS);

let browser: Browser;
let hub: HubProcess;
const contexts = new Set<BrowserContext>();
/** Uncaught errors in the pages: none is expected, ever. */
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  hub = await startHubProcess({ LANDALE_OMNIBAR_HIDDEN_SCENES: "BRB, Starting Soon" });
}, TIMEOUT_MS);

afterEach(async () => {
  await Promise.allSettled([...contexts].map((context) => context.close()));
  contexts.clear();
  // Each test starts on a scene that shows the omnibar.
  await switchScene("Game");
}, TIMEOUT_MS);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), hub?.stop()]);
}, TIMEOUT_MS);

declare global {
  interface Window {
    __visibility?: string[];
  }
}

/** Runs in the page before its scripts: notes each change of the omnibar's `data-visibility`. */
function watchVisibility(): void {
  const seen: string[] = [];
  window.__visibility = seen;
  new MutationObserver((records) => {
    for (const record of records) {
      const { visibility } = (record.target as HTMLElement).dataset;
      if (visibility !== undefined && visibility !== seen.at(-1)) seen.push(visibility);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-visibility"] });
}

async function openOmnibar(): Promise<Page> {
  const { context, page } = await openPage(browser, hub, "omnibar", {
    prepare: async (tab) => {
      tab.on("pageerror", (error) => pageErrors.push(error.message));
      await tab.addInitScript(watchVisibility);
    },
  });
  contexts.add(context);
  return page;
}

/** OBS's program scene changed, as the OBS integration ingests it; resolves once it is stored. */
async function switchScene(scene: string): Promise<void> {
  await hub.post("/api/events", { type: "obs.scene.changed", data: { scene_name: scene } });
}

/** Waits until the omnibar rests in `state` (`shown` or `hidden`). */
async function waitForVisibility(page: Page, state: "shown" | "hidden"): Promise<void> {
  await page.waitForFunction(
    (state) => document.querySelector<HTMLElement>("[data-omnibar]")?.dataset.visibility === state,
    state,
  );
}

/** The omnibar's computed opacity and visibility: what OBS composites. */
function omnibarStyle(page: Page): Promise<{ opacity: string; visibility: string }> {
  return page.evaluate(() => {
    const element = document.querySelector<HTMLElement>("[data-omnibar]");
    if (element === null) throw new Error("the page has no omnibar");
    const { opacity, visibility } = getComputedStyle(element);
    return { opacity, visibility };
  });
}

const visibilityHistory = (page: Page) => page.evaluate(() => window.__visibility ?? []);

describe("/overlays/omnibar on OBS's scenes", () => {
  it("hides on a listed scene, keeps its layers going underneath, and shows again on another", async () => {
    const page = await openOmnibar();
    await waitForLayer(page, "background", ["active"]);
    expect(await omnibarStyle(page)).toEqual({ opacity: "1", visibility: "visible" });

    await switchScene("BRB");
    await waitForVisibility(page, "hidden");
    expect(await visibilityHistory(page)).toEqual(["hiding", "hidden"]);
    expect(await omnibarStyle(page)).toEqual({ opacity: "0", visibility: "hidden" });
    const hidden = StreamState.parse(await hub.get("/api/stream/state"));
    expect(hidden.obs.scene).toBe("BRB");
    expect(hidden.omnibar).toEqual({ hidden: true, reason: "scene" });

    // An alert still takes its turn underneath; the bar stays down.
    await hub.post("/api/events", follow("Hidden_Follower"));
    await waitForLayer(page, "foreground", ["active"], "Hidden_Follower");
    expect(await omnibarStyle(page)).toEqual({ opacity: "0", visibility: "hidden" });

    await switchScene("Game");
    await waitForVisibility(page, "shown");
    expect(await visibilityHistory(page)).toEqual(["hiding", "hidden", "showing", "shown"]);
    expect(await omnibarStyle(page)).toEqual({ opacity: "1", visibility: "visible" });
    expect(StreamState.parse(await hub.get("/api/stream/state")).omnibar.hidden).toBe(false);
    await screenshot(page, "omnibar-shown-after-brb");

    // Every tween and timer the hide and show started is gone once the page rests.
    await waitForForegroundGone(page);
    await waitForIdle(page);
    expect(await hookOf(page)).toMatchObject({ tweens: 0, timers: 0 });
    expect(pageErrors).toEqual([]);
  });

  it("opens already hidden on a listed scene, in any case, without animating out", async () => {
    await switchScene("starting soon");
    const page = await openOmnibar();
    await waitForVisibility(page, "hidden");
    expect(await visibilityHistory(page)).toEqual(["hidden"]);
    expect(await omnibarStyle(page)).toEqual({ opacity: "0", visibility: "hidden" });

    await switchScene("Game");
    await waitForVisibility(page, "shown");
    expect(await visibilityHistory(page)).toEqual(["hidden", "showing", "shown"]);
    await waitForIdle(page);
    expect(await hookOf(page)).toMatchObject({ tweens: 0, timers: 0 });
    expect(pageErrors).toEqual([]);
  });
});

/** Waits until the alert posted while hidden has left the foreground. */
async function waitForForegroundGone(page: Page): Promise<void> {
  await waitForLayer(page, "foreground", ["hidden"]);
}
