/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real hub
 * started as a child process, serving the built dashboard (`bun run build` first; turbo's test
 * task depends on the build). One hub, one page, one walk through the views in the order a
 * streamer would use them; each view is saved as a screenshot under `test-output/`.
 */
import { afterAll, describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type HubProcess, spawnHub } from "@landale/testkit";
import { HUB_MAIN, useDashboardPage } from "./support/page";

const TOKEN = "dashboard-test-token-024";
const WAIT_MS = 15_000;

let port = 0;
let dataDir = "";

/** Starts the hub on `port` and `dataDir` (kept across a restart) and waits until it is ready. */
function startHub(): Promise<HubProcess> {
  return spawnHub({
    main: HUB_MAIN,
    port,
    dataDir,
    env: { LANDALE_TOKEN: TOKEN },
    // One hub serves the whole file: afterAll stops it.
    stopAfter: "caller",
  });
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
  });
}

function follow(name: string) {
  return {
    type: "channel.follow",
    data: {
      user_id: `9${name.length}${name.charCodeAt(name.length - 1)}`,
      user_login: name.toLowerCase(),
      user_name: name,
      broadcaster_user_id: "1337",
      broadcaster_user_login: "cooler_user",
      broadcaster_user_name: "Cooler_User",
      followed_at: new Date().toISOString(),
    },
  };
}

async function sendFromSimulator(kind: string, fields: Record<string, string>): Promise<void> {
  await dashboard.go("Simulator");
  await dashboard.page.getByRole("radio", { name: kind, exact: true }).check();
  for (const [label, value] of Object.entries(fields)) {
    await dashboard.page.getByLabel(label, { exact: true }).fill(value);
  }
  const sent = await dashboard.page.getByTestId("sent-entry").count();
  await dashboard.page.locator("form[aria-label='Simulate an event'] button[type=submit]").click();
  await dashboard.page.getByTestId("sent-entry").nth(sent).waitFor();
}

const feedRow = (text: string) => dashboard.page.locator(".event-row").filter({ hasText: text });
const domSeqs = () =>
  dashboard.page.$$eval(".event-row", (rows) =>
    rows.map((row) => Number(row.getAttribute("data-seq"))),
  );

const dashboard = useDashboardPage(
  async () => {
    port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), "landale-dashboard-"));
    // An event an earlier run acknowledged and the database then refused (docs/FAULTS.md).
    mkdirSync(join(dataDir, "quarantine"));
    writeFileSync(
      join(dataDir, "quarantine", "events.quarantine.ndjson"),
      `${JSON.stringify({
        quarantined_at: "2026-11-21T12:00:00.000Z",
        reason: "22008: date/time field value out of range",
        event: { id: "poisoned-1", seq: 7, type: "custom.note", ts: "0000-01-01T00:00:00Z" },
      })}\n`,
    );
    return startHub();
  },
  { waitMs: WAIT_MS },
);

afterAll(async () => {
  if (dataDir !== "") rmSync(dataDir, { recursive: true, force: true });
});

describe("the dashboard against a real hub", () => {
  it("asks for the token, says plainly when it is wrong, and signs in with the right one", async () => {
    await dashboard.page.goto(`http://127.0.0.1:${port}/dashboard/`);
    const field = dashboard.page.getByLabel("Control token");
    await field.fill("not-the-token-at-all-123");
    await dashboard.page.getByRole("button", { name: "Sign in" }).click();
    const refusal = dashboard.page.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("did not accept that token");
    await dashboard.screenshot("sign-in");

    await field.fill(TOKEN);
    await dashboard.page.getByRole("button", { name: "Sign in" }).click();
    await dashboard.page.locator("#view-title").filter({ hasText: "Activity" }).waitFor();
    await dashboard.page.locator(".connection[data-state='open']").waitFor();
    expect(
      await dashboard.page.evaluate(() => localStorage.getItem("landale.dashboard.token")),
    ).toBe(TOKEN);
    // Marks this page load: a reload later would lose it.
    await dashboard.page.evaluate(() => {
      (window as unknown as { loadMarker: string }).loadMarker = "first-load";
    });
  });

  it("shows a simulated follow in the feed, on the layers, then in the queue's history", async () => {
    await sendFromSimulator("Follow", { "User name": "FirstFollower" });

    await dashboard.go("Activity");
    await feedRow("FirstFollower followed").waitFor();
    expect(await feedRow("FirstFollower followed").count()).toBe(1);
    await feedRow("FirstFollower followed").getByRole("button", { name: "JSON" }).click();
    expect(await dashboard.page.locator(".event-json").first().textContent()).toContain(
      '"user_login": "firstfollower"',
    );
    await dashboard.screenshot("activity");
    await feedRow("FirstFollower followed").getByRole("button", { name: "Hide JSON" }).click();

    await dashboard.go("Layers");
    await dashboard.page
      .getByTestId("layer-foreground")
      .filter({ hasText: "FirstFollower followed" })
      .waitFor();
    expect(Number(await dashboard.page.getByTestId("state-version").textContent())).toBeGreaterThan(
      0,
    );
    expect(await dashboard.page.getByTestId("omnibar-visibility").textContent()).toBe("shown");
    expect(
      await dashboard.page
        .getByTestId("layer-foreground")
        .getByTestId("layer-standing")
        .textContent(),
    ).toBe("On screen");
    await dashboard.screenshot("layers");

    await dashboard.go("Queue");
    // A follow shows for 5 s, then is filed in the history.
    await dashboard.page
      .getByTestId("history-item")
      .filter({ hasText: "FirstFollower followed" })
      .waitFor();
  });

  it("pauses, replays an event onto the queue, resumes, skips and clears", async () => {
    await dashboard.page.getByRole("button", { name: "Pause alerts" }).click();
    await dashboard.page.getByRole("button", { name: "Resume alerts" }).waitFor();

    await dashboard.go("Activity");
    const row = feedRow("FirstFollower followed");
    await row.getByRole("button", { name: /^Replay/ }).click();
    await row
      .getByRole("button", { name: /Replay/ })
      .filter({ hasText: "Queued" })
      .waitFor();

    await sendFromSimulator("Raid", { "User name": "BigRaider", Viewers: "42" });

    await dashboard.go("Queue");
    const pending = dashboard.page.getByTestId("pending-item");
    await pending.nth(1).waitFor();
    // Paused: nothing starts, and the raid (priority 100) waits ahead of the follow (20).
    expect(await pending.count()).toBe(2);
    expect(await pending.nth(0).textContent()).toContain("BigRaider raided with 42 viewers");
    expect(await pending.nth(1).textContent()).toContain("FirstFollower followed");
    expect(await dashboard.page.getByTestId("nothing-showing").textContent()).toContain("Paused");
    await dashboard.screenshot("queue-paused");

    await dashboard.page.getByRole("button", { name: "Resume alerts" }).click();
    await dashboard.page.getByTestId("current-alert").filter({ hasText: "BigRaider" }).waitFor();
    await dashboard.page.getByTestId("time-left").waitFor();
    await dashboard.screenshot("queue");

    await dashboard.page.getByRole("button", { name: "Skip current alert" }).click();
    await dashboard.page
      .getByTestId("current-alert")
      .filter({ hasText: "FirstFollower" })
      .waitFor();
    await dashboard.page
      .getByTestId("history-item")
      .first()
      .filter({ hasText: "BigRaider" })
      .waitFor();

    await dashboard.page.getByRole("button", { name: "Pause alerts" }).click();
    await dashboard.page.getByRole("button", { name: "Resume alerts" }).waitFor();
    await sendFromSimulator("Follow", { "User name": "Crowd", Burst: "3" });
    await dashboard.go("Queue");
    await dashboard.page.getByTestId("pending-item").nth(2).waitFor();
    await dashboard.page.getByRole("button", { name: "Clear queue…" }).click();
    await dashboard.page.getByRole("button", { name: "Yes, clear the queue" }).click();
    await dashboard.page.getByText("The queue is empty.").waitFor();
    expect(await dashboard.page.getByTestId("pending-item").count()).toBe(0);
    await dashboard.page.getByRole("button", { name: "Resume alerts" }).click();
    await dashboard.page.getByRole("button", { name: "Pause alerts" }).waitFor();
  });

  it("narrows the feed by type and by user, and clears the filters", async () => {
    await dashboard.go("Activity");
    const all = await dashboard.page.locator(".event-row").count();
    await dashboard.page.getByLabel("Type").selectOption("channel.raid");
    await feedRow("BigRaider").waitFor();
    await dashboard.page.waitForFunction(
      () => document.querySelectorAll(".event-row").length === 1,
    );
    await dashboard.page.getByLabel("Type").selectOption("");
    await dashboard.page.getByLabel("User", { exact: true }).fill("crowd2");
    await dashboard.page.getByRole("button", { name: "Search" }).click();
    await dashboard.page.waitForFunction(
      () =>
        document.querySelectorAll(".event-row").length === 1 &&
        document.querySelector(".event-row")?.textContent?.includes("Crowd2 followed") === true,
    );
    await dashboard.page.getByRole("button", { name: "Clear filters" }).click();
    await dashboard.page.waitForFunction(
      (count) => document.querySelectorAll(".event-row").length === count,
      all,
    );
  });

  it("starts a takeover from a preset, shows it, and clears it", async () => {
    await dashboard.go("Takeover");
    const active = dashboard.page.getByTestId("active-takeover");
    await dashboard.page.getByRole("button", { name: /Technical difficulties/ }).click();
    await active.filter({ hasText: "Technical difficulties" }).waitFor();
    await dashboard.page
      .locator(".now-strip")
      .filter({ hasText: "Takeover: technical-difficulties" })
      .waitFor();
    await dashboard.screenshot("takeover");

    await dashboard.page.getByRole("button", { name: "Clear takeover" }).click();
    await active.filter({ hasText: "No takeover" }).waitFor();

    // A custom takeover needs a message: refused before sending, naming the field.
    await dashboard.page.getByLabel("Type").selectOption("custom");
    await dashboard.page.getByRole("button", { name: "Start takeover" }).click();
    expect(await dashboard.page.locator("#takeover-message-error").textContent()).toContain(
      "Message:",
    );
    expect(await active.textContent()).toContain("No takeover");
  });

  it("keeps the header on one line at a 1600-pixel width, and drops the now strip where it has no room", async () => {
    try {
      await dashboard.page.setViewportSize({ width: 1600, height: 900 });
      await dashboard.go("Takeover");
      await dashboard.page.getByRole("button", { name: /Technical difficulties/ }).click();
      await dashboard.page.locator(".now-strip").filter({ hasText: "Takeover:" }).waitFor();
      const header = await dashboard.page.evaluate(() => {
        const box = (element: Element) => element.getBoundingClientRect();
        const links = [...document.querySelectorAll(".nav-link")].map(box);
        const parts = [...document.querySelectorAll(".now-strip > *, .now-alert > *")]
          .filter((element) => element.className !== "now-alert")
          .map(box)
          .sort((a, b) => a.left - b.left);
        return {
          lines: new Set(links.map((link) => Math.round(link.height))).size,
          overlaps: parts.filter((part, i) => i > 0 && part.left < (parts[i - 1]?.right ?? 0))
            .length,
        };
      });
      expect(header).toEqual({ lines: 1, overlaps: 0 });
      await dashboard.page.setViewportSize({ width: 1366, height: 768 });
      expect(await dashboard.page.locator(".now-strip").isVisible()).toBe(false);
    } finally {
      await dashboard.page.setViewportSize({ width: 1920, height: 1080 });
      await dashboard.page.getByRole("button", { name: "Clear takeover" }).click();
      await dashboard.page
        .getByTestId("active-takeover")
        .filter({ hasText: "No takeover" })
        .waitFor();
    }
  });

  it("shows the database engine and the events chart on the health view", async () => {
    await dashboard.go("Health");
    await dashboard.page.getByTestId("db-engine").filter({ hasText: "PGlite" }).waitFor();
    await dashboard.page.locator(".events-chart canvas").waitFor();
    // This page's client has dropped no command and refused no payload all along.
    expect(await dashboard.page.getByTestId("client-dropped").textContent()).toBe("0");
    expect(await dashboard.page.getByTestId("client-invalid").textContent()).toBe("0");
    // No ingest request was turned away unread.
    expect(await dashboard.page.getByTestId("refused-requests").textContent()).toBe("0");
    // The quarantined event is counted and listed with why.
    expect(await dashboard.page.getByTestId("quarantined").textContent()).toBe("1");
    await dashboard.page.getByTestId("quarantine-list").filter({ hasText: "poisoned-1" }).waitFor();
    expect(await dashboard.page.getByTestId("quarantine-list").textContent()).toContain("22008");
    await dashboard.screenshot("health");
  });

  it("refuses an invalid simulator form, naming the field, and sends nothing", async () => {
    await dashboard.go("Simulator");
    const sent = await dashboard.page.getByTestId("sent-entry").count();
    await dashboard.page.getByRole("radio", { name: "Cheer (bits)" }).check();
    await dashboard.page.getByLabel("Bits", { exact: true }).fill("0");
    await dashboard.page
      .locator("form[aria-label='Simulate an event'] button[type=submit]")
      .click();
    const issues = dashboard.page.getByTestId("simulator-issues");
    await issues.waitFor();
    expect(await issues.textContent()).toContain("Bits (data.bits)");
    expect(
      await dashboard.page.getByLabel("Bits", { exact: true }).getAttribute("aria-invalid"),
    ).toBe("true");
    expect(await dashboard.page.getByTestId("sent-entry").count()).toBe(sent);
    await dashboard.screenshot("simulator-invalid");
    await dashboard.page.getByLabel("Bits", { exact: true }).fill("100");
    await dashboard.page.getByRole("radio", { name: "Follow", exact: true }).check();
  });

  it("rides out a hub restart with no reload, then shows every event once, in order", async () => {
    await dashboard.go("Activity");
    const before = await domSeqs();
    expect(before.length).toBeGreaterThan(0);

    await dashboard.hub.kill("SIGTERM");
    await dashboard.page.locator(".connection[data-state='reconnecting']").waitFor();
    await dashboard.page.locator(".connection-banner").waitFor();
    // Nothing blanked: the feed still shows what it had.
    expect(await dashboard.page.locator(".event-row").count()).toBe(before.length);
    await dashboard.screenshot("outage");

    dashboard.replaceHub(await startHub());
    const names = ["Back1", "Back2", "Back3", "Back4", "Back5"];
    for (const name of names.slice(0, 2)) {
      expect(
        (await api("/events", { method: "POST", body: JSON.stringify(follow(name)) })).status,
      ).toBe(202);
    }
    const batch = await api("/events", {
      method: "POST",
      body: JSON.stringify(names.slice(2).map(follow)),
    });
    expect(batch.status).toBe(202);

    await dashboard.page.locator(".connection[data-state='open']").waitFor({ timeout: 30_000 });
    for (const name of names) await feedRow(`${name} followed`).waitFor();

    // The feed holds exactly what the hub stored, newest first, each event once.
    const stored = async () => {
      const response = await api("/activity/events?limit=1000");
      const page = (await response.json()) as { events: { seq: number }[] };
      return page.events.map((event) => event.seq);
    };
    let expected = await stored();
    let shown = await domSeqs();
    const deadline = Date.now() + WAIT_MS;
    while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
      await dashboard.page.waitForTimeout(100);
      expected = await stored();
      shown = await domSeqs();
    }
    expect(shown).toEqual(expected);
    expect(new Set(shown).size).toBe(shown.length);
    for (const name of names) expect(await feedRow(`${name} followed`).count()).toBe(1);
    expect(await feedRow("FirstFollower followed").count()).toBe(1);

    expect(
      await dashboard.page.evaluate(
        () => (window as unknown as { loadMarker?: string }).loadMarker,
      ),
    ).toBe("first-load");
    await dashboard.screenshot("recovered");
  });
});
