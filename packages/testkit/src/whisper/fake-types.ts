/** What a test scripts the fake whisper-cli with, and what it records of each run. */

/** One run's behaviour. */
export type FakeWhisperAnswer =
  /** Transcribes: one whisper segment per string. */
  | { text: string | string[] }
  /** Starts a `sleep` child and never finishes; `ignoreTerm` makes it survive SIGTERM. */
  | { hang: true; ignoreTerm?: boolean }
  /** Fails as whisper-cli can: this stderr, this exit code. */
  | { exitCode: number; stderr: string };

export interface FakeWhisperInput {
  path: string;
  /** Null when the file is not a PCM 16-bit WAV. */
  sampleRate: number | null;
  channels: number | null;
  durationMs: number | null;
}

/** One run that got past the argument, input and model checks. */
export interface FakeWhisperInvocation {
  pid: number;
  args: string[];
  model: string;
  language: string;
  prompt: string | null;
  threads: number;
  /** `--vad`'s model path (`-vm`), "" when `--vad` came without one; null without `--vad`. */
  vadModel: string | null;
  inputs: FakeWhisperInput[];
  /** The `sleep` child a hanging run started. */
  childPid: number | null;
}
