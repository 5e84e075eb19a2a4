/**
 * The Transcripts view in a real browser (Debian's Chromium through playwright-core) against a
 * real hub started as a child process, fed by a worker (`@landale/client` with the worker token)
 * as the audio worker would: a line said before the page opened is read back, a new one appears
 * at the top as it is submitted, and the search finds lines by their words with their session.
 * Each step is saved as a screenshot under `test-output/`. Needs `bun run build` first.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createClient, type LandaleClient } from "@landale/client";
import { TRANSCRIPTION_LIVE } from "@landale/shared";
import { type HubProcess, launchBrowser, spawnHub } from "@landale/testkit";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

const HUB_MAIN = new URL("../../server/src/main.ts", import.meta.url).pathname;
const BUILT = new URL("../dist/index.html", import.meta.url).pathname;
const OUTPUT = new URL("../test-output/", import.meta.url).pathname;
const TOKEN = "dashboard-transcripts-test-token";
const WORKER_TOKEN = "dashboard-transcripts-worker-token";
const WAIT_MS = 15_000;

setDefaultTimeout(60_000);

let hub: HubProcess;
let worker: LandaleClient;
let browser: Browser | null = null;
let page: Page;
const pageErrors: string[] = [];

async function say(id: string, text: string, session = "stream_2026_11_21"): Promise<void> {
  const reply = await worker.push(TRANSCRIPTION_LIVE, "submit_transcription", {
    id,
    session_id: session,
    ts: new Date().toISOString(),
    duration_ms: 1800,
    text,
    confidence: 0.87,
  });
  expect(reply.status).toBe("ok");
}

const liveIds = () =>
  page
    .getByTestId("transcripts-live-item")
    .evaluateAll((items) => items.map((item) => item.getAttribute("data-id")));

beforeAll(async () => {
  if (!existsSync(BUILT)) {
    throw new Error(
      `no built dashboard at ${BUILT}: run \`bun run build\` in apps/dashboard first`,
    );
  }
  mkdirSync(OUTPUT, { recursive: true });
  hub = await spawnHub({
    main: HUB_MAIN,
    env: { LANDALE_TOKEN: TOKEN, LANDALE_WORKER_TOKEN: WORKER_TOKEN },
    stopAfter: "caller",
  });
  worker = createClient({ url: hub.socketUrl, params: { token: WORKER_TOKEN } });
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
  worker?.close();
  await browser?.close().catch(() => {});
  await hub?.stop();
});

describe("the dashboard's Transcripts view against a real hub", () => {
  it("reads back what was said before it opened, then shows new lines at the top", async () => {
    await say("line-1", "welcome back to the stream everyone");
    await page.goto(`${hub.url}/dashboard/transcripts`);
    await page.getByLabel("Control token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#view-title").filter({ hasText: "Transcripts" }).waitFor();
    await page.getByTestId("transcripts-live-item").filter({ hasText: "welcome back" }).waitFor();
    await page.getByTestId("transcripts-search-hint").waitFor();
    await page.screenshot({ path: join(OUTPUT, "transcripts-read-back.png"), fullPage: true });

    await say("line-2", "the quick brown foxes are speedrunning tonight", "stream_other");
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid='transcripts-live-item']").length === 2,
    );
    expect(await liveIds()).toEqual(["line-2", "line-1"]);
    const newest = page.getByTestId("transcripts-live-item").first();
    expect(await newest.getByTestId("transcript-session").textContent()).toBe("stream_other");
    expect(await newest.textContent()).toContain("87 %");
  });

  it("searches by words in their other forms, with each match's session, and says when none match", async () => {
    await page.getByTestId("transcripts-search-input").fill("fox");
    await page.getByTestId("transcripts-search-submit").click();
    const result = page.getByTestId("transcripts-search-result");
    await result.filter({ hasText: "brown foxes" }).waitFor();
    expect(await result.count()).toBe(1);
    expect(await result.getByTestId("transcript-session").textContent()).toBe("stream_other");
    expect(await page.getByTestId("transcripts-search-count").textContent()).toContain("1 match");
    await page.screenshot({ path: join(OUTPUT, "transcripts-search.png"), fullPage: true });

    await page.getByTestId("transcripts-search-input").fill('"boss fight"');
    await page.getByTestId("transcripts-search-submit").click();
    await page.getByTestId("transcripts-search-empty").filter({ hasText: "boss fight" }).waitFor();

    await page.getByTestId("transcripts-search-input").fill("   ");
    await page.getByTestId("transcripts-search-submit").click();
    await page.getByTestId("transcripts-search-error").filter({ hasText: "type a word" }).waitFor();

    await page.getByTestId("transcripts-search-clear").click();
    await page.getByTestId("transcripts-search-hint").waitFor();
  });
});
