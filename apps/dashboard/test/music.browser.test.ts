/**
 * Now playing from Rainwave in the dashboard's Layers view, in a real browser (Debian's Chromium
 * through playwright-core) against a real hub started as a child process and a fake Rainwave
 * (`startFakeRainwave`, api4 `info` over real HTTP): the streamer sees the song they hear, picks
 * another station and sees its song, and switches Rainwave off; the hub has recorded each change
 * as a `rainwave.update`. Needs `bun run build` first (turbo's test task does it).
 */
import { afterAll, describe, expect, it } from "bun:test";

import type { ActivityPage, RainwaveUpdate } from "@landale/shared";
import { type FakeRainwave, spawnHub, startFakeRainwave } from "@landale/testkit";
import { HUB_MAIN, useDashboardPage } from "./support/page";

const TOKEN = "dashboard-music-test-token";
const USER_ID = 777;
const KEY = "a-rainwave-key-for-the-browser-test";
const WAIT_MS = 20_000;

let fake: FakeRainwave;

async function updates(): Promise<RainwaveUpdate[]> {
  const response = await fetch(
    `${dashboard.hub.url}/api/activity/events?type=rainwave.update&limit=100`,
    {
      headers: { authorization: `Bearer ${TOKEN}` },
    },
  );
  const page = (await response.json()) as ActivityPage;
  return [...page.events].reverse().map((event) => event.data as RainwaveUpdate);
}

const dashboard = useDashboardPage(
  async () => {
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
    return spawnHub({
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
  },
  { waitMs: WAIT_MS },
);

afterAll(async () => {
  await fake?.stop();
});

const nowPlaying = (text: string) =>
  dashboard.page.getByTestId("rainwave-now-playing").filter({ hasText: text });

describe("now playing in the dashboard against a real hub and a fake Rainwave", () => {
  it("shows the song the streamer hears, another station's when picked, and off", async () => {
    await dashboard.signIn(TOKEN);
    await dashboard.go("Layers");

    await nowPlaying("Dancing Mad — Nobuo Uematsu (Final Fantasy VI) on Covers").waitFor();
    await dashboard.page.locator("[data-testid='rainwave-state'][data-state='polling']").waitFor();
    await dashboard.screenshot("music-playing", true);

    // The streamer moves to OC ReMix in their player, then here.
    fake.tune(2);
    await dashboard.page.getByTestId("rainwave-station").selectOption("2");
    await nowPlaying("Still Alive — Jonathan Coulton (Portal) on OC ReMix").waitFor();
    expect(fake.requests().at(-1)?.sid).toBe("2");

    await dashboard.page.getByTestId("rainwave-toggle").click();
    await dashboard.page.locator("[data-testid='rainwave-state'][data-state='disabled']").waitFor();
    await nowPlaying("Off (station: OC ReMix).").waitFor();
    expect(await dashboard.page.getByTestId("rainwave-toggle").textContent()).toBe("Turn on");

    const recorded = await updates();
    expect(recorded.map((update) => [update.station, update.listening, update.title])).toEqual([
      [3, true, "Dancing Mad"],
      [2, true, "Still Alive"],
      [2, false, null],
    ]);
  });
});
