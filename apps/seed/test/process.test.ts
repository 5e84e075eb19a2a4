/**
 * The worker as a user (or the launcher) runs it: `bun src/main.ts`, stopped with a signal,
 * refusing a bad setting, and never outliving the process that started it. Each run gets a free
 * health port and is waited on there, not on its banner.
 */
import { describe, expect, it } from "bun:test";
import { answersHttp, freePort, spawnProgram } from "@landale/testkit";
import { eventually } from "./support/worker";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

/** `command` with only PATH, HOME and `env`, its health on a free port; no hub listens for it. */
async function spawnWorker(command: string[], env: Record<string, string> = {}) {
  const port = await freePort();
  const worker = spawnProgram(command, {
    name: "seed",
    env: {
      SEED_HEALTH_PORT: String(port),
      // No hub listens here: the worker keeps trying, as it does while the hub is down.
      LANDALE_HUB_URL: "http://127.0.0.1:9",
      LOG_LEVEL: "warn",
      ...env,
    },
  });
  return { ...worker, healthUrl: `http://127.0.0.1:${port}/health` };
}

describe("bun src/main.ts", () => {
  it("says it runs offline, serves health, and exits 0 on SIGTERM with nothing left open", async () => {
    const worker = await spawnWorker(["bun", MAIN]);
    await worker.until("its health to answer", () => answersHttp(worker.healthUrl));
    const health = (await (await fetch(worker.healthUrl)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ service: "seed", model: { configured: false } });
    await worker.until("the banner", () =>
      worker.stdout().includes("model: none, offline analysis"),
    );
    expect(worker.stdout()).toContain(`health  ${worker.healthUrl}`);
    worker.child.kill("SIGTERM");
    // 0 only if the stop released everything: main.ts's watchdog exits 1 otherwise.
    expect(await worker.child.exited).toBe(0);
  });

  it("refuses a bad setting with exit 78 and a message naming it", async () => {
    const worker = await spawnWorker(["bun", MAIN], { LANDALE_LLM_URL: "http://127.0.0.1:1234" });
    expect(await worker.child.exited).toBe(78);
    await worker.drained;
    expect(worker.stderr()).toContain("Invalid configuration");
    expect(worker.stderr()).toContain("LANDALE_LLM_MODEL:");
  });

  it("stops when the process that started it dies, with LANDALE_EXIT_WITH_PARENT=1", async () => {
    // A parent that only waits: killed, it leaves the worker re-parented.
    const parent = await spawnWorker(["sh", "-c", `bun ${MAIN} & wait`], {
      LANDALE_EXIT_WITH_PARENT: "1",
    });
    await parent.until("the worker's health to answer", () => answersHttp(parent.healthUrl));
    expect(parent.adoptChildren()).not.toEqual([]);
    parent.child.kill("SIGKILL");
    await eventually("the worker gone", async () => !(await answersHttp(parent.healthUrl)));
  });
});
