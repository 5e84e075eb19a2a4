/**
 * The hub the overlays are measured against: the real `bun apps/server/src/main.ts` on 127.0.0.1,
 * port 0, a fresh PGlite data dir, no token, warnings only, serving the built overlays. The
 * bench's orphan guard is preloaded so the hub exits with the driver whatever happens to it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchHubEnv } from "../lib/hub-env";
import { processCpuMicros } from "../lib/process-stats";
import { awaitOutput, type ProcessGroup } from "../lib/processes";

const ROOT = new URL("../../", import.meta.url).pathname;
const MAIN = `${ROOT}apps/server/src/main.ts`;
const GUARD = `${ROOT}bench/lib/orphan-guard.ts`;
const READY_TIMEOUT_MS = 90_000;
const BANNER = /^\s+health\s+(http:\/\/127\.0\.0\.1:\d+)\/health$/m;

export interface BenchHub {
  readonly url: string;
  readonly pid: number;
  cpuMicros(): Promise<number>;
  /** Sends JSON (or asks) and returns the parsed answer; throws on an error status. */
  send<T>(method: "POST" | "GET", path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startHub(group: ProcessGroup): Promise<BenchHub> {
  const dataDir = await mkdtemp(join(tmpdir(), "landale-bench-overlay-"));
  const child = group.spawn(MAIN, {
    stdout: "pipe",
    bunArgs: ["--preload", GUARD],
    env: benchHubEnv(dataDir, null),
    cwd: dataDir,
  });
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= group.stop(child).finally(() => rm(dataDir, { recursive: true, force: true }));
    return stopped;
  };
  try {
    const banner = await awaitOutput(child.stdout as ReadableStream<Uint8Array>, BANNER, {
      what: "hub",
      timeoutMs: READY_TIMEOUT_MS,
      // Keep reading what it logs, so it never blocks on a full pipe.
      onRest: () => {},
    });
    const url = banner[1]!;
    return {
      url,
      pid: child.pid,
      cpuMicros: async () => (await processCpuMicros(child.pid)) ?? 0,
      async send<T>(method: "POST" | "GET", path: string, body?: unknown): Promise<T> {
        const response = await fetch(`${url}${path}`, {
          method,
          // The hub takes writes only as JSON, body or not.
          headers: method === "GET" ? {} : { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
        return JSON.parse(text) as T;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
