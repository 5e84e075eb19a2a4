/**
 * Starts `bench/audio/worker.ts` as a subprocess on free ports, `LANDALE_TRANSCRIBER=none`, and
 * reads its CPU time and RSS from /proc and its `/health` over HTTP.
 */
import { processCpuMicros, processRss } from "../lib/process-stats";
import { awaitOutput, type ProcessGroup } from "../lib/processes";

const SCRIPT = new URL("./worker.ts", import.meta.url).pathname;
const READY = /^bench worker ready: (ws:\/\/\S+) (http:\/\/\S+)\n/m;
const READY_TIMEOUT_MS = 30_000;
/** Variables the worker reads; the driver's own values are left out so every run is the same. */
const WORKER_VARIABLES = /^(PHONONMASER_.*|LANDALE_.*|WHISPER_.*|POCKETSPHINX_.*|LOG_LEVEL)$/;

/** The parts of `/health` the bench reports. */
export interface WorkerHealthFigures {
  audio: { frames: number; bytes: number; refused_connections: number };
  segments: { emitted: number; discarded: number };
  queue: { dropped: number };
  events: { dropped: number };
  transcription: { completed: number; empty: number; failed: number };
}

export interface BenchWorker {
  readonly pid: number;
  readonly audioUrl: string;
  cpuMicros(): Promise<number>;
  rss(): Promise<number>;
  health(): Promise<WorkerHealthFigures>;
  stop(): Promise<void>;
}

export async function startBenchWorker(group: ProcessGroup): Promise<BenchWorker> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !WORKER_VARIABLES.test(name)),
  );
  const child = group.spawn(SCRIPT, {
    stdout: "pipe",
    env: {
      ...inherited,
      PHONONMASER_HOST: "127.0.0.1",
      PHONONMASER_PORT: "0",
      PHONONMASER_HEALTH_PORT: "0",
      LANDALE_TRANSCRIBER: "none",
      LOG_LEVEL: "warn",
    },
  });
  try {
    const ready = await awaitOutput(child.stdout as ReadableStream<Uint8Array>, READY, {
      what: "audio worker",
      timeoutMs: READY_TIMEOUT_MS,
      onRest: (text) => process.stderr.write(text),
    });
    const healthUrl = ready[2]!;
    return {
      pid: child.pid,
      audioUrl: ready[1]!,
      cpuMicros: async () => (await processCpuMicros(child.pid)) ?? Number.NaN,
      rss: async () => (await processRss(child.pid)) ?? Number.NaN,
      async health() {
        const response = await fetch(healthUrl);
        if (!response.ok) throw new Error(`GET /health: ${response.status}`);
        return (await response.json()) as WorkerHealthFigures;
      },
      stop: () => group.stop(child),
    };
  } catch (error) {
    await group.stop(child);
    throw error;
  }
}
