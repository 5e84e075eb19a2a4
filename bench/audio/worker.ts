/**
 * The audio worker as the bench runs it, in a process of its own so its CPU time and RSS are its
 * alone: the real `startWorker` with the settings read from the environment, as `main.ts` does.
 * `LANDALE_TRANSCRIBER` must be `none`; the `none` engine answers every segment with no words, so
 * nothing would reach `/events`. Here it answers with a fixed caption at once instead, so
 * `audio:transcription` marks the moment a segment left the pipeline, with no ASR time in it.
 * Prints one line with both URLs when ready; exits with the driver (or past its time limit).
 */

import { loadConfig } from "../../apps/phononmaser/src/config";
import type { EngineState, TranscriptionEngine } from "../../apps/phononmaser/src/transcriber";
import { startWorker } from "../../apps/phononmaser/src/worker";
import { createLogger } from "../../packages/logger/src/index";
import { exitWithParent, lifetimeFromArgv } from "../lib/lifetime";

const FALLBACK_LIFETIME_MS = 30 * 60_000;
const READY: EngineState = { state: "ready", message: null };

/** A stand-in for the ASR that takes no time: the segment itself is the caption. */
function instantEngine(): TranscriptionEngine {
  return {
    name: "none",
    check: async () => READY,
    state: () => READY,
    transcribe: async (segment) => ({ text: `segment ${segment.durationMs} ms`, confidence: null }),
    stop: async () => {},
  };
}

async function main(): Promise<void> {
  exitWithParent(lifetimeFromArgv(FALLBACK_LIFETIME_MS));
  const config = loadConfig(process.env);
  if (config.transcriber.engine !== "none") {
    throw new Error(`the bench measures without ASR: LANDALE_TRANSCRIBER must be none`);
  }
  const logger = createLogger({ name: "phononmaser-bench", level: config.logLevel });
  const worker = await startWorker(config, { logger, createEngine: instantEngine });
  const stop = () => {
    worker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdout.write(`bench worker ready: ${worker.audioUrl} ${worker.healthUrl}\n`);
}

main().catch((error: unknown) => {
  console.error("bench worker failed:", error);
  process.exit(1);
});
