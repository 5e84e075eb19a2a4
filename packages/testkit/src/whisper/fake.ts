/**
 * A fake `whisper-cli` for tests: an executable script in a temp directory that runs
 * `fake-cli.ts` — whisper.cpp's CLI on the outside, scripted answers inside — beside a fake
 * model file. Point WHISPER_EXECUTABLE and WHISPER_MODEL_PATH at it.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeWhisperAnswer, FakeWhisperInvocation } from "./fake-types";

export interface FakeWhisperCli {
  /** The executable's path (WHISPER_EXECUTABLE). */
  executable: string;
  /** An existing model file (WHISPER_MODEL_PATH). */
  modelPath: string;
  /** An existing VAD model file (WHISPER_VAD_MODEL_PATH). */
  vadModelPath: string;
  /** Replaces the script; the run count starts again from the first answer. */
  setAnswers(answers: FakeWhisperAnswer[]): Promise<void>;
  /** Every run so far that got past the checks, in order. */
  invocations(): Promise<FakeWhisperInvocation[]>;
  /** Deletes the directory (any still-running fake is the caller's to kill). */
  cleanup(): Promise<void>;
}

export async function createFakeWhisperCli(
  options: { answers?: FakeWhisperAnswer[] } = {},
): Promise<FakeWhisperCli> {
  const dir = await mkdtemp(join(tmpdir(), "fake-whisper-"));
  const executable = join(dir, "whisper-cli");
  const modelPath = join(dir, "ggml-base.en.bin");
  const vadModelPath = join(dir, "ggml-silero-v5.1.2.bin");
  const program = join(import.meta.dir, "fake-cli.ts");
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  await writeFile(
    executable,
    `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(program)} ${quote(dir)} "$@"\n`,
  );
  await chmod(executable, 0o755);
  await writeFile(modelPath, "fake ggml model");
  await writeFile(vadModelPath, "fake silero model");

  const setAnswers = async (answers: FakeWhisperAnswer[]) => {
    await writeFile(join(dir, "answers.json"), JSON.stringify(answers));
    await rm(join(dir, "count"), { force: true });
  };
  await setAnswers(options.answers ?? [{ text: "" }]);

  return {
    executable,
    modelPath,
    vadModelPath,
    setAnswers,
    async invocations() {
      const text = await readFile(join(dir, "invocations.jsonl"), "utf8").catch(() => "");
      return text
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as FakeWhisperInvocation);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
