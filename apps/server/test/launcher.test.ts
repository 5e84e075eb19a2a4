/**
 * The launcher (`bun start`) as a process: it runs the real hub and a fake worker (a script that
 * reports how it was started and, when told to, crashes), restarts the worker when it crashes,
 * stops everything on SIGTERM, follows the hub when it exits, and leaves nothing behind when it
 * is killed with SIGKILL. The build is a stub `turbo` first on PATH.
 */
import { describe, expect, it, onTestFinished } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HubProcess, spawnHub } from "@landale/testkit";
import { eventually } from "./support/eventually";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const LAUNCHER = new URL("../src/launcher.ts", import.meta.url).pathname;
/** Far above the half-second parent poll of an orphaned child. */
const GONE_MS = 20_000;

/**
 * Reports each start as a JSON line; exits with FAKE_EXIT (3) on its first FAKE_CRASHES starts;
 * else runs until signalled or, as asked, until its parent is gone.
 */
const FAKE_WORKER = `
import { appendFileSync, existsSync, readFileSync } from "node:fs";
const report = process.env.FAKE_REPORT;
const starts = existsSync(report) ? readFileSync(report, "utf8").split("\\n").filter(Boolean).length : 0;
appendFileSync(report, JSON.stringify({
  pid: process.pid,
  token: process.env.LANDALE_WORKER_TOKEN ?? null,
  hubUrl: process.env.LANDALE_HUB_URL ?? null,
  exitWithParent: process.env.LANDALE_EXIT_WITH_PARENT ?? null,
}) + "\\n");
if (starts < Number(process.env.FAKE_CRASHES ?? 0)) process.exit(Number(process.env.FAKE_EXIT ?? 3));
const parent = process.ppid;
if (process.env.LANDALE_EXIT_WITH_PARENT === "1") {
  setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 100);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
`;

interface Start {
  pid: number;
  token: string | null;
  hubUrl: string | null;
  exitWithParent: string | null;
}

interface Launched {
  launcher: HubProcess;
  starts(): Start[];
}

async function launch(env: Record<string, string> = {}): Promise<Launched> {
  const dir = mkdtempSync(join(tmpdir(), "landale-launcher-test-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin", "turbo"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  const worker = join(dir, "worker.ts");
  writeFileSync(worker, FAKE_WORKER);
  const report = join(dir, "starts.jsonl");
  const launcher = await spawnHub({
    main: MAIN,
    command: ["bun", LAUNCHER],
    env: {
      PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
      LANDALE_WORKERS: `fake=${worker}, absent=${join(dir, "no-such-worker.ts")}`,
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

/** The hub's pid, from the launcher's own line saying it started it. */
function hubPid(launcher: HubProcess): number {
  const line = launcher
    .stdout()
    .split("\n")
    .find((text) => text.includes('"child":"hub"'));
  return (JSON.parse(line ?? "{}") as { pid: number }).pid;
}

describe("the launcher", () => {
  it("starts the hub and the workers with one worker token, skips an absent worker, and SIGTERM stops all", async () => {
    const { launcher, starts } = await launch();
    await eventually("the fake worker to start", () => starts().length === 1);
    const [start] = starts();
    expect(start).toEqual({
      pid: expect.any(Number),
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
  });

  it("does not restart a worker that refused its configuration (exit 78)", async () => {
    const { launcher, starts } = await launch({ FAKE_CRASHES: "1", FAKE_EXIT: "78" });
    await eventually("the refusal to be logged", () =>
      launcher.output().includes("fake refused its configuration"),
    );
    expect(starts()).toHaveLength(1);
    expect(await answers(`${launcher.url}/health`)).toBe(true);
  });

  it("stops the workers and exits with the hub's code when the hub dies", async () => {
    const { launcher, starts } = await launch();
    await eventually("the fake worker to start", () => starts().length === 1);
    process.kill(hubPid(launcher), "SIGKILL");
    // 128 + 9: the hub was killed by SIGKILL, as a shell reports it.
    expect(await launcher.exited).toBe(137);
    expect(alive(starts()[0]?.pid ?? 0)).toBe(false);
  });

  it("leaves no child behind when it is killed with SIGKILL", async () => {
    const { launcher, starts } = await launch();
    await eventually("the fake worker to start", () => starts().length === 1);
    const pids = [hubPid(launcher), starts()[0]?.pid ?? 0];
    await launcher.kill("SIGKILL");
    await eventually(
      "the hub and the worker to exit",
      () => pids.every((pid) => !alive(pid)),
      GONE_MS,
    );
    expect(await answers(`${launcher.url}/health`)).toBe(false);
  });
});
