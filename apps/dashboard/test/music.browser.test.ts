/**
 * Now playing from Rainwave in the dashboard's Layers view, in a real browser (Debian's Chromium
 * through playwright-core) against a real hub started as a child process and a fake Rainwave
 * (`startFakeRainwave`, api4 `info` over real HTTP): the streamer sees the song they hear, picks
 * another station and sees its song, and switches Rainwave off; the hub has recorded each change
 * as a `rainwave.update`. Needs `bun run build` first (turbo's test task does it).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ActivityPage, RainwaveUpdate } from "@landale/shared";
import {
  type FakeRainwave,
  type HubProcess,
  launchBrowser,
  spawnHub,
  startFakeRainwave,
} from "@landale/testkit";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

const HUB_MAIN = new URL("../../server/src/main.ts", import.meta.url).pathname;
const BUILT = new URL("../dist/index.html", import.meta.url).pathname;
const OUTPUT = new URL("../test-output/", import.meta.url).pathname;
const TOKEN = "dashboard-music-test-token";
const USER_ID = 777;
const KEY = "a-rainwave-key-for-the-browser-test";
const WAIT_MS = 20_000;

setDefaultTimeout(60_000);

let fake: FakeRainwave;
let hub: HubProcess;
let browser: Browser | null = null;
let page: Page;
const pageErrors: string[] = [];

async function updates(): Promise<RainwaveUpdate[]> {
  const response = await fetch(`${hub.url}/api/activity/events?type=rainwave.update&limit=100`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const page = (await response.json()) as ActivityPage;
  return [...page.events].reverse().map((event) => event.data as RainwaveUpdate);
}

beforeAll(async () => {
  if (!existsSync(BUILT)) {
    throw new Error(
      `no built dashboard at ${BUILT}: run \`bun run build\` in apps/dashboard first`,
    );
  }
  mkdirSync(OUTPUT, { recursive: true });
  fake = startFakeRainwave({ userId: USER_ID, apiKey: KEY });
  fake.play(3, {
    title: "Dancing Mad",
    artists: ["Nobuo Uematsu"],
    album: "Final Fantasy VI",
    length: 600,
  });
  fake.play(2, {
    title: "Still Alive",
    artists: ["Jonathan Coulton"],
    album: "Portal",
    length: 600,
  });
  fake.tune(3);
  hub = await spawnHub({
    main: HUB_MAIN,
    env: {
      LANDALE_TOKEN: TOKEN,
      RAINWAVE_USER_ID: String(USER_ID),
      RAINWAVE_API_KEY: KEY,
      RAINWAVE_STATION: "3",
      RAINWAVE_API_URL: fake.apiUrl,
    },
    stopAfter: "caller",
  });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  context.setDefaultTimeout(WAIT_MS);
  context.on("page", (opened) => opened.on("pageerror", (error) => pageErrors.push(error.message)));
  page = await context.newPage();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await hub?.stop();
  await fake?.stop();
});

const nowPlaying = (text: string) =>
  page.getByTestId("rainwave-now-playing").filter({ hasText: text });

describe("now playing in the dashboard against a real hub and a fake Rainwave", () => {
  it("shows the song the streamer hears, another station's when picked, and off", async () => {
    await page.goto(`${hub.url}/dashboard/`);
    await page.getByLabel("Control token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".connection[data-state='open']").waitFor();
    await page
      .getByRole("navigation", { name: "Views" })
      .getByRole("link", { name: "Layers" })
      .click();

    await nowPlaying("Dancing Mad — Nobuo Uematsu (Final Fantasy VI) on Covers").waitFor();
    await page.locator("[data-testid='rainwave-state'][data-state='polling']").waitFor();
    await page.screenshot({ path: join(OUTPUT, "music-playing.png"), fullPage: true });

    // The streamer moves to OC ReMix in their player, then here.
    fake.tune(2);
    await page.getByTestId("rainwave-station").selectOption("2");
    await nowPlaying("Still Alive — Jonathan Coulton (Portal) on OC ReMix").waitFor();
    expect(fake.requests().at(-1)?.sid).toBe("2");

    await page.getByTestId("rainwave-toggle").click();
    await page.locator("[data-testid='rainwave-state'][data-state='disabled']").waitFor();
    await nowPlaying("Off (station: OC ReMix).").waitFor();
    expect(await page.getByTestId("rainwave-toggle").textContent()).toBe("Turn on");

    const recorded = await updates();
    expect(recorded.map((update) => [update.station, update.listening, update.title])).toEqual([
      [3, true, "Dancing Mad"],
      [2, true, "Still Alive"],
      [2, false, null],
    ]);
  });
});
