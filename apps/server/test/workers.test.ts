/**
 * The hub's workers, as processes: the hub (run directly, or by the launcher as `bun start` does)
 * starts a fake worker (a script that reports how it was started, serves /health and, when told
 * to, crashes), restarts it when it crashes, gives up after too many (its own health degraded
 * then), reports it and its health (healthy, or degraded with the problems it gave) on
 * `dashboard:services`, logs its lines under its name, stops it on SIGTERM, and leaves nothing
 * behind when the hub or the launcher is killed with SIGKILL. The real workers, started by
 * `LANDALE_WORKERS=all` with their health ports moved, are checked where they moved to. The build
 * is a stub `turbo`.
 */
import { describe, expect, it, onTestFinished } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DASHBOARD,
  DASHBOARD_SERVICES,
  HubHealth,
  PUSH,
  type ServicesStatus,
} from "@landale/shared";
import { freePort, type HubProcess, spawnHub } from "@landale/testkit";
import { Socket } from "phoenix";
import { eventually } from "./support/eventually";
import { joinChannel, push } from "./support/hub";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const LAUNCHER = new URL("../src/launcher.ts", import.meta.url).pathname;
/** Far above the half-second parent poll of an orphaned child. */
const GONE_MS = 20_000;

/**
 * Reports each start as a JSON line; exits with FAKE_EXIT (3) on its first FAKE_CRASHES starts;
 * else answers /health with FAKE_HEALTH (by default `ok` with no problems) and runs until
 * signalled or, as asked, until its parent is gone.
 */
const FAKE_WORKER = `
import { appendFileSync, existsSync, readFileSync } from "node:fs";
const report = process.env.FAKE_REPORT;
const starts = existsSync(report) ? readFileSync(report, "utf8").split("\\n").filter(Boolean).length : 0;
appendFileSync(report, JSON.stringify({
  pid: process.pid,
  ppid: process.ppid,
  token: process.env.LANDALE_WORKER_TOKEN ?? null,
  hubUrl: process.env.LANDALE_HUB_URL ?? null,
  exitWithParent: process.env.LANDALE_EXIT_WITH_PARENT ?? null,
}) + "\\n");
if (starts < Number(process.env.FAKE_CRASHES ?? 0)) process.exit(Number(process.env.FAKE_EXIT ?? 3));
console.log("fake worker says hello");
const answer = process.env.FAKE_HEALTH ?? JSON.stringify({ status: "ok", problems: [] });
Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.FAKE_PORT),
  fetch: () => new Response(answer, { headers: { "content-type": "application/json" } }),
});
const parent = process.ppid;
if (process.env.LANDALE_EXIT_WITH_PARENT === "1") {
  setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 100);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
`;

interface Start {
  pid: number;
  ppid: number;
  token: string | null;
  hubUrl: string | null;
  exitWithParent: string | null;
}

interface Launched {
  launcher: HubProcess;
  starts(): Start[];
}

/** The hub run directly (`viaLauncher`: through `bun start`'s launcher) with the fake worker. */
async function launch(env: Record<string, string> = {}, viaLauncher = false): Promise<Launched> {
  const dir = mkdtempSync(join(tmpdir(), "landale-workers-test-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin", "turbo"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  const worker = join(dir, "worker.ts");
  writeFileSync(worker, FAKE_WORKER);
  const report = join(dir, "starts.jsonl");
  const port = await freePort();
  const launcher = await spawnHub({
    main: MAIN,
    ...(viaLauncher ? { command: ["bun", LAUNCHER] } : {}),
    env: {
      PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
      LANDALE_WORKERS: `fake=${worker}@http://127.0.0.1:${port}/health, absent=${join(dir, "no-such-worker.ts")}`,
      FAKE_PORT: String(port),
      FAKE_REPORT: report,
      LOG_LEVEL: "info",
      ...env,
    },
  });
  // Whatever a test leaves running is killed, so a failure cannot leak processes.
  onTestFinished(() => {
    for (const start of starts()) kill(start.pid);
  });
  const starts = (): Start[] => {
    try {
      return readFileSync(report, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Start);
    } catch {
      return [];
    }
  };
  return { launcher, starts };
}

/** Running: a zombie (exited, not yet reaped by whoever adopted it) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // `pid (name) S ...`: the state follows the name's closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** `GET /api/health` of a hub without a control token, read with its schema. */
async function hubHealth(hub: HubProcess): Promise<HubHealth> {
  return HubHealth.parse(await (await fetch(`${hub.url}/api/health`)).json());
}

/** The last `services_status` pushed on `dashboard:services` (or `topic`). */
async function watchServices(
  hub: HubProcess,
  topic = DASHBOARD_SERVICES.name,
): Promise<() => ServicesStatus | undefined> {
  return (await joinServices(hub, topic)).last;
}

async function joinServices(hub: HubProcess, topic: string) {
  const socket = new Socket(hub.socketUrl, { reconnectAfterMs: () => 60_000 });
  socket.connect();
  onTestFinished(() => socket.disconnect());
  const channel = socket.channel(topic);
  let last: ServicesStatus | undefined;
  channel.on(PUSH.servicesStatus, (status: ServicesStatus) => {
    last = status;
  });
  expect((await joinChannel(channel)).status).toBe("ok");
  return { channel, last: () => last };
}

describe("the hub's workers", () => {
  it("starts the hub and the workers with one worker token, skips an absent worker, and SIGTERM stops all", async () => {
    const { launcher, starts } = await launch();
    await eventually("the fake worker to start", () => starts().length === 1);
    const [start] = starts();
    expect(start).toEqual({
      pid: expect.any(Number),
      ppid: expect.any(Number),
      token: expect.any(String),
      hubUrl: launcher.url,
      exitWithParent: "1",
    });
    const token = start?.token ?? "";
    expect(token.length).toBeGreaterThanOrEqual(16);
    // The hub was given the same token: it stands for the worker scope there.
    const asWorker = (path: string) =>
      fetch(`${launcher.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await asWorker("/api/transcriptions")).status).toBe(200);
    expect((await asWorker("/api/health")).status).toBe(403);
    expect(launcher.output()).toContain("absent is not here");
    expect(launcher.output()).not.toContain(token);
    // Its output is in the hub's log, under its name.
    await launcher.waitForOutput(/"worker":"fake".*fake worker says hello/);

    await launcher.kill("SIGTERM");
    expect(await launcher.exited).toBe(0);
    expect(alive(start?.pid ?? 0)).toBe(false);
    expect(await answers(`${launcher.url}/health`)).toBe(false);
  });

  it("passes a worker token it was given, and the hub's URL it was given", async () => {
    const token = "a-chosen-worker-token-0123";
    const { launcher, starts } = await launch({
      LANDALE_WORKER_TOKEN: token,
      LANDALE_HUB_URL: "http://hub.example:9999",
    });
    await eventually("the fake worker to start", () => starts().length === 1);
    expect(starts()[0]).toMatchObject({ token, hubUrl: "http://hub.example:9999" });
    const health = await fetch(`${launcher.url}/api/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(health.status).toBe(403);
    expect(launcher.output()).not.toContain(token);
  });

  it("restarts a worker that crashes, with backoff, until it stays up", async () => {
    const { launcher, starts } = await launch({ FAKE_CRASHES: "2" });
    await eventually("the third start", () => starts().length === 3);
    const third = starts()[2];
    expect(alive(third?.pid ?? 0)).toBe(true);
    expect(launcher.output().match(/fake exited: restarting/g)?.length).toBe(2);
    expect(await answers(`${launcher.url}/health`)).toBe(true);
    const services = await watchServices(launcher);
    await eventually(
      "the worker to be healthy",
      () => services()?.workers[0]?.health === "healthy",
    );
    expect(services()?.workers[0]).toMatchObject({
      name: "fake",
      state: "running",
      pid: third?.pid,
      restarts: 2,
      last_error: "exited with code 3",
    });
    expect(services()?.workers[0]?.logs).toContain("fake worker says hello");
    // Up and well again: it does not count against the hub.
    const health = await hubHealth(launcher);
    expect(health.workers).toEqual([
      { name: "fake", state: "running", health: "healthy", problem: null },
    ]);
    expect([health.status, health.problems]).toEqual(["ok", []]);
  });

  it("reports a worker that answers degraded as degraded, with the problems it gave", async () => {
    const problems = ["engine whisper-cpp: whisper-cli was not found"];
    const { launcher } = await launch({
      FAKE_HEALTH: JSON.stringify({ status: "degraded", service: "fake", problems }),
    });
    const services = await watchServices(launcher);
    await eventually(
      "the worker to be reported degraded",
      () => services()?.workers[0]?.health === "degraded",
    );
    expect(services()?.workers[0]).toMatchObject({
      name: "fake",
      state: "running",
      health: "degraded",
      problems,
      health_since: expect.any(String),
    });
  });

  it("checks the default workers' health where their own settings moved it", async () => {
    const [audio, audioHealth, seedHealth] = [await freePort(), await freePort(), await freePort()];
    const launcher = await spawnHub({
      main: MAIN,
      env: {
        LANDALE_WORKERS: "all",
        PHONONMASER_PORT: String(audio),
        PHONONMASER_HEALTH_PORT: String(audioHealth),
        SEED_HEALTH_PORT: String(seedHealth),
      },
    });
    const services = await watchServices(launcher);
    const healthOf = () =>
      Object.fromEntries((services()?.workers ?? []).map((worker) => [worker.name, worker.health]));
    await eventually(
      "both workers to be reported healthy",
      () => healthOf().phononmaser === "healthy" && healthOf().seed === "healthy",
      60_000,
    );
    expect(services()?.workers.map((worker) => worker.health_url)).toEqual([
      `http://127.0.0.1:${audioHealth}/health`,
      `http://127.0.0.1:${seedHealth}/health`,
    ]);
  });

  it("is back after a kill -9 of the worker, with its restart reported", async () => {
    const { launcher, starts } = await launch();
    const services = await watchServices(launcher);
    await eventually("the fake worker to start", () => starts().length === 1);
    kill(starts()[0]?.pid ?? 0);
    await eventually("the restart", () => services()?.workers[0]?.restarts === 1);
    await eventually("the second start", () => starts().length === 2);
    expect(services()?.workers[0]?.last_error).toBe("killed by SIGKILL (code 137)");
  });

  it("stops, starts and restarts a worker by the dashboard's commands, old and new", async () => {
    const { launcher, starts } = await launch();
    await eventually("the fake worker to start", () => starts().length === 1);
    const main = await joinServices(launcher, DASHBOARD.name);
    const old = await joinServices(launcher, DASHBOARD_SERVICES.name);
    const state = (reply: { response: unknown }) =>
      (reply.response as ServicesStatus).workers.map(({ name, state }) => [name, state]);

    expect(state(await push(main.channel, "worker:stop", { name: "fake" }))).toEqual([
      ["fake", "stopped"],
    ]);
    expect(alive(starts()[0]?.pid ?? 0)).toBe(false);
    expect(main.last()?.workers[0]?.state).toBe("stopped");
    expect(state(await push(old.channel, "start", { service: "fake" }))).toEqual([
      ["fake", "running"],
    ]);
    await eventually("the second start", () => starts().length === 2);
    const restarted = await push(old.channel, "restart", { service: "fake" });
    expect(state(restarted)).toEqual([["fake", "running"]]);
    await eventually("the third start", () => starts().length === 3);
    // Starts asked for are not restarts after a crash.
    expect((await push(main.channel, "worker:get_status", {})).response).toMatchObject({
      workers: [{ name: "fake", restarts: 0, pid: starts()[2]?.pid }],
    });
    expect(await push(old.channel, "stop", { service: "nobody" })).toEqual({
      status: "error",
      response: { code: "unknown_worker", message: 'no worker named "nobody"' },
    });
    expect((await push(main.channel, "worker:start", {})).status).toBe("error");
  });

  it("gives up on a worker that crashes too often, and says so", async () => {
    const { launcher, starts } = await launch({ FAKE_CRASHES: "100" });
    const services = await watchServices(launcher);
    await eventually(
      "the hub to give up",
      () => services()?.workers[0]?.state === "failed",
      60_000,
    );
    // The first start and 5 restarts (RESTART_DEFAULTS.maxRestarts).
    expect(starts()).toHaveLength(6);
    expect(services()?.workers[0]?.last_error).toContain("gave up after 5 restarts");
    expect(launcher.output()).toContain("fake keeps crashing: gave up restarting it");
    // The hub's own health says so: captions (or whatever the worker did) are dead.
    const health = await hubHealth(launcher);
    expect(health.status).toBe("degraded");
    expect(health.workers).toEqual([
      { name: "fake", state: "failed", health: "unknown", problem: expect.any(String) },
    ]);
    expect(health.workers[0]?.problem).toStartWith("fake failed: exited with code 3; gave up");
    expect(health.problems).toContain(health.workers[0]?.problem ?? "");
  });

  it("does not restart a worker that refused its configuration (exit 78)", async () => {
    const { launcher, starts } = await launch({ FAKE_CRASHES: "1", FAKE_EXIT: "78" });
    await eventually("the refusal to be logged", () =>
      launcher.output().includes("fake refused its configuration"),
    );
    expect(starts()).toHaveLength(1);
    expect(await answers(`${launcher.url}/health`)).toBe(true);
  });

  it("leaves no worker behind when the hub is killed with SIGKILL", async () => {
    const { launcher, starts } = await launch();
    await eventually("the fake worker to start", () => starts().length === 1);
    await launcher.kill("SIGKILL");
    await eventually("the worker to exit", () => !alive(starts()[0]?.pid ?? 0), GONE_MS);
  });

  it("under bun start, exits with the hub's code when the hub dies, the worker gone too", async () => {
    const { launcher, starts } = await launch({}, true);
    await eventually("the fake worker to start", () => starts().length === 1);
    process.kill(starts()[0]?.ppid ?? 0, "SIGKILL");
    // 128 + 9: the hub was killed by SIGKILL, as a shell reports it.
    expect(await launcher.exited).toBe(137);
    await eventually("the worker to exit", () => !alive(starts()[0]?.pid ?? 0), GONE_MS);
  });

  it("leaves no hub nor worker behind when bun start is killed with SIGKILL", async () => {
    const { launcher, starts } = await launch({}, true);
    await eventually("the fake worker to start", () => starts().length === 1);
    const pids = [starts()[0]?.ppid ?? 0, starts()[0]?.pid ?? 0];
    await launcher.kill("SIGKILL");
    await eventually(
      "the hub and the worker to exit",
      () => pids.every((pid) => !alive(pid)),
      GONE_MS,
    );
    expect(await answers(`${launcher.url}/health`)).toBe(false);
  });
});
