/**
 * The OBS view in a real browser (Debian's Chromium through playwright-core) against a real hub
 * started as a child process and a fake OBS (`startFakeObs`, obs-websocket 5 on real sockets) run
 * by this test: a streamer switches scenes, starts and stops the stream, sees a scene picked in
 * OBS in the activity feed, watches the hub reconnect by itself when OBS quits and comes back, and
 * is told plainly when OBS refuses the password (a second hub with the wrong one). One page; each
 * step is saved as a screenshot under `test-output/`. Needs `bun run build` first (turbo's test
 * task does it).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  type FakeObs,
  type HubProcess,
  launchBrowser,
  spawnHub,
  startFakeObs,
} from "@landale/testkit";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

const HUB_MAIN = new URL("../../server/src/main.ts", import.meta.url).pathname;
const BUILT = new URL("../dist/index.html", import.meta.url).pathname;
const OUTPUT = new URL("../test-output/", import.meta.url).pathname;
const TOKEN = "dashboard-obs-test-token";
const OBS_PASSWORD = "obs-e2e-password";
const WRONG_PASSWORD = "not-the-obs-password";
/** Top first, as OBS's Scenes panel shows them. */
const SCENES = ["Starting Soon", "Game", "BRB", "Ending"];
// The hub retries a closed OBS after 1 s, then 2 s, 4 s…: well within this.
const WAIT_MS = 20_000;

// Starting a hub and a browser takes longer than bun's default 5 s.
setDefaultTimeout(60_000);

let fake: FakeObs;
let hub: HubProcess;
/** The hub with the wrong password, started by the last test. */
let refusedHub: HubProcess | null = null;
let browser: Browser | null = null;
let page: Page;
/** Uncaught errors in any page: none is expected, ever. */
const pageErrors: string[] = [];

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(OUTPUT, `obs-${name}.png`), fullPage: true });
}

async function signIn(at: HubProcess): Promise<void> {
  await page.goto(`${at.url}/dashboard/`);
  await page.getByLabel("Control token").fill(TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".connection[data-state='open']").waitFor();
}

async function go(view: "OBS" | "Activity"): Promise<void> {
  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: view }).click();
  await page.locator("#view-title").filter({ hasText: view }).waitFor();
}

const obsState = (state: string) =>
  page.locator(`[data-testid='obs-state'][data-state='${state}']`);
const sceneButton = (name: string) =>
  page.locator(`[data-testid='obs-scene'][data-scene='${name}']`);
const streaming = () => page.locator("[data-testid='obs-stream'][data-active]");
const offAir = () => page.locator("[data-testid='obs-stream']:not([data-active])");

beforeAll(async () => {
  if (!existsSync(BUILT)) {
    throw new Error(
      `no built dashboard at ${BUILT}: run \`bun run build\` in apps/dashboard first`,
    );
  }
  mkdirSync(OUTPUT, { recursive: true });
  fake = startFakeObs({ password: OBS_PASSWORD, scenes: SCENES });
  hub = await spawnHub({
    main: HUB_MAIN,
    env: {
      LANDALE_TOKEN: TOKEN,
      OBS_WEBSOCKET_URL: fake.url,
      OBS_WEBSOCKET_PASSWORD: OBS_PASSWORD,
    },
    // One hub serves the whole file: afterAll stops it.
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
  await refusedHub?.stop();
  await hub?.stop();
  await fake?.stop();
});

describe("the dashboard's OBS view against a real hub and a fake OBS", () => {
  it("lists OBS's scenes top first, and one click puts a scene on program in OBS", async () => {
    await signIn(hub);
    await go("OBS");
    expect(new URL(page.url()).pathname).toBe("/dashboard/obs");
    await obsState("connected").waitFor();
    expect(await page.getByTestId("obs-version").textContent()).toBe("32.0.1");
    expect(await page.locator("[data-testid='obs-problem']").count()).toBe(0);

    await sceneButton("Starting Soon").and(page.locator("[data-program]")).waitFor();
    const listed = await page
      .getByTestId("obs-scene")
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute("data-scene")));
    expect(listed).toEqual(SCENES);
    expect(fake.snapshot().programScene).toBe("Starting Soon");
    await screenshot("connected");

    await sceneButton("BRB").click();
    // Marked once OBS said it switched: the hub's status follows OBS's event.
    await sceneButton("BRB").and(page.locator("[data-program]")).waitFor();
    expect(fake.snapshot().programScene).toBe("BRB");
    expect(await page.locator("[data-testid='obs-scene'][data-program]").count()).toBe(1);
    expect(await sceneButton("BRB").getAttribute("aria-pressed")).toBe("true");
    expect(await page.locator("[data-testid='obs-scenes-error']").count()).toBe(0);
    await screenshot("scene-switched");
  });

  it("starts the stream, then stops it only once the stop is confirmed", async () => {
    expect(fake.snapshot().streaming).toBe(false);
    await page.getByTestId("obs-stream-start").click();
    await streaming().waitFor();
    expect(fake.snapshot().streaming).toBe(true);
    expect(await page.getByTestId("obs-stream-state").textContent()).toBe("Live");
    // The running time shows with the start itself (the hub says zero), not a stats tick later.
    expect(await page.getByTestId("obs-stream-timecode").isVisible()).toBe(true);
    await screenshot("live");

    await page.getByTestId("obs-stream-stop").click();
    const question = page.getByTestId("obs-stream-stop-question");
    await question.filter({ hasText: "Stop the stream?" }).waitFor();
    // Asking is not stopping: OBS is still live while the question is up.
    expect(fake.snapshot().streaming).toBe(true);
    await screenshot("stop-question");

    await page.getByTestId("obs-stream-stop-confirm").click();
    await offAir().waitFor();
    expect(fake.snapshot().streaming).toBe(false);
    expect(await page.getByTestId("obs-stream-state").textContent()).toBe("Off air");
    await page.getByTestId("obs-stream-start").waitFor();
    expect(await page.locator("[data-testid='obs-stream-error']").count()).toBe(0);
    await screenshot("off-air");
  });

  it("shows a scene the streamer picks in OBS in the activity feed, by name", async () => {
    await go("Activity");
    const sceneRow = (text: string) =>
      page.locator(".event-row[data-type='obs.scene.changed']").filter({ hasText: text });
    // The dashboard's own switch, from the stored history.
    await sceneRow("Scene changed to BRB (was Starting Soon)").waitFor();

    fake.setProgramScene("Ending");
    // Live: committed by the hub and pushed to the open page.
    const row = sceneRow("Scene changed to Ending (was BRB)");
    await row.waitFor();
    expect(await row.locator(".event-source").textContent()).toBe("obs");
    expect(await row.locator(".event-type").textContent()).toBe("OBS");
    // The stream's start and stop read as words too.
    await page.locator(".event-row[data-type='obs.stream.started']").waitFor();
    await page
      .locator(".event-row[data-type='obs.stream.stopped']")
      .filter({ hasText: "OBS stopped streaming" })
      .waitFor();
    await screenshot("activity");

    await go("OBS");
    await sceneButton("Ending").and(page.locator("[data-program]")).waitFor();
  });

  it("reconnects by itself when OBS quits and starts again, without a click", async () => {
    await obsState("connected").waitFor();
    await fake.close();
    // The hub tried while OBS was away, and failed: the view says it keeps trying.
    await obsState("connecting").filter({ hasText: "Reconnecting" }).waitFor();
    expect(await page.getByTestId("obs-attempts").textContent()).not.toBe("0");
    await page.getByTestId("obs-controls-blocked").waitFor();
    expect(await page.getByTestId("obs-stream-start").isDisabled()).toBe(true);
    expect(await sceneButton("BRB").isDisabled()).toBe(true);
    await screenshot("reconnecting");

    await fake.restart();
    await obsState("connected").waitFor();
    await sceneButton("Ending").and(page.locator("[data-program]")).waitFor();
    expect(await page.getByTestId("obs-stream-start").isEnabled()).toBe(true);
    expect(await page.locator("[data-testid='obs-controls-blocked']").count()).toBe(0);
    expect(fake.clients()).toHaveLength(1);
    await screenshot("reconnected");
  });

  it("says OBS refused the password, and what to do, on a hub with the wrong one", async () => {
    refusedHub = await spawnHub({
      main: HUB_MAIN,
      env: {
        LANDALE_TOKEN: TOKEN,
        OBS_WEBSOCKET_URL: fake.url,
        OBS_WEBSOCKET_PASSWORD: WRONG_PASSWORD,
      },
      stopAfter: "caller",
    });
    await signIn(refusedHub);
    await go("OBS");

    await obsState("disconnected").filter({ hasText: "Password refused" }).waitFor();
    const problem = page.locator("[data-testid='obs-problem'][data-code='obs_auth_failed']");
    await problem.waitFor();
    expect(await page.getByTestId("obs-problem-message").textContent()).toBe(
      "OBS refused the password in OBS_WEBSOCKET_PASSWORD.",
    );
    const action = (await page.getByTestId("obs-problem-action").textContent()) ?? "";
    expect(action).toContain("What to do:");
    expect(action).toContain(
      "Set OBS_WEBSOCKET_PASSWORD to the password in OBS → Tools → WebSocket Server Settings",
    );
    expect(await page.getByTestId("obs-summary").textContent()).toContain(
      "refused the hub's password",
    );
    // Nothing works until it matches, and the view says so instead of failing on a click.
    await page
      .getByTestId("obs-controls-blocked")
      .filter({ hasText: "OBS refused the hub's password" })
      .waitFor();
    expect(await page.getByTestId("obs-stream-start").isDisabled()).toBe(true);
    await page.getByTestId("obs-no-scenes").waitFor();
    // The password itself is never shown.
    expect(await page.content()).not.toContain(WRONG_PASSWORD);
    await screenshot("password-refused");
  });
});
