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
  const cwd = mkdtempSync(join(tmpdir(), "phononmaser-process-"));
  const child = Bun.spawn(command, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PHONONMASER_PORT: "0",
      PHONONMASER_HEALTH_PORT: "0",
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
  it("prints where it listens, serves health, and exits 0 on SIGTERM with nothing left open", async () => {
    const worker = spawnWorker(["bun", MAIN]);
    const healthUrl = await worker.healthUrl();
    expect(worker.stdout()).toMatch(/audio\s+ws:\/\/127\.0\.0\.1:\d+/);
    expect((await fetch(healthUrl)).status).toBe(200);
    worker.child.kill("SIGTERM");
    // 0 only if the stop released everything: main.ts's watchdog exits 1 otherwise.
    expect(await worker.child.exited).toBe(0);
  });

  it("refuses a bad setting with exit 78 and a message naming it", async () => {
    const worker = spawnWorker(["bun", MAIN], { PHONONMASER_SAMPLE_FORMAT: "mic=int24" });
    expect(await worker.child.exited).toBe(78);
    await worker.drained;
    expect(worker.stderr()).toContain("Invalid configuration");
    expect(worker.stderr()).toContain("PHONONMASER_SAMPLE_FORMAT:");
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
