/**
 * The OBS view in a real browser (Debian's Chromium through playwright-core) against a real hub
 * started as a child process and a fake OBS (`startFakeObs`, obs-websocket 5 on real sockets) run
 * by this test: a streamer switches scenes, sends a preview to program in studio mode, is told
 * when OBS could not start the stream, starts and stops the stream, sees a scene picked in OBS in
 * the activity feed, watches the hub reconnect by itself when OBS quits and comes back, and is
 * told plainly when OBS refuses the password (a second hub with the wrong one). One page; each
 * step is saved as a screenshot under `test-output/`. Needs `bun run build` first (turbo's test
 * task does it).
 */
import { afterAll, describe, expect, it } from "bun:test";
import { type FakeObs, type HubProcess, spawnHub, startFakeObs } from "@landale/testkit";
import { HUB_MAIN, useDashboardPage } from "./support/page";

const TOKEN = "dashboard-obs-test-token";
const OBS_PASSWORD = "obs-e2e-password";
const WRONG_PASSWORD = "not-the-obs-password";
/** Top first, as OBS's Scenes panel shows them. */
const SCENES = ["Starting Soon", "Game", "BRB", "Ending"];
// The hub retries a closed OBS after 1 s, then 2 s, 4 s…: well within this.
const WAIT_MS = 20_000;

let fake: FakeObs;
/** The hub with the wrong password, started by the last test. */
let refusedHub: HubProcess | null = null;

async function screenshot(name: string): Promise<void> {
  await dashboard.screenshot(`obs-${name}`, true);
}

const obsState = (state: string) =>
  dashboard.page.locator(`[data-testid='obs-state'][data-state='${state}']`);
const sceneButton = (name: string) =>
  dashboard.page.locator(`[data-testid='obs-scene'][data-scene='${name}']`);
const previewButton = (name: string) =>
  dashboard.page.locator(`[data-testid='obs-preview-scene'][data-scene='${name}']`);
const streaming = () => dashboard.page.locator("[data-testid='obs-stream'][data-active]");
const offAir = () => dashboard.page.locator("[data-testid='obs-stream']:not([data-active])");

const dashboard = useDashboardPage(
  async () => {
    fake = startFakeObs({ password: OBS_PASSWORD, scenes: SCENES });
    return spawnHub({
      main: HUB_MAIN,
      env: {
        LANDALE_TOKEN: TOKEN,
        OBS_WEBSOCKET_URL: fake.url,
        OBS_WEBSOCKET_PASSWORD: OBS_PASSWORD,
      },
      // One hub serves the whole file: afterAll stops it.
      stopAfter: "caller",
    });
  },
  { waitMs: WAIT_MS },
);

afterAll(async () => {
  await refusedHub?.stop();
  await fake?.stop();
});

describe("the dashboard's OBS view against a real hub and a fake OBS", () => {
  it("lists OBS's scenes top first, and one click puts a scene on program in OBS", async () => {
    await dashboard.signIn(TOKEN);
    await dashboard.go("OBS");
    expect(new URL(dashboard.page.url()).pathname).toBe("/dashboard/obs");
    await obsState("connected").waitFor();
    expect(await dashboard.page.getByTestId("obs-version").textContent()).toBe("32.0.1");
    expect(await dashboard.page.locator("[data-testid='obs-problem']").count()).toBe(0);

    await sceneButton("Starting Soon").and(dashboard.page.locator("[data-program]")).waitFor();
    const listed = await dashboard.page
      .getByTestId("obs-scene")
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute("data-scene")));
    expect(listed).toEqual(SCENES);
    expect(fake.snapshot().programScene).toBe("Starting Soon");
    await screenshot("connected");

    await sceneButton("BRB").click();
    // Marked once OBS said it switched: the hub's status follows OBS's event.
    await sceneButton("BRB").and(dashboard.page.locator("[data-program]")).waitFor();
    expect(fake.snapshot().programScene).toBe("BRB");
    expect(await dashboard.page.locator("[data-testid='obs-scene'][data-program]").count()).toBe(1);
    expect(await sceneButton("BRB").getAttribute("aria-pressed")).toBe("true");
    expect(await dashboard.page.locator("[data-testid='obs-scenes-error']").count()).toBe(0);
    await screenshot("scene-switched");
  });

  it("turns studio mode on with the preview known, so it goes to program in one click", async () => {
    const transition = dashboard.page.getByTestId("obs-transition");
    await dashboard.page.getByTestId("obs-studio-mode").click();
    // OBS puts the program scene in preview without saying so (obs-websocket 5.1): the hub asks.
    await previewButton("BRB").and(dashboard.page.locator("[data-preview]")).waitFor();
    expect(await transition.isEnabled()).toBe(true);
    await screenshot("studio-mode");

    await previewButton("Game").click();
    await previewButton("Game").and(dashboard.page.locator("[data-preview]")).waitFor();
    await transition.click();
    await sceneButton("Game").and(dashboard.page.locator("[data-program]")).waitFor();
    expect(fake.snapshot().programScene).toBe("Game");

    await dashboard.page.getByTestId("obs-studio-mode").click();
    await transition.waitFor({ state: "detached" });
    await sceneButton("BRB").click();
    await sceneButton("BRB").and(dashboard.page.locator("[data-program]")).waitFor();
  });

  it("says plainly when OBS could not start the stream, and what to check", async () => {
    fake.failStreamStarts(true);
    await dashboard.page.getByTestId("obs-stream-start").click();
    const failure = dashboard.page.locator(
      "[data-testid='obs-stream-failure'][data-code='obs_stream_start_failed']",
    );
    await failure.waitFor();
    expect(await dashboard.page.getByTestId("obs-stream-failure-message").textContent()).toContain(
      "OBS could not start the stream.",
    );
    expect(await dashboard.page.getByTestId("obs-stream-failure-action").textContent()).toContain(
      "Check the stream server and key in OBS",
    );
    expect(await dashboard.page.getByTestId("obs-stream-state").textContent()).toBe("Off air");
    expect(await dashboard.page.getByTestId("obs-stream-start").isEnabled()).toBe(true);
    expect(fake.snapshot().streaming).toBe(false);
    await screenshot("stream-failed");
    fake.failStreamStarts(false);
  });

  it("starts the stream, then stops it only once the stop is confirmed", async () => {
    expect(fake.snapshot().streaming).toBe(false);
    await dashboard.page.getByTestId("obs-stream-start").click();
    await streaming().waitFor();
    // Live at last: the failed start before is no longer news.
    expect(await dashboard.page.locator("[data-testid='obs-stream-failure']").count()).toBe(0);
    expect(fake.snapshot().streaming).toBe(true);
    expect(await dashboard.page.getByTestId("obs-stream-state").textContent()).toBe("Live");
    // The running time shows with the start itself (the hub says zero), not a stats tick later.
    expect(await dashboard.page.getByTestId("obs-stream-timecode").isVisible()).toBe(true);
    await screenshot("live");

    await dashboard.page.getByTestId("obs-stream-stop").click();
    const question = dashboard.page.getByTestId("obs-stream-stop-question");
    await question.filter({ hasText: "Stop the stream?" }).waitFor();
    // Asking is not stopping: OBS is still live while the question is up.
    expect(fake.snapshot().streaming).toBe(true);
    await screenshot("stop-question");

    await dashboard.page.getByTestId("obs-stream-stop-confirm").click();
    await offAir().waitFor();
    expect(fake.snapshot().streaming).toBe(false);
    expect(await dashboard.page.getByTestId("obs-stream-state").textContent()).toBe("Off air");
    await dashboard.page.getByTestId("obs-stream-start").waitFor();
    expect(await dashboard.page.locator("[data-testid='obs-stream-error']").count()).toBe(0);
    await screenshot("off-air");
  });

  it("shows a scene the streamer picks in OBS in the activity feed, by name", async () => {
    await dashboard.go("Activity");
    const sceneRow = (text: string) =>
      dashboard.page.locator(".event-row[data-type='obs.scene.changed']").filter({ hasText: text });
    // The dashboard's own switch, from the stored history.
    await sceneRow("Scene changed to BRB (was Starting Soon)").waitFor();

    fake.setProgramScene("Ending");
    // Live: committed by the hub and pushed to the open dashboard.page.
    const row = sceneRow("Scene changed to Ending (was BRB)");
    await row.waitFor();
    expect(await row.locator(".event-source").textContent()).toBe("obs");
    expect(await row.locator(".event-type").textContent()).toBe("OBS");
    // The stream's failed start, start and stop read as words too.
    await dashboard.page
      .locator(".event-row[data-type='obs.stream.start_failed']")
      .filter({ hasText: "OBS could not start the stream" })
      .waitFor();
    await dashboard.page.locator(".event-row[data-type='obs.stream.started']").waitFor();
    await dashboard.page
      .locator(".event-row[data-type='obs.stream.stopped']")
      .filter({ hasText: "OBS stopped streaming" })
      .waitFor();
    await screenshot("activity");

    await dashboard.go("OBS");
    await sceneButton("Ending").and(dashboard.page.locator("[data-program]")).waitFor();
  });

  it("reconnects by itself when OBS quits and starts again, without a click", async () => {
    await obsState("connected").waitFor();
    await dashboard.page.getByTestId("obs-record-start").click();
    const recordTime = dashboard.page.getByTestId("obs-record-timecode");
    await recordTime.waitFor();
    await fake.close();
    // The hub tried while OBS was away, and failed: the view says it keeps trying.
    await obsState("connecting").filter({ hasText: "Reconnecting" }).waitFor();
    // What OBS was recording is only last known now: its clock stops rather than run on.
    await dashboard.page.getByTestId("obs-record-last-known").waitFor();
    const stoppedAt = await recordTime.textContent();
    await Bun.sleep(1_500);
    expect(await recordTime.textContent()).toBe(stoppedAt);
    expect(await dashboard.page.getByTestId("obs-attempts").textContent()).not.toBe("0");
    await dashboard.page.getByTestId("obs-controls-blocked").waitFor();
    expect(await dashboard.page.getByTestId("obs-stream-start").isDisabled()).toBe(true);
    expect(await sceneButton("BRB").isDisabled()).toBe(true);
    await screenshot("reconnecting");

    await fake.restart();
    await obsState("connected").waitFor();
    await sceneButton("Ending").and(dashboard.page.locator("[data-program]")).waitFor();
    expect(await dashboard.page.getByTestId("obs-stream-start").isEnabled()).toBe(true);
    expect(await dashboard.page.locator("[data-testid='obs-controls-blocked']").count()).toBe(0);
    expect(fake.clients()).toHaveLength(1);
    expect(await dashboard.page.locator("[data-testid='obs-record-last-known']").count()).toBe(0);
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
    await dashboard.signIn(TOKEN, { at: refusedHub });
    await dashboard.go("OBS");

    await obsState("disconnected").filter({ hasText: "Password refused" }).waitFor();
    const problem = dashboard.page.locator(
      "[data-testid='obs-problem'][data-code='obs_auth_failed']",
    );
    await problem.waitFor();
    expect(await dashboard.page.getByTestId("obs-problem-message").textContent()).toBe(
      "OBS refused the password in OBS_WEBSOCKET_PASSWORD.",
    );
    const action = (await dashboard.page.getByTestId("obs-problem-action").textContent()) ?? "";
    expect(action).toContain("What to do:");
    expect(action).toContain(
      "Set OBS_WEBSOCKET_PASSWORD to the password in OBS → Tools → WebSocket Server Settings",
    );
    expect(await dashboard.page.getByTestId("obs-summary").textContent()).toContain(
      "refused the hub's password",
    );
    // Nothing works until it matches, and the view says so instead of failing on a click.
    await dashboard.page
      .getByTestId("obs-controls-blocked")
      .filter({ hasText: "OBS refused the hub's password" })
      .waitFor();
    expect(await dashboard.page.getByTestId("obs-stream-start").isDisabled()).toBe(true);
    await dashboard.page.getByTestId("obs-no-scenes").waitFor();
    // The password itself is never shown.
    expect(await dashboard.page.content()).not.toContain(WRONG_PASSWORD);
    await screenshot("password-refused");
  });
});
