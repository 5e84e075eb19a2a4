/**
 * The worker as tests run it: the real composition (`startWorker`) with its health on a free port
 * and the settings a test gives (short cadences), stopped when the test ends.
 */
import { onTestFinished } from "bun:test";
import { createLogger } from "@landale/logger";
import { loadConfig } from "../../src/config";
import { startWorker, type Worker } from "../../src/worker";

export const WORKER_TOKEN = "worker-token-0123456789";

export async function startTestWorker(env: Record<string, string>): Promise<Worker> {
  const config = loadConfig({ SEED_HEALTH_PORT: "0", LOG_LEVEL: "silent", ...env });
  const worker = await startWorker(config, {
    logger: createLogger({ name: "seed-test", level: "silent" }),
  });
  onTestFinished(() => worker.stop());
  return worker;
}

/** Polls `check` until it holds, or fails naming `what` after `ms`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}
