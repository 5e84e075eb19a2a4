/**
 * The Layers view follows the show: a real hub (child process) serving the built dashboard,
 * Twitch's `channel.update` to Pokémon FireRed/LeafGreen (category 13332) posted as the Twitch
 * integration ingests it, then a checkpoint cleared. Needs `bun run build` first.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { type HubProcess, launchBrowser, spawnHub } from "@landale/testkit";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

const HUB_MAIN = new URL("../../server/src/main.ts", import.meta.url).pathname;
const BUILT = new URL("../dist/index.html", import.meta.url).pathname;
const TOKEN = "dashboard-shows-token-0024";

setDefaultTimeout(60_000);

let hub: HubProcess | null = null;
let browser: Browser | null = null;
let page: Page;
const pageErrors: string[] = [];

async function post(body: unknown): Promise<void> {
  const response = await fetch(`${hub?.url}/api/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST /api/events: ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`no built dashboard at ${BUILT}: run \`bun run build\``);
  hub = await spawnHub({ main: HUB_MAIN, env: { LANDALE_TOKEN: TOKEN }, stopAfter: "caller" });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.addInitScript(
    (token) => localStorage.setItem("landale.dashboard.token", token),
    TOKEN,
  );
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await hub?.stop();
});

describe("the Layers view", () => {
  it("shows the ironmon show, its ticker and a checkpoint cleared", async () => {
    await page.goto(`${hub?.url}/dashboard/`);
    await page.locator(".connection[data-state='open']").waitFor();
    await page
      .getByRole("navigation", { name: "Views" })
      .getByRole("link", { name: "Layers" })
      .click();
    await page.getByTestId("show").filter({ hasText: "variety" }).waitFor();

    await post({
      type: "channel.update",
      data: { ...TWITCH_SAMPLES["channel.update"], category_id: "13332" },
    });
    await page.getByTestId("show").filter({ hasText: "ironmon" }).waitFor();
    await page
      .getByTestId("layer-background")
      .filter({ hasText: "IronMON: waiting for a seed" })
      .waitFor();
    const rotation = await page.getByRole("list", { name: "Ticker rotation" }).textContent();
    expect(rotation).toContain("ironmon run");
    expect(rotation).toContain("ironmon progress");

    await post({
      type: "ironmon.run.checkpoint",
      data: { run_id: 1, checkpoint_id: 5, name: "BROCK", order: 5, cleared: true },
    });
    await page
      .getByTestId("layer-foreground")
      .filter({ hasText: "IronMON checkpoint cleared: BROCK (#5, run 1)" })
      .waitFor();
    expect(pageErrors).toEqual([]);
  });
});
