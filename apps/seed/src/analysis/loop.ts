/**
 * The worker's cadence: every `analysisIntervalMs` the last `analysisWindowMs` are summarised and
 * analysed; once `contextIntervalMs` has passed since the last stored context, that analysis and its
 * window go out as a `StreamContext`. Only then are the buffers pruned, and only of what no later
 * window can cover, so nothing leaves before it was analysed. A tick still running when the next
 * is due makes the next one skip (counted) rather than queue up behind a slow model.
 */
import type { Logger } from "@landale/logger";
import type { StreamContext } from "@landale/shared";
import type { CadenceConfig } from "../config";
import type { Inputs } from "../inputs/inputs";
import { type Clock, type EpochMs, isoOf, shift } from "../time";
import { summarize, type WindowSummary } from "../window/window";
import type { Analyzed, AnalyzeWindow } from "./analyze";

export interface LoopOptions {
  inputs: Inputs;
  cadence: CadenceConfig;
  analyze: AnalyzeWindow;
  /** Each context to store (the outbox sends it until the hub acknowledges it). */
  submit: (context: StreamContext) => void;
  /** The channel's own emotes, or null when the hub does not tell the worker. */
  nativeEmotes: () => ReadonlySet<string> | null;
  clock: Clock;
  logger: Logger;
  newId?: () => string;
}

export interface LastAnalysis extends Analyzed {
  at: EpochMs;
  summary: WindowSummary;
}

export interface LoopStats {
  analyses: number;
  /** By `source.detail` of the fallback: `no_model`, `breaker_open`, … */
  fallbacks: Record<string, number>;
  /** Ticks skipped because the previous one was still running. */
  skipped: number;
  /** Ticks with nothing said, chatted or done in the window. */
  quiet: number;
  contexts: number;
  failed: number;
  lastAnalysisAt: EpochMs | null;
  lastSource: Analyzed["source"] | null;
}

export class AnalysisLoop {
  readonly #options: LoopOptions;
  readonly #newId: () => string;
  #timer: ReturnType<typeof setInterval> | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  #nextContextAt: EpochMs;
  #last: LastAnalysis | null = null;
  #stats: Omit<LoopStats, "lastAnalysisAt" | "lastSource"> = {
    analyses: 0,
    fallbacks: {},
    skipped: 0,
    quiet: 0,
    contexts: 0,
    failed: 0,
  };

  constructor(options: LoopOptions) {
    this.#options = options;
    this.#newId = options.newId ?? (() => Bun.randomUUIDv7());
    this.#nextContextAt = shift(options.clock(), options.cadence.contextIntervalMs);
  }

  start(): void {
    if (this.#timer !== null || this.#stopped) return;
    this.#timer = setInterval(() => void this.tick(), this.#options.cadence.analysisIntervalMs);
  }

  /** Runs one analysis now, unless one is running; resolves when it is done. */
  tick(): Promise<void> {
    if (this.#running !== null) {
      this.#stats.skipped++;
      return this.#running;
    }
    const running = this.#run()
      .catch((err: unknown) => {
        this.#stats.failed++;
        this.#options.logger.error({ err }, "an analysis failed");
      })
      .finally(() => {
        this.#running = null;
      });
    this.#running = running;
    return running;
  }

  last(): LastAnalysis | null {
    return this.#last;
  }

  stats(): LoopStats {
    return {
      ...this.#stats,
      fallbacks: { ...this.#stats.fallbacks },
      lastAnalysisAt: this.#last?.at ?? null,
      lastSource: this.#last?.source ?? null,
    };
  }

  /** Stops the cadence and waits for a running analysis to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async #run(): Promise<void> {
    const { inputs, cadence, clock } = this.#options;
    const now = clock();
    const from = shift(now, -cadence.analysisWindowMs);
    const window = inputs.between(from, now);
    const quiet =
      window.utterances.length === 0 &&
      window.chat.length === 0 &&
      window.interactions.length === 0;
    if (quiet) {
      this.#stats.quiet++;
    } else {
      const summary = summarize(window, {
        from,
        to: now,
        reactionMs: cadence.reactionMs,
        nativeEmotes: this.#options.nativeEmotes(),
      });
      const analyzed = await this.#options.analyze(summary);
      // Stopping aborts the model's request: that window's fallback is not the stream's story.
      if (this.#stopped) return;
      this.#stats.analyses++;
      if (analyzed.source.kind === "fallback") {
        const reason = analyzed.source.detail;
        this.#stats.fallbacks[reason] = (this.#stats.fallbacks[reason] ?? 0) + 1;
      }
      this.#last = { ...analyzed, at: clock(), summary };
      if (now >= this.#nextContextAt - cadence.analysisIntervalMs / 2) {
        this.#nextContextAt = shift(now, cadence.contextIntervalMs);
        this.#stats.contexts++;
        this.#options.submit(this.#context(summary, analyzed));
      }
    }
    // No later window starts before `from`: what is older has been analysed or never will be.
    inputs.prune(from);
  }

  #context(summary: WindowSummary, analyzed: Analyzed): StreamContext {
    return {
      id: this.#newId(),
      session_id: summary.sessionId ?? daySession(summary.to),
      started_at: isoOf(summary.from),
      ended_at: isoOf(summary.to),
      transcript: summary.transcript,
      chat: summary.figures,
      interactions: summary.interactions,
      emotes: summary.emotes,
      analysis: analyzed.analysis,
      source: analyzed.source,
    };
  }
}

/** The day's session when nobody spoke, named as the hub names a day's transcriptions. */
export function daySession(at: EpochMs): string {
  return `stream_${isoOf(at).slice(0, 10).replaceAll("-", "_")}`;
}
