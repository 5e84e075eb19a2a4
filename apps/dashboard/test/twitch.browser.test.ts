/**
 * The Twitch view in a real browser (Debian's Chromium through playwright-core) against a real hub
 * started as a child process and a fake Twitch (`startFakeTwitch`) run by this test: a streamer
 * connects the hub with a device code approved on the fake's activation page, edits the stream's
 * title, category and tags, rides out an outage of Twitch (a cut `TcpProxy` between the hub and
 * the fake), sees a grant Twitch revoked, grants a missing scope with a second code while still
 * connected, and watches the last validation age on the page's clock. One hub, one page; each
 * step is saved as a screenshot under `test-output/`. Needs `bun run build` first (turbo's test
 * task does it).
 */
import { afterAll, describe, expect, it } from "bun:test";

import { HubHealth, TWITCH_SCOPES, TWITCH_SUBSCRIPTIONS } from "@landale/shared";
import {
  type FakeTwitch,
  spawnHub,
  startFakeTwitch,
  startTcpProxy,
  type TcpProxy,
} from "@landale/testkit";
import { HUB_MAIN, useDashboardPage } from "./support/page";

const TOKEN = "dashboard-twitch-test-token";
const CLIENT_ID = "landaledashboardtest";
const WAIT_MS = 15_000;
/** After an outage the hub's EventSub session comes back on its own backoff (1 s doubling). */
const OUTAGE_WAIT_MS = 45_000;
/** The scope a pasted token lacks, for the sign-in that grants it. */
const OMITTED_SCOPE = "channel:manage:broadcast";
/** The subscriptions the hub creates first, and the dashboard lists first. */
const CRITICAL = TWITCH_SUBSCRIPTIONS.filter((plan) => plan.critical).map((plan) => plan.type);

// Starting a hub and a browser takes longer than bun's default 5 s.

let fake: FakeTwitch;
/** Between the hub and the fake Twitch: cut for an outage. */
let proxy: TcpProxy;
/** Uncaught errors in any page: none is expected, ever. */

async function screenshot(name: string): Promise<void> {
  await dashboard.screenshot(`twitch-${name}`, true);
}

const subscriptionRow = (type: string) =>
  dashboard.page.locator(`[data-testid="twitch-subscription"][data-type="${type}"]`);

/** Every planned subscription listed, and enabled. */
async function allSubscriptionsEnabled(timeout = WAIT_MS): Promise<void> {
  await dashboard.page.waitForFunction(
    (count) => {
      const rows = [...document.querySelectorAll("[data-testid='twitch-subscription']")];
      return (
        rows.length === count && rows.every((row) => row.getAttribute("data-status") === "enabled")
      );
    },
    TWITCH_SUBSCRIPTIONS.length,
    { timeout },
  );
}

const dashboard = useDashboardPage(
  async () => {
    fake = startFakeTwitch({ clientId: CLIENT_ID, deviceIntervalSeconds: 1 });
    proxy = await startTcpProxy({ host: "127.0.0.1", port: fake.port });
    // The hub reaches Twitch through the proxy; the browser opens the fake's pages directly.
    const twitch = `127.0.0.1:${proxy.port}`;
    return spawnHub({
      main: HUB_MAIN,
      env: {
        LANDALE_TOKEN: TOKEN,
        TWITCH_CLIENT_ID: CLIENT_ID,
        TWITCH_AUTH_URL: `http://${twitch}/oauth2`,
        TWITCH_API_URL: `http://${twitch}/helix`,
        TWITCH_EVENTSUB_WS_URL: `ws://${twitch}/ws`,
      },
      // One hub serves the whole file: afterAll stops it.
      stopAfter: "caller",
    });
  },
  { waitMs: WAIT_MS },
);

afterAll(async () => {
  await proxy?.stop();
  await fake?.stop();
});

describe("the dashboard's Twitch view against a real hub and a fake Twitch", () => {
  it("connects the hub with a device code approved at Twitch, and shows the subscriptions enabled", async () => {
    await dashboard.signIn(TOKEN);

    await dashboard.go("Twitch");
    await dashboard.page.locator("#view-title").filter({ hasText: "Twitch" }).waitFor();
    expect(new URL(dashboard.page.url()).pathname).toBe("/dashboard/twitch");
    await dashboard.page.locator("[data-testid='twitch-state'][data-state='signed_out']").waitFor();
    await dashboard.page.getByTestId("stream-info-disabled").waitFor();
    await screenshot("signed-out");

    await dashboard.page.getByTestId("twitch-connect").click();
    const userCode =
      (await dashboard.page.getByTestId("twitch-user-code").textContent())?.trim() ?? "";
    expect(userCode).not.toBe("");
    expect(fake.devices().map((device) => device.userCode)).toContain(userCode);
    const link = dashboard.page.getByTestId("twitch-verification-link");
    expect(new URL((await link.getAttribute("href")) ?? "").origin).toBe(fake.url);
    await dashboard.page
      .locator("[data-testid='twitch-state'][data-state='awaiting_user']")
      .waitFor();
    await screenshot("device-code");

    // The link opens Twitch's activation page in a new tab, where the user approves.
    const [activate] = await Promise.all([
      dashboard.page.context().waitForEvent("page"),
      link.click(),
    ]);
    await activate.waitForLoadState();
    expect(new URL(activate.url()).pathname).toBe("/activate");
    expect((await activate.getByTestId("user-code").textContent())?.trim()).toBe(userCode);
    await activate.getByRole("button", { name: "Authorize" }).click();
    await activate.getByText("Your device is connected").waitFor();
    await activate.close();

    // The hub's next poll gets the tokens; the page updates by itself from the hub's push.
    await dashboard.page.locator("[data-testid='twitch-state'][data-state='connected']").waitFor();
    expect(await dashboard.page.getByTestId("twitch-login").textContent()).toBe(fake.user.login);
    expect(await dashboard.page.locator("[data-testid='twitch-scope'][data-missing]").count()).toBe(
      0,
    );
    await dashboard.page
      .locator("[data-testid='eventsub-state'][data-state='connected']")
      .waitFor();
    for (const type of CRITICAL) {
      await subscriptionRow(type).and(dashboard.page.locator("[data-status='enabled']")).waitFor();
    }
    // Then every other subscription: as many rows as the plan, all enabled.
    await allSubscriptionsEnabled();
    expect(
      await dashboard.page.locator("[data-testid='twitch-subscription'][data-trouble]").count(),
    ).toBe(0);
    // Listed in the hub's plan order: the critical group first.
    const listed = await dashboard.page
      .getByTestId("twitch-subscription")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-type")));
    expect(listed.slice(0, CRITICAL.length)).toEqual(CRITICAL);
    await screenshot("connected");
  });

  it("saves a title, a category found by search (with its box art) and a tag to Twitch", async () => {
    const before = fake.channel();
    const title = dashboard.page.getByTestId("stream-title-input");
    await title.waitFor();
    expect(await title.inputValue()).toBe(before.title);
    await title.fill("Building overlays with Bun tonight");

    await dashboard.page.getByTestId("category-search-input").fill("chatting");
    const result = dashboard.page
      .getByTestId("category-result")
      .filter({ hasText: "Just Chatting" });
    await result.waitFor();
    const art = result.locator("img.box-art");
    await art.scrollIntoViewIfNeeded();
    // The box art loaded from the (fake) CDN, not a broken image.
    await dashboard.page.waitForFunction(
      (img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0,
      await art.elementHandle(),
    );
    await screenshot("category-search");
    await result.click();
    const chosen = dashboard.page.getByTestId("category-chosen");
    await chosen.filter({ hasText: "Just Chatting" }).waitFor();
    await chosen.locator("img.box-art").waitFor();

    await dashboard.page.getByTestId("stream-tag-input").fill("Speedrun");
    await dashboard.page.getByTestId("stream-tag-input").press("Enter");
    await dashboard.page.getByTestId("stream-tag").filter({ hasText: "Speedrun" }).waitFor();

    await dashboard.page.getByTestId("stream-info-save").click();
    await dashboard.page.getByTestId("stream-info-saved").filter({ hasText: "Saved" }).waitFor();
    // The values reached Helix: the fake stores what PATCH /channels carried.
    const after = fake.channel();
    expect(after.title).toBe("Building overlays with Bun tonight");
    expect(after.game_id).toBe("509658");
    expect(after.tags).toEqual([...before.tags, "Speedrun"]);
    // The form now shows the channel as Twitch answered it.
    expect(await title.inputValue()).toBe(after.title);
    await screenshot("stream-info-saved");
  });

  it("reads the channel again by itself once Twitch is back after an outage", async () => {
    await proxy.cut();
    // The grant stays connected through the outage; only the read says Twitch is away.
    await dashboard.page.getByRole("button", { name: "Reload from Twitch" }).click();
    const loadError = dashboard.page.getByTestId("stream-info-load-error");
    await loadError.waitFor();
    expect(
      await dashboard.page.locator("[data-testid='twitch-state'][data-state='connected']").count(),
    ).toBe(1);
    await screenshot("stream-info-outage");

    await proxy.restore();
    // No click: the editor reads the channel again once Twitch answers.
    await loadError.waitFor({ state: "detached", timeout: OUTAGE_WAIT_MS });
    expect(await dashboard.page.getByTestId("stream-title-input").inputValue()).toBe(
      fake.channel().title,
    );
    // The hub's new EventSub session, with every subscription again, for the steps after.
    await dashboard.page
      .locator("[data-testid='eventsub-state'][data-state='connected']")
      .waitFor({ timeout: OUTAGE_WAIT_MS });
    await allSubscriptionsEnabled(OUTAGE_WAIT_MS);
  });

  it("shows a grant revoked at Twitch as invalid, with what to do, and so does /api/health", async () => {
    fake.revokeGrant();
    await dashboard.page.locator("[data-testid='twitch-state'][data-state='invalid']").waitFor();
    const problem = dashboard.page.getByTestId("twitch-problem");
    await problem.filter({ hasText: "Sign in again" }).waitFor();
    expect(await problem.textContent()).toContain("What to do:");
    await dashboard.page.getByTestId("stream-info-disabled").waitFor();
    await screenshot("revoked");

    const response = await fetch(`${dashboard.hub.url}/api/health`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const health = HubHealth.parse(await response.json());
    expect(health.twitch.state).toBe("invalid");
    expect(health.twitch.problem?.action).toContain("Sign in again");
  });

  it("shows the code of a sign-in that grants a missing scope while staying connected", async () => {
    // A token minted without one scope (e.g. by the Twitch CLI), pasted.
    const token = fake.issueToken({
      scopes: TWITCH_SCOPES.filter((scope) => scope !== OMITTED_SCOPE),
    });
    const pasted = await fetch(`${dashboard.hub.url}/api/twitch/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(token),
    });
    expect(pasted.status).toBe(200);
    const page = dashboard.page;
    await page.locator("[data-testid='twitch-state'][data-state='connected']").waitFor();
    const missing = page.locator("[data-testid='twitch-scope'][data-missing]");
    await missing.filter({ hasText: OMITTED_SCOPE }).waitFor();

    await page.getByRole("button", { name: "Connect again to grant the missing scope" }).click();
    // The hub keeps the working grant while the new sign-in waits: connected, with a code.
    const code = page.getByTestId("twitch-user-code");
    await code.waitFor();
    const userCode = (await code.textContent())?.trim() ?? "";
    expect(fake.devices().find((device) => device.userCode === userCode)?.status).toBe("pending");
    const link = page.getByTestId("twitch-verification-link");
    expect(new URL((await link.getAttribute("href")) ?? "").origin).toBe(fake.url);
    expect(await page.getByTestId("twitch-state").getAttribute("data-state")).toBe("connected");
    expect(await page.getByTestId("twitch-summary").textContent()).toContain(
      "enter the code below at Twitch",
    );
    // The code is the next step: no second "Connect again" beside it.
    expect(await page.getByTestId("twitch-connect").count()).toBe(0);
    await screenshot("device-code-connected");

    fake.approveDevice(userCode);
    await missing.waitFor({ state: "detached" });
    await code.waitFor({ state: "detached" });
    expect(await page.getByTestId("twitch-state").getAttribute("data-state")).toBe("connected");
  });

  it("keeps the last validation's age current as time passes", async () => {
    const page = dashboard.page;
    // The page's clock from here on is Playwright's: the view is opened again so that its
    // 30-second clock runs on it, then five minutes pass in a moment.
    await page.clock.install();
    await dashboard.go("Queue");
    await dashboard.go("Twitch");
    const validated = page.locator(".facts dt:text-is('Last validated') + dd");
    await validated.waitFor();
    expect(await validated.textContent()).not.toContain("min ago");
    await page.clock.fastForward("05:00");
    await validated.filter({ hasText: /\(\d+ min ago\)/ }).waitFor();
    await screenshot("validated-later");
  });
});
