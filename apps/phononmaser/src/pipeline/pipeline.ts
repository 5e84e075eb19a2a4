/**
 * The pipeline, per audio source: PCM → mono float → 16 kHz (Speex) → int16 → 30 ms frames →
 * VAD (fvad) → segmenter → `onSegment`. Synchronous from the socket's message to the segment, so
 * no queue sits between them: a source faster than the pipeline is held back by its own socket.
 * At most `maxSources` sources at once; each holds at most one segment's worth of audio.
 */
import type { Logger } from "@landale/logger";
import type { PcmEncoding } from "../audio/sample-format";
import type { AudioInput, AudioSink } from "../audio/server";
import type { SegmenterConfig } from "../config";
import { toInt16, toMono } from "./pcm";
import { loadSpeex, OUTPUT_RATE, Resampler } from "./resampler";
import { SEGMENT_RATE, type Segment } from "./segment";
import { type Cut, Segmenter } from "./segmenter";
import { FRAME_MS, FRAME_SAMPLES, loadFvad, Vad } from "./vad";

export interface PipelineOptions {
  segmenter: SegmenterConfig;
  maxSources: number;
  onSegment: (segment: Segment) => void;
  logger: Logger;
  /** Epoch ms, for when a source's last frame arrived. */
  now?: () => number;
}

export interface SourceStats {
  id: string;
  name: string;
  sampleRate: number;
  channels: number;
  encoding: PcmEncoding;
  /** Audio held: the pre-roll or the open segment. */
  bufferedMs: number;
  inSpeech: boolean;
  segments: number;
  /** Segments discarded for holding too little speech. */
  discarded: number;
  /** Epoch ms at which the last frame arrived. */
  lastFrameAt: number;
}

export interface PipelineStats {
  sources: SourceStats[];
  segments: number;
  discarded: number;
  /** Frames refused because `maxSources` sources were already open. */
  refusedSources: number;
  /** Bytes of 16 kHz audio held across sources. */
  bufferedBytes: number;
}

export interface Pipeline extends AudioSink {
  stats(): PipelineStats;
  /** Releases every source's WASM state; open speech is dropped. */
  stop(): void;
}

type Modules = [Awaited<ReturnType<typeof loadSpeex>>, Awaited<ReturnType<typeof loadFvad>>];

class SourceChain {
  private resampler: Resampler | null = null;
  private inputRate = 0;
  private readonly vad: Vad;
  readonly segmenter: Segmenter;
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private frameLength = 0;
  /** 16 kHz samples fed to the framer so far. */
  private produced = 0;
  /** Where the current input rate began: output samples then, input samples since. */
  private epochOutput = 0;
  private epochInput = 0;
  /** The latest frame's first sample: its 16 kHz index and its wall-clock time. */
  private anchor = { sample: 0, wallMs: 0 };
  name = "";
  channels = 0;
  encoding: PcmEncoding = "int16";
  segments = 0;
  receivedAt = 0;

  constructor(
    private readonly modules: Modules,
    readonly id: string,
    config: SegmenterConfig,
  ) {
    this.vad = new Vad(modules[1], config.vadMode);
    this.segmenter = new Segmenter({
      frameSamples: FRAME_SAMPLES,
      frameMs: FRAME_MS,
      silenceMs: config.silenceMs,
      minSegmentMs: config.minSegmentMs,
      maxSegmentMs: config.maxSegmentMs,
    });
  }

  get rate(): number {
    return this.inputRate;
  }

  push(input: AudioInput): Cut[] {
    if (input.sampleRate !== this.inputRate) this.changeRate(input.sampleRate);
    this.name = input.sourceName;
    this.channels = input.channels;
    this.encoding = input.encoding;
    const mono = toMono(input.pcm, input.channels, input.encoding);
    this.anchor = {
      sample: this.epochOutput + Math.round((this.epochInput * OUTPUT_RATE) / this.inputRate),
      wallMs: input.startedAt,
    };
    this.epochInput += mono.length;
    const samples = toInt16(this.resampler === null ? mono : this.resampler.process(mono));
    const cuts: Cut[] = [];
    for (const sample of samples) {
      this.frame[this.frameLength++] = sample;
      if (this.frameLength < FRAME_SAMPLES) continue;
      this.frameLength = 0;
      const cut = this.segmenter.push(this.frame, this.vad.isSpeech(this.frame));
      if (cut !== null) cuts.push(cut);
    }
    this.produced += samples.length;
    return cuts;
  }

  /** Wall-clock ms of a sample of this source's 16 kHz stream. */
  wallMsOf(sample: number): number {
    return this.anchor.wallMs + ((sample - this.anchor.sample) * 1000) / SEGMENT_RATE;
  }

  destroy(): void {
    this.resampler?.destroy();
    this.vad.destroy();
  }

  private changeRate(rate: number): void {
    // The old filter's last few ms are dropped: a rate change is a new stream anyway.
    this.resampler?.destroy();
    this.resampler = rate === OUTPUT_RATE ? null : new Resampler(this.modules[0], rate);
    this.inputRate = rate;
    this.epochOutput = this.produced;
    this.epochInput = 0;
  }
}

export async function createPipeline(options: PipelineOptions): Promise<Pipeline> {
  const modules: Modules = await Promise.all([loadSpeex(), loadFvad()]);
  const now = options.now ?? Date.now;
  const chains = new Map<string, SourceChain>();
  const totals = { segments: 0, discardedOfEnded: 0, refusedSources: 0 };

  const deliver = (chain: SourceChain, cut: Cut) => {
    chain.segments++;
    totals.segments++;
    const segment: Segment = {
      id: Bun.randomUUIDv7(),
      sourceId: chain.id,
      sourceName: chain.name,
      startedAt: Math.round(chain.wallMsOf(cut.startSample)),
      durationMs: Math.round((cut.pcm.length * 1000) / SEGMENT_RATE),
      pcm: cut.pcm,
    };
    try {
      options.onSegment(segment);
    } catch (err) {
      options.logger.error({ err, source: chain.id }, "a segment's consumer failed");
    }
  };

  return {
    push(input) {
      let chain = chains.get(input.sourceId);
      if (chain === undefined) {
        if (chains.size >= options.maxSources) {
          totals.refusedSources++;
          return false;
        }
        chain = new SourceChain(modules, input.sourceId, options.segmenter);
        chains.set(input.sourceId, chain);
        options.logger.info(
          { source: input.sourceId, name: input.sourceName },
          "audio source started",
        );
      }
      chain.receivedAt = now();
      for (const cut of chain.push(input)) deliver(chain, cut);
      return true;
    },
    flush(sourceId) {
      const chain = chains.get(sourceId);
      const cut = chain?.segmenter.flush();
      if (chain !== undefined && cut != null) deliver(chain, cut);
    },
    end(sourceId) {
      const chain = chains.get(sourceId);
      if (chain === undefined) return;
      const cut = chain.segmenter.flush();
      if (cut !== null) deliver(chain, cut);
      totals.discardedOfEnded += chain.segmenter.discarded;
      chain.destroy();
      chains.delete(sourceId);
      options.logger.info({ source: sourceId }, "audio source ended");
    },
    stats() {
      const sources = [...chains.values()].map(
        (chain): SourceStats => ({
          id: chain.id,
          name: chain.name,
          sampleRate: chain.rate,
          channels: chain.channels,
          encoding: chain.encoding,
          bufferedMs: Math.round((chain.segmenter.bufferedSamples * 1000) / SEGMENT_RATE),
          inSpeech: chain.segmenter.inSpeech,
          segments: chain.segments,
          discarded: chain.segmenter.discarded,
          lastFrameAt: chain.receivedAt,
        }),
      );
      return {
        sources,
        segments: totals.segments,
        discarded: sources.reduce((sum, source) => sum + source.discarded, totals.discardedOfEnded),
        refusedSources: totals.refusedSources,
        bufferedBytes: [...chains.values()].reduce(
          (sum, chain) => sum + chain.segmenter.bufferedSamples * Int16Array.BYTES_PER_ELEMENT,
          0,
        ),
      };
    },
    stop() {
      for (const chain of chains.values()) chain.destroy();
      chains.clear();
    },
  };
}
