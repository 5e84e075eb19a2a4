/**
 * The shows' own ticker items on the omnibar: a real hub, Twitch's `channel.update` to Pokémon
 * FireRed/LeafGreen (category 13332), IronMON's run events and Rainwave's updates posted as their
 * producers ingest them, and the omnibar in Chromium. Needs `bun run build` first.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import type { HubHealth, StreamState } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { launchBrowser, playIronmonSession } from "@landale/testkit";
import type { Browser, BrowserContext } from "playwright-core";
import { type HubProcess, layerElement, openPage, startHubProcess, waitForLayer } from "./support";

/** Per test and hook: a hub start (PGlite migrations) takes seconds on a busy machine. */
const TIMEOUT_MS = 60_000;
setDefaultTimeout(TIMEOUT_MS);

let browser: Browser;
let hub: HubProcess;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  hub = await startHubProcess();
}, TIMEOUT_MS);

afterAll(async () => {
  await Promise.allSettled([...contexts.map((context) => context.close())]);
  await Promise.allSettled([browser?.close(), hub?.stop()]);
}, TIMEOUT_MS);

describe("the ironmon show", () => {
  it("shows the IronMON ticker after a channel.update to category 13332, then a checkpoint", async () => {
    const opened = await openPage(browser, hub, "omnibar", {
      prepare: (tab) => tab.on("pageerror", (error) => pageErrors.push(error.message)),
    });
    contexts.push(opened.context);
    const { page } = opened;
    await waitForLayer(page, "background", ["active"]);

    await hub.post("/api/events", {
      id: "update-ironmon",
      type: "channel.update",
      data: {
        ...TWITCH_SAMPLES["channel.update"],
        category_id: "13332",
        category_name: "Pokémon FireRed/LeafGreen",
      },
    });
    const state = await hub.get<StreamState>("/api/stream/state");
    expect(state.show).toBe("ironmon");
    expect(state.ticker.items.slice(0, 2)).toEqual(["ironmon_run", "ironmon_progress"]);
    await waitForLayer(page, "background", ["active"], "Waiting for a seed");
    expect(await layerElement(page, "background")).toMatchObject({
      kind: "ticker",
      type: "ticker.ironmon_run",
    });

    await hub.post("/api/events", {
      id: "run-7-brock",
      type: "ironmon.run.checkpoint",
      data: { run_id: 7, checkpoint_id: 5, name: "BROCK", order: 5, cleared: true },
    });
    // The run's figures are the records' (the run tracker's, not wired here); the alert is the event's.
    await waitForLayer(page, "foreground", ["active"], "Checkpoint cleared");
    expect((await layerElement(page, "foreground")).text).toContain("BROCK");
    expect(pageErrors).toEqual([]);
  });
});

describe("now playing", () => {
  const song = {
    station: 3,
    listening: true,
    title: "Dancing Mad",
    artists: ["Nobuo Uematsu"],
    album: "Final Fantasy VI",
    art_url: null,
    started_at: null,
    ends_at: null,
  };

  it("shows the song while the streamer is tuned in, and takes it away when they tune out", async () => {
    const opened = await openPage(browser, hub, "omnibar", {
      prepare: (tab) => tab.on("pageerror", (error) => pageErrors.push(error.message)),
    });
    contexts.push(opened.context);
    const { page } = opened;
    await hub.post("/api/events", { type: "rainwave.update", data: song });
    await waitForLayer(page, "background", ["active", "interrupted"], "Dancing Mad");
    expect(await layerElement(page, "background")).toMatchObject({ type: "ticker.now_playing" });

    await hub.post("/api/events", {
      type: "rainwave.update",
      data: { ...song, listening: false, title: null, artists: [], album: null },
    });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-layer="background"]')?.getAttribute("data-type") !==
        "ticker.now_playing",
    );
    const state = await hub.get<StreamState>("/api/stream/state");
    expect(state.ticker.items).not.toContain("now_playing");
    expect(pageErrors).toEqual([]);
  });
});

describe("the IronMON tracker over TCP", () => {
  it("puts the run the tracker plays on the ironmon ticker, with an alert per checkpoint", async () => {
    const opened = await openPage(browser, hub, "omnibar", {
      prepare: (tab) => tab.on("pageerror", (error) => pageErrors.push(error.message)),
    });
    contexts.push(opened.context);
    const { page } = opened;
    const port = (await hub.get<HubHealth>("/api/health")).ironmon.port ?? 0;
    await playIronmonSession({
      port,
      seed: 24,
      messages: [
        { type: "init", metadata: { version: "2.1.0", game: 3 } },
        { type: "seed", data: { count: 412 } },
        { type: "checkpoint", data: { id: 1, name: "LAB" } },
        { type: "checkpoint", data: { id: 2, name: "RIVAL1" } },
      ],
    });
    await waitForLayer(page, "foreground", ["active"], "RIVAL1");

    // A show change restarts the ticker on its first item: the run, as the records have it.
    await switchCategory("12453", "Grand Theft Auto");
    await switchCategory("13332", "Pokémon FireRed/LeafGreen");
    await waitForLayer(page, "background", ["active", "interrupted"], "2 / 24");
    const run = await layerElement(page, "background");
    expect(run.type).toBe("ticker.ironmon_run");
    expect(run.text).toContain("#1");
    expect(run.text).toContain("RIVAL1");
    expect(pageErrors).toEqual([]);
  });
});

async function switchCategory(category_id: string, category_name: string): Promise<void> {
  await hub.post("/api/events", {
    type: "channel.update",
    data: { ...TWITCH_SAMPLES["channel.update"], category_id, category_name },
  });
}
