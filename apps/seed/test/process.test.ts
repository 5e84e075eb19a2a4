/**
 * The worker as a user (or the launcher) runs it: `bun src/main.ts`, stopped with a signal,
 * refusing a bad setting, and never outliving the process that started it.
 */
import { describe, expect, it, onTestFinished } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually } from "./support/worker";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

/** Runs `command` in an empty directory (no `.env`) with only PATH, HOME and `env`. */
function spawnWorker(command: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "seed-process-"));
  const child = Bun.spawn(command, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      SEED_HEALTH_PORT: "0",
      // No hub listens here: the worker keeps trying, as it does while the hub is down.
      LANDALE_HUB_URL: "http://127.0.0.1:9",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  let stdout = "";
  let stderr = "";
  const drain = async (stream: ReadableStream<Uint8Array>, add: (text: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
  };
  const drained = Promise.all([
    drain(child.stdout, (text) => {
      stdout += text;
    }),
    drain(child.stderr, (text) => {
      stderr += text;
    }),
  ]);
  onTestFinished(() => {
    child.kill("SIGKILL");
    rmSync(cwd, { recursive: true, force: true });
  });
  return {
    child,
    drained,
    stdout: () => stdout,
    stderr: () => stderr,
    /** The health URL from the banner, once printed. */
    async healthUrl(): Promise<string> {
      await eventually("the banner", () => /health\s+\S+/.test(stdout) || child.exitCode !== null);
      const url = /health\s+(\S+)/.exec(stdout)?.[1];
      if (url === undefined) throw new Error(`no banner:\n${stdout}\n${stderr}`);
      return url;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

describe("bun src/main.ts", () => {
  it("says it runs offline, serves health, and exits 0 on SIGTERM with nothing left open", async () => {
    const worker = spawnWorker(["bun", MAIN]);
    const healthUrl = await worker.healthUrl();
    expect(worker.stdout()).toContain("model: none, offline analysis");
    const health = (await (await fetch(healthUrl)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ service: "seed", model: { configured: false } });
    worker.child.kill("SIGTERM");
    // 0 only if the stop released everything: main.ts's watchdog exits 1 otherwise.
    expect(await worker.child.exited).toBe(0);
  });

  it("refuses a bad setting with exit 78 and a message naming it", async () => {
    const worker = spawnWorker(["bun", MAIN], { LANDALE_LLM_URL: "http://127.0.0.1:1234" });
    expect(await worker.child.exited).toBe(78);
    await worker.drained;
    expect(worker.stderr()).toContain("Invalid configuration");
    expect(worker.stderr()).toContain("LANDALE_LLM_MODEL:");
  });

  it("stops when the process that started it dies, with LANDALE_EXIT_WITH_PARENT=1", async () => {
    // A parent that only waits: killed, it leaves the worker re-parented.
    const parent = spawnWorker(["sh", "-c", `bun ${MAIN} & wait`], {
      LANDALE_EXIT_WITH_PARENT: "1",
    });
    const healthUrl = await parent.healthUrl();
    const orphans = Bun.spawnSync(["pgrep", "-P", String(parent.child.pid)])
      .stdout.toString()
      .split("\n")
      .filter((pid) => pid !== "")
      .map(Number);
    onTestFinished(() => {
      for (const pid of orphans) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone, as it should be.
        }
      }
    });
    parent.child.kill("SIGKILL");
    await eventually("the worker gone", async () => !(await answers(healthUrl)));
  });
});
