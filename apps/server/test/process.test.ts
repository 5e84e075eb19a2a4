/**
 * The hub as a user runs it: `bun src/main.ts` (or `bun start`), stopped with a signal, refusing
 * a setting or a database it cannot use, waiting for a database that is away, and never
 * outliving the process that started it.
 */

import { describe, expect, it, onTestFinished } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openTestDatabase } from "@landale/db/testing";
import { EVENTS } from "@landale/shared";
import { type HubProcess, spawnHub, startTcpProxy } from "@landale/testkit";
import { sql } from "drizzle-orm";
import { Socket } from "phoenix";
import { HUB_RUNTIME_ENV } from "../src/runtime-env";
import { joinChannel, nextClose } from "./support/hub";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
const REPO_ROOT = new URL("../../../", import.meta.url).pathname;
/** How long an orphaned hub may take to notice and stop: far above its half-second poll. */
const GONE_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

describe("bun src/main.ts", () => {
  it("prints its URLs, serves, and on SIGTERM closes sockets with 1001 and exits 0 on its own", async () => {
    const hub = await spawnHub({ main: MAIN });
    await hub.waitForOutput(/Ctrl\+C/);
    expect(hub.stdout()).toContain(`${hub.url}/health`);
    expect(hub.stdout()).toContain(`${hub.url.replace("http", "ws")}/socket/websocket`);
    expect(await (await fetch(`${hub.url}/health`)).json()).toEqual({ status: "ok" });

    const socket = new Socket(`${hub.socketUrl}`, { reconnectAfterMs: () => 60_000 });
    socket.connect();
    expect((await joinChannel(socket.channel(EVENTS.topic("all").name))).status).toBe("ok");
    const closed = nextClose(socket);

    await hub.kill("SIGTERM");
    expect((await closed).code).toBe(1001);
    // Exit 0 comes only if nothing (timer, socket, server) kept the process alive: the watchdog
    // in main.ts exits 1 when a handle is left open after the stop.
    expect(await hub.exited).toBe(0);
    socket.disconnect();
  });

  it("refuses a bad setting with a message naming it", async () => {
    const hub = await spawnHub({ main: MAIN, env: { PORT: "not-a-port" }, waitReady: false });
    expect(await hub.exited).toBe(78);
    expect(hub.stderr()).toContain("Invalid configuration");
    expect(hub.stderr()).toContain("PORT:");
  });
});

describe.if(Boolean(process.env.TEST_DATABASE_URL))("a hub given a Postgres URL", () => {
  const urlTo = (database: string, user = "postgres") => {
    const url = new URL(process.env.TEST_DATABASE_URL ?? "");
    url.pathname = `/${database}`;
    url.username = user;
    return url.toString();
  };

  /** Spawns a hub on `databaseUrl` that is expected to give up, and returns its exit code. */
  async function exitCodeOn(databaseUrl: string): Promise<{ code: number; hub: HubProcess }> {
    const hub = await spawnHub({
      main: MAIN,
      env: { DATABASE_URL: databaseUrl },
      waitReady: false,
    });
    return { code: await hub.exited, hub };
  }

  it("exits 78 naming a database that does not exist, instead of retrying forever", async () => {
    const { code, hub } = await exitCodeOn(urlTo("no_such_db_xyz"));
    expect(code).toBe(78);
    expect(hub.stderr()).toContain('database "no_such_db_xyz" does not exist');
    expect(hub.output()).not.toContain("database not reachable yet");
  });

  it("exits 78 naming a role that may not log in", async () => {
    const { code, hub } = await exitCodeOn(urlTo("test", "no_such_role_xyz"));
    expect(code).toBe(78);
    expect(hub.stderr()).toContain('role "no_such_role_xyz" does not exist');
  });

  it("exits 78 when its role may not create the schema", async () => {
    const test = await openTestDatabase("postgres");
    const role = `landale_limited_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await test.database.rows(sql.raw(`CREATE ROLE "${role}" LOGIN`));
    try {
      const { code, hub } = await exitCodeOn(
        urlTo(new URL(test.url ?? "").pathname.slice(1), role),
      );
      expect(code).toBe(78);
      expect(hub.stderr()).toContain("permission denied");
    } finally {
      await test.database.rows(sql.raw(`DROP ROLE IF EXISTS "${role}"`));
      await test.dispose();
    }
  });

  it("keeps retrying while the database refuses connections, and is ready once it is back", async () => {
    const test = await openTestDatabase("postgres");
    const target = new URL(test.url ?? "");
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    try {
      await proxy.cut();
      const throughProxy = new URL(target);
      throughProxy.hostname = "127.0.0.1";
      throughProxy.port = String(proxy.port);
      const hub = await spawnHub({
        main: MAIN,
        env: { DATABASE_URL: throughProxy.toString() },
        waitReady: false,
      });
      // Two refusals logged: it retried at least once rather than giving up.
      await hub.waitForOutput(/database not reachable yet[\s\S]*database not reachable yet/);
      expect(hub.output()).toContain("ECONNREFUSED");
      expect((await fetch(`${hub.url}/ready`)).status).toBe(503);

      await proxy.restore();
      await hub.ready();
      expect(hub.child.exitCode).toBeNull();
    } finally {
      await proxy.stop();
      await test.dispose();
    }
  });
});

/**
 * `bun start` as a user runs it: the root `start` script, verbatim, in a directory of its own
 * where `turbo` (the front-end build) is a stub and `apps` is this repository's.
 */
async function startLauncher(
  options: { processGroup?: boolean; env?: Record<string, string> } = {},
) {
  const root = mkdtempSync(join(tmpdir(), "landale-launcher-"));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const script = (await Bun.file(join(REPO_ROOT, "package.json")).json()).scripts.start;
  writeFileSync(join(root, "package.json"), JSON.stringify({ scripts: { start: script } }));
  mkdirSync(join(root, "node_modules", ".bin"), { recursive: true });
  writeFileSync(join(root, "node_modules", ".bin", "turbo"), "#!/bin/sh\nexit 0\n", {
    mode: 0o755,
  });
  symlinkSync(join(REPO_ROOT, "apps"), join(root, "apps"));
  const launcher = await spawnHub({
    main: MAIN,
    command: ["bun", "run", "start"],
    dataDir: root,
    // What the start script sets, it sets itself; the workers have tests of their own.
    env: { LANDALE_EXIT_WITH_PARENT: "", LANDALE_WORKERS: "none", ...options.env },
    processGroup: options.processGroup,
  });
  // The launcher, whether `bun run` spawned it itself or through a shell: killed if left behind
  // (the hub, in a process group of its own, follows its launcher).
  const descendants = Bun.spawnSync(["pgrep", "-P", String(launcher.pid)])
    .stdout.toString()
    .split("\n")
    .filter((pid) => pid !== "")
    .map(Number);
  onTestFinished(() => {
    for (const pid of descendants) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already, as it should be.
      }
    }
  });
  return launcher;
}

describe("bun start", () => {
  it("takes the hub down with it when it is killed with SIGKILL", async () => {
    const launcher = await startLauncher();
    await launcher.kill("SIGKILL");

    const deadline = performance.now() + GONE_TIMEOUT_MS;
    while (await answers(`${launcher.url}/health`)) {
      if (performance.now() > deadline) {
        throw new Error(`the hub still answers ${GONE_TIMEOUT_MS} ms after its launcher died`);
      }
      await Bun.sleep(POLL_MS);
    }
  });

  it("leaves no worker running when it is killed with SIGKILL, nor when the hub is", async () => {
    for (const victim of ["bun start", "the hub"] as const) {
      const dir = mkdtempSync(join(tmpdir(), "landale-worker-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      // A worker that ignores SIGTERM and its parent's death: only the hub's own care ends it.
      const pidFile = join(dir, "pid");
      writeFileSync(
        join(dir, "worker.ts"),
        `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid) + " " + process.ppid);
process.on("SIGTERM", () => {});
setInterval(() => {}, 1000);`,
      );
      const launcher = await startLauncher({
        env: { LANDALE_WORKERS: `stubborn=${join(dir, "worker.ts")}` },
      });
      let pids: number[] = [];
      await eventually(async () => {
        pids = (
          await Bun.file(pidFile)
            .text()
            .catch(() => "")
        )
          .split(" ")
          .map(Number);
        return pids.length === 2 && running(pids[0] ?? 0);
      });
      const [worker = 0, hub = 0] = pids;
      if (victim === "bun start") await launcher.kill("SIGKILL");
      else process.kill(hub, "SIGKILL");
      onTestFinished(() => {
        if (running(worker)) process.kill(worker, "SIGKILL");
      });
      await eventually(async () => !running(worker) && !running(hub));
    }
  });

  it("starts the hub with the runtime settings of src/runtime-env.ts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "landale-runtime-env-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // A worker inherits the hub's environment: it writes down what the hub was started with.
    const envFile = join(dir, "env.json");
    writeFileSync(
      join(dir, "worker.ts"),
      `require("node:fs").writeFileSync(${JSON.stringify(envFile)}, JSON.stringify(process.env));
setInterval(() => {}, 1000);`,
    );
    await startLauncher({ env: { LANDALE_WORKERS: `env=${join(dir, "worker.ts")}` } });
    let env: Record<string, string> = {};
    await eventually(async () => {
      env = await Bun.file(envFile)
        .json()
        .catch(() => ({}));
      return Object.keys(env).length > 0;
    });
    expect(env).toMatchObject(HUB_RUNTIME_ENV);
  });

  it("stops gracefully and exits 0 on Ctrl+C, which reaches the launcher twice and the hub once", async () => {
    const launcher = await startLauncher({ processGroup: true });
    await launcher.waitForOutput(/Ctrl\+C/);
    // A terminal's Ctrl+C: SIGINT to the whole foreground process group.
    process.kill(-launcher.pid, "SIGINT");
    const code = await launcher.exited;
    const output = launcher.output();
    // Exit 0 only if the hub's stop ran to its end; a second signal would have made it exit 1.
    expect({ code, output }).toEqual({ code: 0, output });
    expect(launcher.output()).not.toContain("second signal");
  });
});

/** Whether `pid` runs, as `ps` sees it (a zombie, exited and waiting to be reaped, does not). */
function running(pid: number): boolean {
  const ps = Bun.spawnSync(["ps", "-o", "stat=", "-p", String(pid)]);
  const stat = ps.stdout.toString().trim();
  return stat !== "" && !stat.startsWith("Z");
}

async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + GONE_TIMEOUT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not so after ${GONE_TIMEOUT_MS} ms`);
    await Bun.sleep(POLL_MS);
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
