/**
 * whisper.cpp's command-line program, `whisper-cli` (examples/cli): `-m model -f segment.wav -oj
 * -of <dir>/out` writes `<dir>/out.json`, whose `transcription[].text` are the segments' texts.
 * `-np` keeps its stderr to errors; `--vad -vm` uses whisper.cpp's own Silero VAD when a model is
 * given; `--prompt` carries the participants' names.
 */
import { join } from "node:path";
import { z } from "zod";
import type { Segment } from "../pipeline/segment";
import { type Backend, type BackendResult, EngineFailure, findExecutable, isFile } from "./backend";
import type { ParticipantsPrompt } from "./participants";
import { createProcessGroups, tail } from "./process-group";
import { withTempWav } from "./wav";

export const DEFAULT_WHISPER_EXECUTABLE = "whisper-cli";

export interface WhisperConfig {
  /** A name looked up on PATH, or a path (WHISPER_EXECUTABLE). */
  executable?: string;
  /** The ggml model (WHISPER_MODEL_PATH); required. */
  modelPath: string | null;
  /** A Silero ggml model (WHISPER_VAD_MODEL_PATH); when set, whisper.cpp skips non-speech itself. */
  vadModelPath?: string | null;
  threads?: number;
  /** A language code, or "auto". */
  language?: string;
  /** SIGTERM → SIGKILL grace when aborted. */
  graceMs?: number;
}

const WhisperJson = z.object({
  transcription: z.array(z.object({ text: z.string() })),
});

export function createWhisperCppBackend(
  config: WhisperConfig,
  deps: { prompt: ParticipantsPrompt },
): Backend {
  const executable = config.executable ?? DEFAULT_WHISPER_EXECUTABLE;
  const groups = createProcessGroups({ graceMs: config.graceMs });

  async function check(): Promise<string | null> {
    if (!(await findExecutable(executable)))
      return `${executable} is not installed or not executable (set WHISPER_EXECUTABLE)`;
    if (!config.modelPath) return "WHISPER_MODEL_PATH is not set";
    if (!(await isFile(config.modelPath)))
      return `the whisper model ${config.modelPath} does not exist (WHISPER_MODEL_PATH)`;
    if (config.vadModelPath && !(await isFile(config.vadModelPath)))
      return `the VAD model ${config.vadModelPath} does not exist (WHISPER_VAD_MODEL_PATH)`;
    return null;
  }

  async function transcribe(segment: Segment, signal: AbortSignal): Promise<BackendResult> {
    const path = await findExecutable(executable);
    if (!path) throw new EngineFailure(`${executable} is not installed or not executable`);
    if (!config.modelPath) throw new EngineFailure("WHISPER_MODEL_PATH is not set");
    const prompt = await deps.prompt.current();
    return withTempWav(segment.pcm, async ({ dir, wav }) => {
      const out = join(dir, "out");
      const args = [
        ["-m", config.modelPath!],
        ["-f", wav],
        ["-l", config.language ?? "en"],
        config.threads ? ["-t", String(config.threads)] : [],
        config.vadModelPath ? ["--vad", "-vm", config.vadModelPath] : [],
        prompt ? ["--prompt", prompt] : [],
        ["-oj", "-of", out, "-np", "-nt"],
      ].flat();
      const result = await groups.run([path, ...args], signal);
      const why = tail(result.stderr);
      if (result.exitCode !== 0) {
        const how = result.signal ? `was killed by ${result.signal}` : `exited ${result.exitCode}`;
        throw new EngineFailure(`${executable} ${how}${why ? `: ${why}` : ""}`);
      }
      const file = Bun.file(`${out}.json`);
      // whisper-cli exits 0 after printing its usage for a flag it does not know.
      if (!(await file.exists()))
        throw new EngineFailure(`${executable} wrote no JSON${why ? `: ${why}` : ""}`);
      const parsed = WhisperJson.safeParse(await file.json().catch(() => null));
      // Its JSON writer escapes only quotes and backslashes; should a control character break
      // the file, the same segments are on stdout (`-nt`: bare texts).
      const parts = parsed.success
        ? parsed.data.transcription.map((part) => part.text)
        : result.stdout.split("\n");
      const text = parts
        .map((part) => part.trim())
        .filter((part) => part !== "")
        .join(" ");
      return { text, confidence: null };
    });
  }

  return { check, transcribe, stop: () => groups.stop() };
}
