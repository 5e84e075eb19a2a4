/**
 * The audio worker (phononmaser) as a child process, as `spawnHub` starts the hub: `bun <main>`
 * in an empty temp dir (no `.env`) with a clean environment, free ports for its audio socket and
 * its health endpoint, and ready once `GET /health` answers 200 — never on its banner.
 */
import { onTestFinished } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { capture, until } from "./child";
import { freePort } from "./ports";

export const AUDIO_WORKER_READY_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 5_000;
/** A free port can be taken by someone else before the worker binds it: try others. */
const PORT_ATTEMPTS = 3;
const PORT_IN_USE = /EADDRINUSE|port \d+ in use|Failed to start server/i;

export interface SpawnAudioWorkerOptions {
  /** The worker's entry point, `apps/phononmaser/src/main.ts`. */
  main: string;
  /**
   * Settings on top of the defaults (loopback, free ports, LOG_LEVEL=warn, exit with the test
   * runner); nothing else of the runner's environment reaches the worker but PATH and HOME.
   * Point it at a hub with LANDALE_HUB_URL and LANDALE_WORKER_TOKEN.
   */
  env?: Record<string, string>;
  /** "test" (the default): killed when the current test finishes; "caller": the caller stops it. */
  stopAfter?: "test" | "caller";
}

/** The parts of `GET /health` tests read; the rest is there too (apps/phononmaser/README.md). */
export interface AudioWorkerHealth {
  status: "ok" | "degraded";
  problems: string[];
  queue: { depth: number; capacity: number; dropped: number };
  engine: { name: string; state: string; message: string | null };
  transcription: {
    transcribing: boolean;
    completed: number;
    empty: number;
    failed: number;
    timed_out: number;
    last_age_ms: number | null;
  };
  link: {
    connected: boolean;
    queue: { depth: number; capacity: number; dropped: number };
    [key: string]: unknown;
  } | null;
  [key: string]: unknown;
}

export interface AudioWorkerProcess {
  /** `ws://127.0.0.1:<port>`: any path is an audio source, `/events` the read-only events. */
  readonly audioUrl: string;
  /** `http://127.0.0.1:<port>/health`. */
  readonly healthUrl: string;
  readonly pid: number;
  readonly child: Subprocess<"ignore", "pipe", "pipe">;
  readonly exited: Promise<number>;
  output(): string;
  health(): Promise<AudioWorkerHealth>;
  /** Sends `signal` (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it (SIGKILL) if it still runs and removes its temp dir. */
  stop(): Promise<void>;
}

export async function spawnAudioWorker(
  options: SpawnAudioWorkerOptions,
): Promise<AudioWorkerProcess> {
  for (let attempt = 1; ; attempt++) {
    const worker = start(options, await freePort(), await freePort());
    if (options.stopAfter !== "caller") onTestFinished(worker.stop);
    try {
      await until(
        `${worker.healthUrl} to answer 200`,
        async () => {
          const response = await fetch(worker.healthUrl, {
            signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
          }).catch(() => null);
          await response?.body?.cancel();
          return response?.status === 200;
        },
        worker.exited.then((code) => {
          throw new Error(
            `the audio worker exited (${code}) before it was ready:\n${worker.output()}`,
          );
        }),
        AUDIO_WORKER_READY_TIMEOUT_MS,
        worker.output,
      );
      return worker;
    } catch (err) {
      await worker.stop();
      if (attempt >= PORT_ATTEMPTS || !PORT_IN_USE.test(worker.output())) throw err;
    }
  }
}

function start(options: SpawnAudioWorkerOptions, port: number, healthPort: number) {
  const cwd = mkdtempSync(join(tmpdir(), "landale-phononmaser-"));
  const child = Bun.spawn(["bun", options.main], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? cwd,
      PHONONMASER_HOST: "127.0.0.1",
      PHONONMASER_PORT: String(port),
      PHONONMASER_HEALTH_PORT: String(healthPort),
      LOG_LEVEL: "warn",
      // A test runner that dies must not leave workers behind on their ports.
      LANDALE_EXIT_WITH_PARENT: "1",
      ...options.env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const healthUrl = `http://127.0.0.1:${healthPort}/health`;
  const worker: AudioWorkerProcess = {
    audioUrl: `ws://127.0.0.1:${port}`,
    healthUrl,
    pid: child.pid,
    child,
    exited: child.exited,
    output: () => `${stdout.text()}${stderr.text()}`,
    async health() {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`GET ${healthUrl}: ${response.status}`);
      return (await response.json()) as AudioWorkerHealth;
    },
    async kill(signal = "SIGKILL") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await child.exited;
    },
    async stop() {
      await worker.kill("SIGKILL");
      rmSync(cwd, { recursive: true, force: true });
    },
  };
  return worker;
}
