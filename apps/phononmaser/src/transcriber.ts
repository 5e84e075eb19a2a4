/**
 * Runs the engine over segments, one at a time, from a bounded queue: when it is full the oldest
 * segment is dropped (counted), since a caption that late is worth less than the next one. Each
 * transcription has a deadline; past it the engine's signal aborts (the engine kills its child)
 * and the queue moves on even if the engine does not return.
 */
import type { Logger } from "@landale/logger";
import type { Engine } from "./engines/engine";
import type { Segment } from "./pipeline/segment";

export type { EngineResult, EngineState } from "./engines/engine";
/** What the queue needs of an engine: the plan's `Engine` (`./engines/engine.ts`). */
export type TranscriptionEngine = Engine;

/** One segment's words, for the link to the hub and `/events`. */
export interface Transcription {
  /** The segment's id (UUIDv7). */
  id: string;
  sourceId: string;
  sourceName: string;
  /** Epoch ms of the segment's first sample. */
  startedAt: number;
  durationMs: number;
  text: string;
  confidence: number | null;
}

export interface TranscriberOptions {
  engine: TranscriptionEngine;
  capacity: number;
  timeoutMs: number;
  logger: Logger;
  onTranscription: (transcription: Transcription) => void;
  now?: () => number;
}

export interface TranscriberStats {
  depth: number;
  capacity: number;
  /** Segments dropped (oldest first) because the queue was full. */
  dropped: number;
  transcribing: boolean;
  completed: number;
  /** Segments the engine found no words in (or filtered). */
  empty: number;
  failed: number;
  timedOut: number;
  /** Epoch ms of the last transcription; null before the first. */
  lastTranscriptionAt: number | null;
}

export class TranscriptionTimeout extends Error {
  constructor(ms: number) {
    super(`transcription took longer than ${ms} ms`);
    this.name = "TranscriptionTimeout";
  }
}

export class Transcriber {
  private readonly queue: Segment[] = [];
  private readonly now: () => number;
  private readonly counts = { dropped: 0, completed: 0, empty: 0, failed: 0, timedOut: 0 };
  private lastTranscriptionAt: number | null = null;
  private current: AbortController | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly options: TranscriberOptions) {
    this.now = options.now ?? Date.now;
    this.loop = this.run();
  }

  enqueue(segment: Segment): void {
    if (this.stopped) return;
    if (this.queue.length >= this.options.capacity) {
      const dropped = this.queue.shift();
      this.counts.dropped++;
      this.options.logger.warn(
        { segment: dropped?.id, dropped: this.counts.dropped },
        "segment queue full: dropped the oldest segment",
      );
    }
    this.queue.push(segment);
    this.wake?.();
  }

  stats(): TranscriberStats {
    return {
      depth: this.queue.length,
      capacity: this.options.capacity,
      transcribing: this.current !== null,
      lastTranscriptionAt: this.lastTranscriptionAt,
      ...this.counts,
    };
  }

  /** Aborts the running transcription, drops the queue and waits for the loop to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    this.current?.abort(new Error("the worker is stopping"));
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const segment = this.queue.shift();
      if (segment === undefined) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
        continue;
      }
      await this.transcribe(segment);
    }
  }

  /** The consumer's failure is its own: the engine's work is not counted as failed for it. */
  private deliver(transcription: Transcription): void {
    try {
      this.options.onTranscription(transcription);
    } catch (err) {
      this.options.logger.error(
        { err, segment: transcription.id },
        "a transcription's consumer failed",
      );
    }
  }

  private async transcribe(segment: Segment): Promise<void> {
    const { engine, logger, timeoutMs } = this.options;
    const controller = new AbortController();
    this.current = controller;
    const timer = setTimeout(
      () => controller.abort(new TranscriptionTimeout(timeoutMs)),
      timeoutMs,
    );
    // An engine that ignores its signal must not hold the queue: the abort wins the race.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), {
        once: true,
      });
    });
    aborted.catch(() => {});
    try {
      const result = await Promise.race([engine.transcribe(segment, controller.signal), aborted]);
      const text = result?.text.trim() ?? "";
      if (text === "") {
        this.counts.empty++;
        return;
      }
      this.counts.completed++;
      this.lastTranscriptionAt = this.now();
      this.deliver({
        id: segment.id,
        sourceId: segment.sourceId,
        sourceName: segment.sourceName,
        startedAt: segment.startedAt,
        durationMs: segment.durationMs,
        text,
        confidence: result?.confidence ?? null,
      });
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof TranscriptionTimeout) {
        this.counts.timedOut++;
        logger.warn({ segment: segment.id, timeoutMs }, "transcription timed out");
      } else {
        this.counts.failed++;
        logger.error({ err, segment: segment.id }, "transcription failed");
      }
    } finally {
      clearTimeout(timer);
      this.current = null;
    }
  }
}
