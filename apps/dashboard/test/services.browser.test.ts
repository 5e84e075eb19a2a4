/**
 * The Services view in a real browser (Debian's Chromium through playwright-core) against a real
 * hub started as a child process, supervising a fake worker (a tiny Bun script with a /health
 * server, named in LANDALE_WORKERS): the streamer sees it running and healthy; killed with -9 it
 * is back within seconds and the view says it restarted once; Stop and Start work from the view.
 * Beside it, one that answers its health check `degraded` (the view shows its problems) and one
 * that refuses its configuration (the hub gives up on it, and the Health view says the hub is
 * degraded because of it). Needs `bun run build` first (turbo's test task does it).
 */
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, spawnHub } from "@landale/testkit";
import { HUB_MAIN, useDashboardPage } from "./support/page";

const TOKEN = "dashboard-services-test-token";
const WAIT_MS = 20_000;

/** Says hello, answers /health, and reports its pid there. */
const FAKE_WORKER = `
console.log("fake worker up as " + process.pid);
Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.FAKE_PORT),
  fetch: () => Response.json({ status: "ok", problems: [], pid: process.pid }),
});
process.on("SIGTERM", () => process.exit(0));
`;

const AILING_PROBLEM = "engine whisper-cpp: whisper-cli was not found";
/** Runs, but reports itself degraded, as the audio worker does without whisper-cli. */
const AILING_WORKER = `
Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.AILING_PORT),
  fetch: () => Response.json({ status: "degraded", problems: [${JSON.stringify(AILING_PROBLEM)}] }),
});
process.on("SIGTERM", () => process.exit(0));
`;
/** Refuses its configuration (exit 78): the hub gives up on it at once. */
const BROKEN_WORKER = `console.error("BROKEN_SETTING: must be set"); process.exit(78);`;

let dir: string;
let healthUrl: string;

const dashboard = useDashboardPage(
  async () => {
    dir = mkdtempSync(join(tmpdir(), "landale-services-test-"));
    writeFileSync(join(dir, "worker.ts"), FAKE_WORKER);
    writeFileSync(join(dir, "ailing.ts"), AILING_WORKER);
    writeFileSync(join(dir, "broken.ts"), BROKEN_WORKER);
    const [port, ailingPort] = [await freePort(), await freePort()];
    healthUrl = `http://127.0.0.1:${port}/health`;
    const workers = [
      `fake=${join(dir, "worker.ts")}@${healthUrl}`,
      `ailing=${join(dir, "ailing.ts")}@http://127.0.0.1:${ailingPort}/health`,
      `broken=${join(dir, "broken.ts")}`,
    ];
    return spawnHub({
      main: HUB_MAIN,
      env: {
        LANDALE_TOKEN: TOKEN,
        LANDALE_WORKERS: workers.join(","),
        FAKE_PORT: String(port),
        AILING_PORT: String(ailingPort),
      },
      stopAfter: "caller",
    });
  },
  { waitMs: WAIT_MS },
);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

const worker = () => dashboard.page.getByTestId("worker-fake");

async function workerPid(): Promise<number> {
  const response = await fetch(healthUrl);
  return ((await response.json()) as { pid: number }).pid;
}

describe("the Services view against a real hub supervising a fake worker", () => {
  it("shows the worker, brings it back after a kill -9 with one restart, and stops and starts it", async () => {
    await dashboard.signIn(TOKEN);
    await dashboard.go("Services");

    await worker().locator("[data-testid='worker-health'][data-health='healthy']").waitFor();
    expect(await worker().getAttribute("data-state")).toBe("running");
    expect(await worker().getByTestId("worker-restarts").textContent()).toBe("0");
    const first = await workerPid();
    expect(await worker().getByTestId("worker-pid").textContent()).toBe(String(first));
    await worker()
      .getByTestId("worker-logs")
      .filter({ hasText: `fake worker up as ${first}` })
      .waitFor({ state: "attached" });
    await dashboard.screenshot("services-running", true);

    process.kill(first, "SIGKILL");
    await worker().getByTestId("worker-restarts").filter({ hasText: "1" }).waitFor();
    await worker().locator("[data-testid='worker-health'][data-health='healthy']").waitFor();
    expect(await worker().getByTestId("worker-last-error").textContent()).toBe(
      "killed by SIGKILL (code 137)",
    );
    const second = await workerPid();
    expect(second).not.toBe(first);
    await dashboard.screenshot("services-restarted", true);

    await worker().getByRole("button", { name: "Stop", exact: true }).click();
    await dashboard.page.locator("[data-testid='worker-fake'][data-state='stopped']").waitFor();
    expect(await worker().getByTestId("worker-pid").textContent()).toBe("—");
    await worker().getByRole("button", { name: "Start", exact: true }).click();
    await worker().locator("[data-testid='worker-health'][data-health='healthy']").waitFor();
    expect(await worker().getAttribute("data-state")).toBe("running");
    // A start from the dashboard is not a restart after a crash.
    expect(await worker().getByTestId("worker-restarts").textContent()).toBe("1");
  });

  it("shows a degraded worker's problems, and on the Health view a hub degraded by a failed worker", async () => {
    const ailing = dashboard.page.getByTestId("worker-ailing");
    await ailing.locator("[data-testid='worker-health'][data-health='degraded']").waitFor();
    expect(await ailing.getByTestId("worker-problems").textContent()).toBe(AILING_PROBLEM);
    const broken = dashboard.page.getByTestId("worker-broken");
    await dashboard.page.locator("[data-testid='worker-broken'][data-state='failed']").waitFor();
    expect(await broken.getByTestId("worker-last-error").textContent()).toContain(
      "refused its configuration",
    );
    await dashboard.screenshot("services-unwell", true);

    await dashboard.go("Health");
    await dashboard.page.getByTestId("hub-status").filter({ hasText: "Degraded" }).waitFor();
    await dashboard.page
      .getByTestId("hub-problems")
      .filter({ hasText: "broken failed: refused its configuration" })
      .waitFor();
    const row = dashboard.page.getByTestId("health-worker-broken");
    expect(await row.getAttribute("data-state")).toBe("failed");
    expect(await dashboard.page.getByTestId("health-worker-fake").getAttribute("data-state")).toBe(
      "running",
    );
    await dashboard.screenshot("health-worker-failed", true);
  });
});
