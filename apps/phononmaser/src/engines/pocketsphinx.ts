/**
 * CMU PocketSphinx, Debian's offline recogniser (0.8+5prealpha): `pocketsphinx_continuous -infile
 * segment.wav` on a 16 kHz mono 16-bit WAV prints one hypothesis line per utterance it finds.
 * Needs no model download (the `pocketsphinx-en-us` package), which makes it the tests' real ASR.
 */
import { join } from "node:path";
import type { Segment } from "../pipeline/segment";
import {
  type Backend,
  type BackendResult,
  EngineFailure,
  findExecutable,
  isDirectory,
  isFile,
} from "./backend";
import { createProcessGroups, tail } from "./process-group";
import { withTempWav } from "./wav";

export const DEFAULT_POCKETSPHINX_EXECUTABLE = "pocketsphinx_continuous";
export const DEFAULT_POCKETSPHINX_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us";

export interface PocketsphinxConfig {
  /** A name looked up on PATH, or a path. */
  executable?: string;
  /** Holds `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir?: string;
  /** SIGTERM → SIGKILL grace when aborted. */
  graceMs?: number;
}

export function createPocketsphinxBackend(config: PocketsphinxConfig = {}): Backend {
  const executable = config.executable ?? DEFAULT_POCKETSPHINX_EXECUTABLE;
  const modelDir = config.modelDir ?? DEFAULT_POCKETSPHINX_MODEL_DIR;
  const model = {
    hmm: join(modelDir, "en-us"),
    lm: join(modelDir, "en-us.lm.bin"),
    dict: join(modelDir, "cmudict-en-us.dict"),
  };
  const groups = createProcessGroups({ graceMs: config.graceMs });

  const missingExecutable = () =>
    `${executable} is not installed or not executable (Debian: apt install pocketsphinx)`;

  async function check(): Promise<string | null> {
    if (!(await findExecutable(executable))) return missingExecutable();
    const complete =
      (await isDirectory(model.hmm)) && (await isFile(model.lm)) && (await isFile(model.dict));
    if (!complete)
      return `the PocketSphinx model is missing from ${modelDir} (Debian: apt install pocketsphinx-en-us)`;
    return null;
  }

  async function transcribe(segment: Segment, signal: AbortSignal): Promise<BackendResult> {
    const path = await findExecutable(executable);
    if (!path) throw new EngineFailure(missingExecutable());
    return withTempWav(segment.pcm, async ({ wav }) => {
      const result = await groups.run(
        [
          path,
          ["-infile", wav],
          ["-hmm", model.hmm],
          ["-lm", model.lm],
          ["-dict", model.dict],
          ["-logfn", "/dev/null"],
        ].flat(),
        signal,
      );
      if (result.exitCode !== 0) {
        const how = result.signal ? `was killed by ${result.signal}` : `exited ${result.exitCode}`;
        const why = tail(result.stderr);
        throw new EngineFailure(`${executable} ${how}${why ? `: ${why}` : ""}`);
      }
      const text = result.stdout
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "")
        .join(" ");
      return { text, confidence: null };
    });
  }

  return { check, transcribe, stop: () => groups.stop() };
}
