/**
 * What one speech engine implements; `engine.ts` wraps a backend with the state machine, the
 * hallucination filter and the counters every engine shares.
 */
import { access, constants, stat } from "node:fs/promises";
import type { Segment } from "../pipeline/segment";

export interface BackendResult {
  text: string;
  confidence: number | null;
}

export interface Backend {
  /** What keeps the engine from working (a missing binary, model or endpoint), or null. */
  check(): Promise<string | null>;
  /** Throws an `EngineFailure` (or the signal's reason when aborted). */
  transcribe(segment: Segment, signal: AbortSignal): Promise<BackendResult>;
  stop(): Promise<void>;
}

/** A failed transcription, with a message meant for the health report. */
export class EngineFailure extends Error {
  readonly code = "engine_failed";
  constructor(message: string) {
    super(message);
    this.name = "EngineFailure";
  }
}

/** Work refused or cut short because the engine was stopped (shutdown, not a fault). */
export class EngineStoppedError extends Error {
  readonly code = "engine_stopped";
  constructor() {
    super("the engine is stopped");
    this.name = "EngineStoppedError";
  }
}

/** The executable's path, from PATH for a bare name; null when it is missing or not executable. */
export async function findExecutable(name: string): Promise<string | null> {
  if (!name.includes("/")) return Bun.which(name);
  try {
    await access(name, constants.X_OK);
    return (await stat(name)).isFile() ? name : null;
  } catch {
    return null;
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
