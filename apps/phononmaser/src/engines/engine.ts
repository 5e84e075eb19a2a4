/**
 * The engine interface main.ts drives, and `createEngine`, which wraps the configured backend
 * with what every engine shares: the state (`check()` → ready, degraded or off; a failure →
 * degraded with its message; the next success → ready), the hallucination filter and counters.
 */
import type { Logger } from "@landale/logger";
import type { Segment } from "../pipeline/segment";
import { type Backend, EngineStoppedError } from "./backend";
import { createHallucinationFilter } from "./filter";
import { createOpenAiBackend, type OpenAiConfig } from "./openai";
import { type ChatterSource, createParticipantsPrompt } from "./participants";
import { createPocketsphinxBackend, type PocketsphinxConfig } from "./pocketsphinx";
import { createWhisperCppBackend, type WhisperConfig } from "./whisper-cpp";

export { EngineFailure, EngineStoppedError } from "./backend";
export { DEFAULT_HALLUCINATIONS } from "./filter";
export type { ChatterSource } from "./participants";

export interface EngineResult {
  text: string;
  confidence: number | null;
}
export type EngineState = { state: "ready" | "degraded" | "off"; message: string | null };
export type EngineName = "none" | "pocketsphinx" | "whisper-cpp" | "openai";
export interface Engine {
  readonly name: EngineName;
  /** Checks binaries/models/endpoint; never throws: degraded with a message instead. */
  check(): Promise<EngineState>;
  state(): EngineState;
  /** Never on the event loop (child process or HTTP); aborted → child killed (process group). */
  transcribe(segment: Segment, signal: AbortSignal): Promise<EngineResult | null>;
  stop(): Promise<void>; // kills any running child
}

export interface EngineStats {
  /** Results returned with text. */
  transcribed: number;
  /** Results dropped by the hallucination filter. */
  filtered: number;
  /** Results with no text at all. */
  empty: number;
  /** Failures, timeouts included. */
  failed: number;
  /** Aborted by a `TimeoutError` (the caller's timeout): the child was killed. */
  timedOut: number;
}

/** An engine as `createEngine` builds it: the interface plus counters for the health report. */
export interface CountedEngine extends Engine {
  stats(): EngineStats;
}

export interface EngineConfig {
  /** LANDALE_TRANSCRIBER. */
  transcriber: EngineName;
  pocketsphinx?: PocketsphinxConfig;
  whisper?: WhisperConfig;
  openai?: OpenAiConfig;
  /** Whole-text phrases dropped as hallucinations; `DEFAULT_HALLUCINATIONS` when absent. */
  hallucinations?: readonly string[];
}

export interface EngineDeps {
  logger: Logger;
  /** Where the participants' prompt gets its names (whisper-cpp and openai); no prompt without. */
  hub?: ChatterSource;
}

export function createEngine(config: EngineConfig, deps: EngineDeps): CountedEngine {
  const logger = deps.logger.child({ engine: config.transcriber });
  const prompt = createParticipantsPrompt({ hub: deps.hub, logger });
  switch (config.transcriber) {
    case "none":
      return createOffEngine();
    case "pocketsphinx":
      return wrapBackend("pocketsphinx", createPocketsphinxBackend(config.pocketsphinx), {
        config,
        logger,
      });
    case "whisper-cpp":
      return wrapBackend(
        "whisper-cpp",
        createWhisperCppBackend(config.whisper ?? { modelPath: null }, { prompt }),
        { config, logger },
      );
    case "openai":
      return wrapBackend(
        "openai",
        createOpenAiBackend(config.openai ?? { url: null }, { prompt }),
        { config, logger },
      );
  }
}

function createOffEngine(): CountedEngine {
  const off: EngineState = { state: "off", message: "LANDALE_TRANSCRIBER is none" };
  const stats: EngineStats = { transcribed: 0, filtered: 0, empty: 0, failed: 0, timedOut: 0 };
  return {
    name: "none",
    check: async () => ({ ...off }),
    state: () => ({ ...off }),
    transcribe: async () => null,
    stop: async () => {},
    stats: () => ({ ...stats }),
  };
}

function wrapBackend(
  name: Exclude<EngineName, "none">,
  backend: Backend,
  context: { config: EngineConfig; logger: Logger },
): CountedEngine {
  const { logger } = context;
  const filter = createHallucinationFilter(context.config.hallucinations);
  const stats: EngineStats = { transcribed: 0, filtered: 0, empty: 0, failed: 0, timedOut: 0 };
  let current: EngineState = { state: "degraded", message: "not checked yet" };
  let stopped = false;

  const become = (next: EngineState) => {
    const changed = next.state !== current.state || next.message !== current.message;
    current = next;
    if (!changed) return;
    if (next.state === "ready") logger.info("speech engine ready");
    else logger.warn({ reason: next.message }, "speech engine degraded");
  };

  return {
    name,
    async check() {
      if (stopped) return { ...current };
      try {
        const problem = await backend.check();
        become(problem === null ? { state: "ready", message: null } : degraded(problem));
      } catch (error) {
        become(degraded(`the engine check failed: ${describe(error)}`));
      }
      return { ...current };
    },
    state: () => ({ ...current }),
    async transcribe(segment, signal) {
      if (stopped) throw new EngineStoppedError();
      let raw: Awaited<ReturnType<Backend["transcribe"]>>;
      try {
        raw = await backend.transcribe(segment, signal);
      } catch (error) {
        if (!stopped && isTimeout(signal)) {
          stats.timedOut++;
          stats.failed++;
          become(degraded("a transcription timed out; the engine was killed"));
        } else if (!stopped && !signal.aborted) {
          stats.failed++;
          become(degraded(describe(error)));
        }
        throw error;
      }
      become({ state: "ready", message: null });
      const verdict = filter.judge(raw.text);
      if (verdict === "speech") {
        stats.transcribed++;
        return { text: raw.text, confidence: raw.confidence };
      }
      if (verdict === "empty") stats.empty++;
      else {
        stats.filtered++;
        logger.debug({ segment: segment.id }, "dropped a hallucinated transcription");
      }
      return null;
    },
    async stop() {
      stopped = true;
      await backend.stop();
    },
    stats: () => ({ ...stats }),
  };
}

function degraded(message: string): EngineState {
  return { state: "degraded", message };
}

function isTimeout(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return (
    signal.aborted &&
    typeof reason === "object" &&
    reason !== null &&
    (reason as { name?: unknown }).name === "TimeoutError"
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
