/**
 * Now playing from Rainwave on the omnibar, as a streamer sets it up: a real hub whose
 * `RAINWAVE_*` settings point at a fake Rainwave server (its `info` API over real HTTP), and the
 * omnibar in Chromium. Tuned in, the song joins the ticker; tuned out, it leaves it (at the hub's
 * next poll, up to 10 s later). Needs `bun run build` first.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import type { StreamState } from "@landale/shared";
import { type FakeRainwave, launchBrowser, startFakeRainwave } from "@landale/testkit";
import type { Browser, BrowserContext } from "playwright-core";
import { type HubProcess, layerElement, openPage, startHubProcess, waitForLayer } from "./support";

const TIMEOUT_MS = 60_000;
/** The hub polls Rainwave every 10 s; a change shows at the next poll. */
const POLL_WAIT_MS = 25_000;
setDefaultTimeout(TIMEOUT_MS);

const USER_ID = 4242;
const KEY = "rainwave-key-for-the-omnibar-test";

let browser: Browser;
let hub: HubProcess;
let rainwave: FakeRainwave;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  rainwave = startFakeRainwave({ userId: USER_ID, apiKey: KEY });
  rainwave.play(3, {
    title: "Dancing Mad",
    artists: ["Nobuo Uematsu"],
    album: "Final Fantasy VI",
    length: 600,
  });
  rainwave.tune(3);
  browser = await launchBrowser();
  hub = await startHubProcess({
    RAINWAVE_USER_ID: String(USER_ID),
    RAINWAVE_API_KEY: KEY,
    RAINWAVE_STATION: "3",
    RAINWAVE_API_URL: rainwave.apiUrl,
  });
}, TIMEOUT_MS);

afterAll(async () => {
  await Promise.allSettled(contexts.map((context) => context.close()));
  await Promise.allSettled([browser?.close(), hub?.stop(), rainwave?.stop()]);
}, TIMEOUT_MS);

describe("now playing from Rainwave", () => {
  it("shows the song on the omnibar while the streamer is tuned in, and drops it when they tune out", async () => {
    const opened = await openPage(browser, hub, "omnibar", {
      prepare: (tab) => tab.on("pageerror", (error) => pageErrors.push(error.message)),
    });
    contexts.push(opened.context);
    const { page } = opened;

    // A new song goes on the ticker at once, for a full turn.
    await waitForLayer(page, "background", ["active", "interrupted"], "Dancing Mad");
    expect(await layerElement(page, "background")).toMatchObject({ type: "ticker.now_playing" });
    expect((await hub.get<StreamState>("/api/stream/state")).ticker.items).toContain("now_playing");

    rainwave.tune(null);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-layer="background"]')?.getAttribute("data-type") !==
        "ticker.now_playing",
      undefined,
      { timeout: POLL_WAIT_MS },
    );
    expect((await hub.get<StreamState>("/api/stream/state")).ticker.items).not.toContain(
      "now_playing",
    );
    expect(pageErrors).toEqual([]);
  });
});
