/**
 * From what was sent and heard to figures: each caption matched to the sentence whose voice ended
 * in its segment, its latency split at the packet that let the worker close the segment, and
 * the RSS samples' extremes and trend.
 */
import { loadSpeex, OUTPUT_RATE, Resampler } from "../../apps/phononmaser/src/pipeline/resampler";
import { FRAME_SAMPLES } from "../../apps/phononmaser/src/pipeline/vad";
import { type Latency, latencyOf } from "../lib/percentiles";
import type { Caption, PacketSource } from "./sender";
import { type Program, RATE } from "./speech";

/** 48 kHz frames per 16 kHz sample. */
const DECIMATION = RATE / OUTPUT_RATE;
/**
 * A sentence is expected to be captioned when its voice ended this long before the stream did:
 * past the ~650 ms a segment takes to close, and within the shortest pause, so the count is the
 * same whatever the phase of the stream's end.
 */
const EXPECT_MARGIN_MS = 1_000;

/**
 * Input frames the resampler needs past an output sample before it yields it (Speex's filter
 * delay, which the pipeline skips at the start): the worker closes a segment only once the packet
 * holding that much audio past the segment's end has arrived. Measured on the worker's own code.
 */
export async function resamplerLookahead(): Promise<number> {
  const resampler = new Resampler(await loadSpeex(), RATE);
  try {
    const out = resampler.process(new Float32Array(RATE)).length;
    return (OUTPUT_RATE - out) * DECIMATION;
  } finally {
    resampler.destroy();
  }
}

export interface LatencyFigures {
  /** Last voice sample's packet sent → caption received. */
  total: Latency;
  /** Last voice packet sent → the packet that closed the segment sent: the wait by design. */
  wait: Latency;
  /** Closing packet sent → caption received: the worker's work, /events and loopback. */
  processing: Latency;
  /** Audio in the segment after the last voice sample (ms): the silence that closed it. */
  trailing: Latency;
  expected: number;
  /** Expected sentences that got their caption. */
  captioned: number;
  /** Captions whose segment held two sentences' ends (timed on the later one). */
  merged: number;
  /** Captions whose segment held no sentence's end (a split at the maximum length). */
  unmatched: number;
}

export interface LatencyInputs {
  program: Program;
  source: PacketSource;
  sentAt: Float64Array;
  captions: readonly Caption[];
  lookaheadFrames: number;
}

export function latencyFigures(inputs: LatencyInputs): LatencyFigures {
  const { program, source, sentAt, lookaheadFrames } = inputs;
  const packet = source.packetFrames;
  const streamFrames = sentAt.length * packet;
  const parts = { total: [], wait: [], processing: [], trailing: [] } as Record<string, number[]>;
  const push = (key: string, value: number) => parts[key]!.push(value);
  const timedEnds: number[] = [];
  let merged = 0;
  let unmatched = 0;
  for (const caption of inputs.captions) {
    const { startFrame, endFrame } = segmentFrames(caption, source.startMs);
    const ends = voiceEndsIn(program, startFrame, endFrame);
    const last = ends.at(-1);
    if (last === undefined) {
      unmatched++;
      continue;
    }
    if (ends.length > 1) merged++;
    const voicePacket = Math.floor(last / packet);
    const closingPacket = Math.floor((endFrame + lookaheadFrames - 1) / packet);
    if (closingPacket >= sentAt.length) {
      unmatched++;
      continue;
    }
    timedEnds.push(last);
    push("total", caption.receivedAt - sentAt[voicePacket]!);
    push("wait", sentAt[closingPacket]! - sentAt[voicePacket]!);
    push("processing", caption.receivedAt - sentAt[closingPacket]!);
    push("trailing", ((endFrame - last) * 1000) / RATE);
  }
  const cutoff = streamFrames - (EXPECT_MARGIN_MS * RATE) / 1000;
  const expected = voiceEndsIn(program, 0, cutoff).length;
  const of = (key: string) => latencyOf([Float64Array.from(parts[key]!)]);
  return {
    total: of("total"),
    wait: of("wait"),
    processing: of("processing"),
    trailing: of("trailing"),
    expected,
    captioned: timedEnds.filter((end) => end < cutoff).length,
    merged,
    unmatched,
  };
}

/**
 * The segment in 48 kHz frames from the stream's start. The worker cuts on 30 ms VAD frames from
 * its first sample and reports whole milliseconds, so both ends snap to that grid exactly.
 */
function segmentFrames(caption: Caption, streamStartMs: number) {
  const snap = (samples16k: number) => Math.round(samples16k / FRAME_SAMPLES) * FRAME_SAMPLES;
  const start = snap((caption.timestampUs / 1000 - streamStartMs) * (OUTPUT_RATE / 1000));
  const length = snap(caption.durationS * OUTPUT_RATE);
  return { startFrame: start * DECIMATION, endFrame: (start + length) * DECIMATION };
}

/** Every sentence's last voice frame in [from, to), over the loops of the program. */
function voiceEndsIn(program: Program, from: number, to: number): number[] {
  const ends: number[] = [];
  const firstLoop = Math.max(0, Math.floor(from / program.loopFrames));
  for (let loop = firstLoop; loop * program.loopFrames < to; loop++) {
    for (const sentence of program.sentences) {
      const end = loop * program.loopFrames + sentence.lastVoiceFrame;
      if (end >= from && end < to) ends.push(end);
    }
  }
  return ends;
}

export interface RssSample {
  /** Seconds since the stream started. */
  atS: number;
  bytes: number;
}

export interface RssFigures {
  start: number;
  max: number;
  end: number;
  /** Least-squares slope over all samples and over the second half, bytes per minute. */
  slopePerMin: number;
  secondHalfSlopePerMin: number;
  /** Medians of the stream's first and second halves (the idle sample before it left out). */
  firstHalfMedian: number;
  secondHalfMedian: number;
  /**
   * The second half's median within `FLAT_MARGIN` of the first half's: growth counts, a
   * collection's passing peak (garbage piles up between full GCs) does not.
   */
  flat: boolean;
}

const FLAT_MARGIN = 0.05;

export function rssFigures(samples: readonly RssSample[]): RssFigures {
  const streaming = samples.slice(1);
  const half = Math.floor(streaming.length / 2);
  const firstHalfMedian = median(streaming.slice(0, half));
  const secondHalfMedian = median(streaming.slice(half));
  return {
    start: samples[0]?.bytes ?? Number.NaN,
    max: Math.max(...samples.map((sample) => sample.bytes)),
    end: samples.at(-1)?.bytes ?? Number.NaN,
    slopePerMin: slope(samples) * 60,
    secondHalfSlopePerMin: slope(streaming.slice(half)) * 60,
    firstHalfMedian,
    secondHalfMedian,
    flat: secondHalfMedian <= firstHalfMedian * (1 + FLAT_MARGIN),
  };
}

function median(samples: readonly RssSample[]): number {
  const sorted = samples.map((sample) => sample.bytes).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Bytes per second, least squares; NaN with fewer than two samples. */
function slope(samples: readonly RssSample[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const meanX = samples.reduce((sum, s) => sum + s.atS, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.bytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.atS - meanX) * (s.bytes - meanY);
    den += (s.atS - meanX) ** 2;
  }
  return num / den;
}
