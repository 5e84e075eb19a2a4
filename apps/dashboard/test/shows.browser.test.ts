/**
 * The Layers view follows the show: a real hub (child process) serving the built dashboard,
 * Twitch's `channel.update` to Pokémon FireRed/LeafGreen (category 13332) posted as the Twitch
 * integration ingests it, then a checkpoint cleared. Needs `bun run build` first.
 */
import { describe, expect, it } from "bun:test";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { spawnHub } from "@landale/testkit";
import { HUB_MAIN, useDashboardPage } from "./support/page";

const TOKEN = "dashboard-shows-token-0024";

const dashboard = useDashboardPage(() =>
  spawnHub({ main: HUB_MAIN, env: { LANDALE_TOKEN: TOKEN }, stopAfter: "caller" }),
);

async function post(body: unknown): Promise<void> {
  const response = await fetch(`${dashboard.hub.url}/api/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST /api/events: ${response.status} ${await response.text()}`);
}

describe("the Layers view", () => {
  it("shows the ironmon show, its ticker and a checkpoint cleared", async () => {
    await dashboard.signIn(TOKEN);
    await dashboard.go("Layers");
    await dashboard.page.getByTestId("show").filter({ hasText: "variety" }).waitFor();

    await post({
      type: "channel.update",
      data: { ...TWITCH_SAMPLES["channel.update"], category_id: "13332" },
    });
    await dashboard.page.getByTestId("show").filter({ hasText: "ironmon" }).waitFor();
    await dashboard.page
      .getByTestId("layer-background")
      .filter({ hasText: "IronMON: waiting for a seed" })
      .waitFor();
    const rotation = await dashboard.page
      .getByRole("list", { name: "Ticker rotation" })
      .textContent();
    expect(rotation).toContain("ironmon run");
    expect(rotation).toContain("ironmon progress");

    await post({
      type: "ironmon.run.checkpoint",
      data: { run_id: 1, checkpoint_id: 5, name: "BROCK", order: 5, cleared: true },
    });
    await dashboard.page
      .getByTestId("layer-foreground")
      .filter({ hasText: "IronMON checkpoint cleared: BROCK (#5, run 1)" })
      .waitFor();
  });
});
