/**
 * The two measurements, each on a fresh worker process: audio pushed as fast as the worker takes
 * it (real-time factor), and a stream at real-time pace (caption latency, RSS every 10 s).
 */
import type { ProcessGroup } from "../lib/processes";
import { type CpuWindow, closeCpuWindow, openCpuWindow } from "../lib/system-cpu";
import {
  type LatencyFigures,
  latencyFigures,
  type RssFigures,
  type RssSample,
  resamplerLookahead,
  rssFigures,
} from "./measure";
import type { Options } from "./options";
import { now, PacketSource, Stream } from "./sender";
import type { Program } from "./speech";
import { startBenchWorker, type WorkerHealthFigures } from "./worker-process";

const RSS_EVERY_MS = 10_000;
/** Progress once a minute. */
const PROGRESS_EVERY_SAMPLES = 6;
/** How long the worker may take to catch up with what was sent (a marker's round trip). */
const DRAIN_TIMEOUT_MS = 120_000;
/** How long the captions of the last segments may take after the worker took the last packet. */
const CAPTIONS_TIMEOUT_MS = 10_000;
/** Lets the sockets settle before the first packet of a paced stream. */
const LEAD_MS = 200;

export interface RtfResult {
  packetFrames: number;
  audioS: number;
  wallS: number;
  workerCpuS: number;
  wallRtf: number;
  cpuRtf: number;
  cpu: CpuWindow;
  /** Segments cut, and captions heard, from the measured audio. */
  segments: number;
  captions: number;
  health: WorkerHealthFigures;
}

export async function measureRtf(
  group: ProcessGroup,
  program: Program,
  options: Options,
  packetFrames: number,
): Promise<RtfResult> {
  const worker = await startBenchWorker(group);
  try {
    const stream = await Stream.open(worker.audioUrl);
    try {
      const source = new PacketSource(program, packetFrames, Math.floor(Date.now()));
      const warmup = Math.ceil((options.warmupSeconds * 1000) / source.packetMs);
      const measured = Math.ceil((options.rtfSeconds * 1000) / source.packetMs);
      await stream.sendFast(source, 0, warmup);
      await stream.drained(DRAIN_TIMEOUT_MS);
      const before = await awaitCaptions(stream, worker);
      const captionsBefore = stream.captions.length;
      const cpuBefore = await worker.cpuMicros();
      const window = await openCpuWindow();
      const startedAt = now();
      await stream.sendFast(source, warmup, warmup + measured);
      const doneAt = await stream.drained(DRAIN_TIMEOUT_MS);
      const workerCpuMicros = (await worker.cpuMicros()) - cpuBefore;
      const cpu = await closeCpuWindow(window, workerCpuMicros);
      const health = await awaitCaptions(stream, worker);
      const audioS = (measured * source.packetMs) / 1000;
      const wallS = (doneAt - startedAt) / 1000;
      return {
        packetFrames,
        audioS,
        wallS,
        workerCpuS: workerCpuMicros / 1e6,
        wallRtf: wallS / audioS,
        cpuRtf: workerCpuMicros / 1e6 / audioS,
        cpu,
        segments: health.segments.emitted - before.segments.emitted,
        captions: stream.captions.length - captionsBefore,
        health,
      };
    } finally {
      stream.close();
    }
  } finally {
    await worker.stop();
  }
}

export interface StreamResult {
  minutes: number;
  packets: number;
  /** How late packets went against their schedule (ms): the driver's pacing, for honesty. */
  lateness: { p50: number; p99: number; max: number };
  latency: LatencyFigures;
  rss: RssFigures;
  rssSamples: RssSample[];
  /** The worker's CPU at real-time pace, in cores. */
  workerCores: number;
  cpu: CpuWindow;
  health: WorkerHealthFigures;
}

export async function streamRealtime(
  group: ProcessGroup,
  program: Program,
  options: Options,
  progress: (line: string) => void,
): Promise<StreamResult> {
  const lookaheadFrames = await resamplerLookahead();
  const worker = await startBenchWorker(group);
  try {
    const stream = await Stream.open(worker.audioUrl);
    const rssSamples: RssSample[] = [];
    let sampler: ReturnType<typeof setInterval> | undefined;
    try {
      const startAt = Math.ceil(now()) + LEAD_MS;
      const source = new PacketSource(program, options.packetFrames, startAt);
      const packets = Math.ceil((options.minutes * 60_000) / source.packetMs);
      const sample = async () => {
        const atS = (now() - startAt) / 1000;
        rssSamples.push({ atS: Math.max(0, atS), bytes: await worker.rss() });
      };
      await sample();
      sampler = setInterval(() => {
        sample().then(() => {
          const last = rssSamples.at(-1)!;
          if (rssSamples.length % PROGRESS_EVERY_SAMPLES !== 1) return;
          progress(`  ${Math.round(last.atS)} s: RSS ${(last.bytes / 2 ** 20).toFixed(1)} MiB\n`);
        });
      }, RSS_EVERY_MS);
      const cpuBefore = await worker.cpuMicros();
      const window = await openCpuWindow();
      const sentAt = await stream.sendPaced(source, packets, startAt);
      clearInterval(sampler);
      await sample();
      const workerMicros = (await worker.cpuMicros()) - cpuBefore;
      const cpu = await closeCpuWindow(window, workerMicros);
      await stream.drained(DRAIN_TIMEOUT_MS);
      const health = await awaitCaptions(stream, worker);
      return {
        minutes: options.minutes,
        packets,
        lateness: lateness(sentAt, startAt, source.packetMs),
        latency: latencyFigures({
          program,
          source,
          sentAt,
          captions: stream.captions,
          lookaheadFrames,
        }),
        rss: rssFigures(rssSamples),
        rssSamples,
        workerCores: workerMicros / 1000 / (sentAt.at(-1)! - startAt),
        cpu,
        health,
      };
    } finally {
      clearInterval(sampler);
      stream.close();
    }
  } finally {
    await worker.stop();
  }
}

/** Waits until every transcription the worker counted has reached the subscriber. */
async function awaitCaptions(
  stream: Stream,
  worker: Awaited<ReturnType<typeof startBenchWorker>>,
): Promise<WorkerHealthFigures> {
  const health = await worker.health();
  const deadline = now() + CAPTIONS_TIMEOUT_MS;
  while (stream.captions.length < health.transcription.completed && now() < deadline) {
    await Bun.sleep(10);
  }
  return health;
}

function lateness(sentAt: Float64Array, startAt: number, packetMs: number) {
  const late = sentAt.map((at, k) => at - (startAt + (k + 1) * packetMs)).sort();
  const rank = (fraction: number) =>
    late[Math.min(late.length - 1, Math.ceil(fraction * late.length) - 1)]!;
  return { p50: rank(0.5), p99: rank(0.99), max: late.at(-1)! };
}
