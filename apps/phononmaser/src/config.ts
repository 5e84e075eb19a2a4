/**
 * The audio worker's configuration, read once from the environment (Bun loads `.env`) and
 * validated. A bad value stops start-up with a message naming the variable and what it expects;
 * a secret's value is never echoed.
 */
import { LOG_LEVELS, type LogLevel } from "@landale/logger";
import { ConfigError, envProblems } from "@landale/process";
import { flag, httpUrl, optionalText, port } from "@landale/process/env";
import { TranscriptionSessionId } from "@landale/shared";
import { z } from "zod";
import { parseSampleFormats, type SampleFormats } from "./audio/sample-format";

export const TRANSCRIBERS = ["none", "pocketsphinx", "whisper-cpp", "openai"] as const;
export type TranscriberName = (typeof TRANSCRIBERS)[number];

/**
 * What Whisper and its kind say on silence or noise; a transcription that is only one of these is
 * dropped. `PHONONMASER_HALLUCINATIONS` replaces the list (`|`-separated; empty turns it off).
 */
export const DEFAULT_HALLUCINATIONS = [
  "[BLANK_AUDIO]",
  "[ Silence ]",
  "[silence]",
  "(silence)",
  "[MUSIC]",
  "[Music]",
  "(music)",
  "Thank you.",
  "Thank you",
  "Thanks for watching!",
  "Thank you for watching.",
  "Thank you for watching!",
  "you",
] as const;

export const EnvSchema = z
  .object({
    PHONONMASER_PORT: port(8889),
    PHONONMASER_HOST: z.string().min(1).default("127.0.0.1"),
    PHONONMASER_HEALTH_PORT: port(8890),
    PHONONMASER_SAMPLE_FORMAT: z
      .string()
      .default("auto")
      .transform((value, ctx) => {
        const parsed = parseSampleFormats(value);
        if (typeof parsed === "string") {
          ctx.addIssue({ code: "custom", message: parsed });
          return z.NEVER;
        }
        return parsed;
      }),
    PHONONMASER_VAD_MODE: z.coerce.number().int().min(0).max(3).default(2),
    PHONONMASER_SILENCE_MS: z.coerce.number().int().min(200).max(2000).default(500),
    PHONONMASER_MIN_SEGMENT_MS: z.coerce.number().int().min(300).max(10_000).default(1500),
    PHONONMASER_MAX_SEGMENT_MS: z.coerce.number().int().min(5000).max(120_000).default(30_000),
    PHONONMASER_SEGMENT_QUEUE: z.coerce.number().int().min(1).max(1000).default(16),
    PHONONMASER_LINK_QUEUE: z.coerce.number().int().min(1).max(100_000).default(1000),
    PHONONMASER_SESSION_ID: optionalText.refine(
      (value) => value === null || TranscriptionSessionId.safeParse(value).success,
      "must be 1-128 characters of A-Z a-z 0-9 . _ : -",
    ),
    PHONONMASER_HALLUCINATIONS: z
      .string()
      .optional()
      .transform((value) =>
        value === undefined
          ? [...DEFAULT_HALLUCINATIONS]
          : value
              .split("|")
              .map((phrase) => phrase.trim())
              .filter((phrase) => phrase !== ""),
      ),
    LANDALE_TRANSCRIBER: z.enum(TRANSCRIBERS).default("none"),
    LANDALE_TRANSCRIBE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
    WHISPER_EXECUTABLE: z.string().min(1).default("whisper-cli"),
    WHISPER_MODEL_PATH: optionalText,
    WHISPER_VAD_MODEL_PATH: optionalText,
    WHISPER_THREADS: z.coerce.number().int().min(1).max(256).default(4),
    WHISPER_LANGUAGE: z
      .string()
      .regex(/^([a-z]{2,3}|auto)$/, 'must be a language code such as "en", or "auto"')
      .default("en"),
    POCKETSPHINX_EXECUTABLE: z.string().min(1).default("pocketsphinx_continuous"),
    POCKETSPHINX_MODEL_DIR: optionalText,
    LANDALE_TRANSCRIBE_URL: httpUrl(null),
    LANDALE_TRANSCRIBE_MODEL: z.string().min(1).default("whisper-1"),
    LANDALE_TRANSCRIBE_API_KEY: optionalText,
    LANDALE_HUB_URL: httpUrl("http://127.0.0.1:7175").transform((value) => value ?? ""),
    LANDALE_WORKER_TOKEN: optionalText.refine(
      (value) => value === null || value.length >= 16,
      "must be at least 16 characters",
    ),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    LANDALE_EXIT_WITH_PARENT: flag,
  })
  .superRefine((env, ctx) => {
    if (env.LANDALE_TRANSCRIBER === "openai" && env.LANDALE_TRANSCRIBE_URL === null) {
      ctx.addIssue({
        code: "custom",
        path: ["LANDALE_TRANSCRIBE_URL"],
        message:
          'is required when LANDALE_TRANSCRIBER is "openai" (the server\'s base URL, e.g. http://127.0.0.1:8080)',
      });
    }
    if (env.PHONONMASER_MIN_SEGMENT_MS >= env.PHONONMASER_MAX_SEGMENT_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["PHONONMASER_MIN_SEGMENT_MS"],
        message: "must be below PHONONMASER_MAX_SEGMENT_MS",
      });
    }
  });

/** The settings the engines read (`src/engines/*`), whichever one `engine` picks. */
export interface TranscriberConfig {
  engine: TranscriberName;
  /** One transcription's limit; past it the engine's child (and its group) is killed. */
  timeoutMs: number;
  /** Language code for whisper.cpp and OpenAI-compatible servers ("auto" lets them detect). */
  language: string;
  /** Transcriptions that are only one of these phrases are dropped (compared by the engines). */
  hallucinations: string[];
  whisper: {
    /** `whisper-cli`, a path or a name looked up in PATH. */
    executable: string;
    /** The ggml model; null (or a missing file) leaves the engine degraded. */
    modelPath: string | null;
    /** Optional Silero VAD model for whisper.cpp's own VAD. */
    vadModelPath: string | null;
    threads: number;
  };
  pocketsphinx: {
    executable: string;
    /** The acoustic model's folder; null uses the one the package installs. */
    modelDir: string | null;
  };
  openai: {
    /** Base URL of an OpenAI-compatible server; the engine posts to `/v1/audio/transcriptions`. */
    url: string | null;
    model: string;
    apiKey: string | null;
  };
}

/** How the pipeline cuts speech into segments. */
export interface SegmenterConfig {
  /** fvad's aggressiveness, 0 (keeps most) to 3 (drops most non-speech). */
  vadMode: number;
  /** Silence that closes a segment. */
  silenceMs: number;
  minSegmentMs: number;
  maxSegmentMs: number;
}

export interface Config {
  host: string;
  port: number;
  healthPort: number;
  /** How 32-bit PCM is read, per source id (int32 or float32) or by the heuristic ("auto"). */
  sampleFormats: SampleFormats;
  segmenter: SegmenterConfig;
  /** Segments waiting for the engine; past it the oldest is dropped (counted). */
  segmentQueue: number;
  transcriber: TranscriberConfig;
  hub: {
    url: string;
    token: string | null;
    /** Transcriptions waiting for the hub's answer, at most; past it the oldest is dropped. */
    queue: number;
    /** Every transcription's session; null names it by the day (`stream_YYYY_MM_DD`). */
    sessionId: string | null;
  };
  logLevel: LogLevel;
  /** Exit when the process that started the worker dies (the launcher sets it). */
  exitWithParent: boolean;
}

// One ConfigError for both workers (`@landale/process`), re-exported for this app's code.
export { ConfigError };

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(envProblems(parsed.error.issues, env));
  }
  const values = parsed.data;
  return {
    host: values.PHONONMASER_HOST,
    port: values.PHONONMASER_PORT,
    healthPort: values.PHONONMASER_HEALTH_PORT,
    sampleFormats: values.PHONONMASER_SAMPLE_FORMAT,
    segmenter: {
      vadMode: values.PHONONMASER_VAD_MODE,
      silenceMs: values.PHONONMASER_SILENCE_MS,
      minSegmentMs: values.PHONONMASER_MIN_SEGMENT_MS,
      maxSegmentMs: values.PHONONMASER_MAX_SEGMENT_MS,
    },
    segmentQueue: values.PHONONMASER_SEGMENT_QUEUE,
    transcriber: {
      engine: values.LANDALE_TRANSCRIBER,
      timeoutMs: values.LANDALE_TRANSCRIBE_TIMEOUT_MS,
      language: values.WHISPER_LANGUAGE,
      hallucinations: values.PHONONMASER_HALLUCINATIONS,
      whisper: {
        executable: values.WHISPER_EXECUTABLE,
        modelPath: values.WHISPER_MODEL_PATH,
        vadModelPath: values.WHISPER_VAD_MODEL_PATH,
        threads: values.WHISPER_THREADS,
      },
      pocketsphinx: {
        executable: values.POCKETSPHINX_EXECUTABLE,
        modelDir: values.POCKETSPHINX_MODEL_DIR,
      },
      openai: {
        url: values.LANDALE_TRANSCRIBE_URL,
        model: values.LANDALE_TRANSCRIBE_MODEL,
        apiKey: values.LANDALE_TRANSCRIBE_API_KEY,
      },
    },
    hub: {
      url: values.LANDALE_HUB_URL,
      token: values.LANDALE_WORKER_TOKEN,
      queue: values.PHONONMASER_LINK_QUEUE,
      sessionId: values.PHONONMASER_SESSION_ID,
    },
    logLevel: values.LOG_LEVEL,
    exitWithParent: values.LANDALE_EXIT_WITH_PARENT,
  };
}
