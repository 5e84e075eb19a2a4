import { describe, expect, it } from "bun:test";
import { ConfigError, DEFAULT_HALLUCINATIONS, loadConfig } from "./config";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("defaults to a loopback worker on 8889 and 8890 with no engine", () => {
    expect(loadConfig({})).toEqual({
      host: "127.0.0.1",
      port: 8889,
      healthPort: 8890,
      sampleFormats: { fallback: "auto", bySource: {} },
      segmenter: { vadMode: 2, silenceMs: 500, minSegmentMs: 1500, maxSegmentMs: 30_000 },
      segmentQueue: 16,
      transcriber: {
        engine: "none",
        timeoutMs: 60_000,
        language: "en",
        hallucinations: [...DEFAULT_HALLUCINATIONS],
        whisper: { executable: "whisper-cli", modelPath: null, vadModelPath: null, threads: 4 },
        pocketsphinx: { executable: "pocketsphinx_continuous", modelDir: null },
        openai: { url: null, model: "whisper-1", apiKey: null },
      },
      hub: { url: "http://127.0.0.1:7175", token: null, queue: 1000, sessionId: null },
      logLevel: "info",
      exitWithParent: false,
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PHONONMASER_HOST: "0.0.0.0",
      PHONONMASER_PORT: "9000",
      PHONONMASER_HEALTH_PORT: "9001",
      PHONONMASER_SAMPLE_FORMAT: "float32,desk=int32",
      PHONONMASER_VAD_MODE: "3",
      PHONONMASER_SILENCE_MS: "700",
      PHONONMASER_MIN_SEGMENT_MS: "1000",
      PHONONMASER_MAX_SEGMENT_MS: "20000",
      PHONONMASER_SEGMENT_QUEUE: "8",
      PHONONMASER_LINK_QUEUE: "50",
      PHONONMASER_SESSION_ID: "friday-stream",
      PHONONMASER_HALLUCINATIONS: "[BLANK_AUDIO] | Thank you, bye. ||",
      LANDALE_TRANSCRIBER: "openai",
      LANDALE_TRANSCRIBE_TIMEOUT_MS: "30000",
      WHISPER_EXECUTABLE: "/opt/whisper/whisper-cli",
      WHISPER_MODEL_PATH: "/models/ggml-base.en.bin",
      WHISPER_VAD_MODEL_PATH: "/models/silero.bin",
      WHISPER_THREADS: "8",
      WHISPER_LANGUAGE: "auto",
      POCKETSPHINX_EXECUTABLE: "/usr/local/bin/pocketsphinx_continuous",
      POCKETSPHINX_MODEL_DIR: "/models/en-us",
      LANDALE_TRANSCRIBE_URL: "http://127.0.0.1:8080/",
      LANDALE_TRANSCRIBE_MODEL: "large-v3",
      LANDALE_TRANSCRIBE_API_KEY: "sk-a-key",
      LANDALE_HUB_URL: "http://hub.lan:7175/",
      LANDALE_WORKER_TOKEN: "a-worker-token-of-length",
      LOG_LEVEL: "debug",
      LANDALE_EXIT_WITH_PARENT: "1",
    });
    expect(config).toEqual({
      host: "0.0.0.0",
      port: 9000,
      healthPort: 9001,
      sampleFormats: { fallback: "float32", bySource: { desk: "int32" } },
      segmenter: { vadMode: 3, silenceMs: 700, minSegmentMs: 1000, maxSegmentMs: 20_000 },
      segmentQueue: 8,
      transcriber: {
        engine: "openai",
        timeoutMs: 30_000,
        language: "auto",
        hallucinations: ["[BLANK_AUDIO]", "Thank you, bye."],
        whisper: {
          executable: "/opt/whisper/whisper-cli",
          modelPath: "/models/ggml-base.en.bin",
          vadModelPath: "/models/silero.bin",
          threads: 8,
        },
        pocketsphinx: {
          executable: "/usr/local/bin/pocketsphinx_continuous",
          modelDir: "/models/en-us",
        },
        openai: { url: "http://127.0.0.1:8080", model: "large-v3", apiKey: "sk-a-key" },
      },
      hub: {
        url: "http://hub.lan:7175",
        token: "a-worker-token-of-length",
        queue: 50,
        sessionId: "friday-stream",
      },
      logLevel: "debug",
      exitWithParent: true,
    });
  });

  it("turns the hallucination filter off with an empty list", () => {
    expect(loadConfig({ PHONONMASER_HALLUCINATIONS: "" }).transcriber.hallucinations).toEqual([]);
  });

  it("names each bad variable and what it expects, never echoing a secret", () => {
    expect(
      problems({
        PHONONMASER_PORT: "eighty",
        LANDALE_TRANSCRIBER: "vosk",
        PHONONMASER_SAMPLE_FORMAT: "mic=pcm",
        LANDALE_WORKER_TOKEN: "short-secret",
        LANDALE_HUB_URL: "ftp://hub",
      }),
    ).toEqual([
      'PHONONMASER_PORT: Invalid input: expected number, received NaN (got "eighty")',
      'PHONONMASER_SAMPLE_FORMAT: "mic=pcm": the format must be int32, float32 or auto (as "format" or "sourceId=format", comma-separated) (got "mic=pcm")',
      'LANDALE_TRANSCRIBER: Invalid option: expected one of "none"|"pocketsphinx"|"whisper-cpp"|"openai" (got "vosk")',
      'LANDALE_HUB_URL: must be an http:// or https:// URL (got "ftp://hub")',
      "LANDALE_WORKER_TOKEN: must be at least 16 characters",
    ]);
  });

  it("requires a URL for the openai engine, and segments whose minimum is below their maximum", () => {
    expect(
      problems({
        LANDALE_TRANSCRIBER: "openai",
        PHONONMASER_MIN_SEGMENT_MS: "9000",
        PHONONMASER_MAX_SEGMENT_MS: "8000",
      }),
    ).toEqual([
      'LANDALE_TRANSCRIBE_URL: is required when LANDALE_TRANSCRIBER is "openai" (the server\'s base URL, e.g. http://127.0.0.1:8080)',
      'PHONONMASER_MIN_SEGMENT_MS: must be below PHONONMASER_MAX_SEGMENT_MS (got "9000")',
    ]);
  });
});
