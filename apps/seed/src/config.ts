/**
 * The AI worker's configuration, read once from the environment (Bun loads `.env`) and validated.
 * A bad value stops start-up with a message naming the variable and what it expects; a secret's
 * value is never echoed. Without `LANDALE_LLM_URL` there is no model and every window gets the
 * offline analysis.
 */
import { LOG_LEVELS, type LogLevel } from "@landale/logger";
import { ConfigError, envProblems } from "@landale/process";
import { flag, httpUrl, optionalText, port, wholeNumber } from "@landale/process/env";
import { z } from "zod";
import { LLM_DEFAULTS, type LlmSettings } from "./llm/client";

const HOUR_MS = 60 * 60 * 1000;

export const EnvSchema = z
  .object({
    SEED_HOST: z.string().min(1).default("127.0.0.1"),
    SEED_HEALTH_PORT: port(8891),
    SEED_ANALYSIS_INTERVAL_MS: wholeNumber(30_000, 100, HOUR_MS),
    SEED_ANALYSIS_WINDOW_MS: wholeNumber(120_000, 100, 6 * HOUR_MS),
    SEED_CONTEXT_INTERVAL_MS: wholeNumber(120_000, 100, 6 * HOUR_MS),
    SEED_REACTION_WINDOW_MS: wholeNumber(10_000, 0, 5 * 60_000),
    SEED_CONTEXT_QUEUE: wholeNumber(50, 1, 10_000),
    // An OpenAI-compatible server's base URL; LM Studio's and Ollama's usual `…/v1` is accepted too.
    LANDALE_LLM_URL: httpUrl(null).transform((value) => value?.replace(/\/v1$/, "") ?? null),
    LANDALE_LLM_MODEL: optionalText,
    LANDALE_LLM_API_KEY: optionalText,
    SEED_LLM_TIMEOUT_MS: wholeNumber(LLM_DEFAULTS.timeoutMs, 100, 10 * 60_000),
    SEED_LLM_MIN_INTERVAL_MS: wholeNumber(LLM_DEFAULTS.minIntervalMs, 0, HOUR_MS),
    SEED_LLM_RETRIES: wholeNumber(LLM_DEFAULTS.retry.retries, 0, 10),
    SEED_LLM_RETRY_BASE_MS: wholeNumber(LLM_DEFAULTS.retry.baseMs, 1, 60_000),
    SEED_LLM_MAX_RETRY_WAIT_MS: wholeNumber(LLM_DEFAULTS.retry.maxMs, 1, 10 * 60_000),
    SEED_LLM_BREAKER_THRESHOLD: wholeNumber(LLM_DEFAULTS.breaker.threshold, 1, 100),
    SEED_LLM_BREAKER_COOLDOWN_MS: wholeNumber(LLM_DEFAULTS.breaker.cooldownMs, 100, 24 * HOUR_MS),
    SEED_LLM_MAX_TOKENS: wholeNumber(LLM_DEFAULTS.maxTokens, 64, 32_768),
    LANDALE_HUB_URL: httpUrl("http://127.0.0.1:7175").transform((value) => value ?? ""),
    LANDALE_WORKER_TOKEN: optionalText.refine(
      (value) => value === null || value.length >= 16,
      "must be at least 16 characters",
    ),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    LANDALE_EXIT_WITH_PARENT: flag,
  })
  .superRefine((env, ctx) => {
    if (env.LANDALE_LLM_URL !== null && env.LANDALE_LLM_MODEL === null) {
      ctx.addIssue({
        code: "custom",
        path: ["LANDALE_LLM_MODEL"],
        message: "is required when LANDALE_LLM_URL is set (the model's name on that server)",
      });
    }
    if (env.SEED_CONTEXT_INTERVAL_MS < env.SEED_ANALYSIS_INTERVAL_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["SEED_CONTEXT_INTERVAL_MS"],
        message: "must be at least SEED_ANALYSIS_INTERVAL_MS (a context carries an analysis)",
      });
    }
  });

/** When the worker analyses and stores, and what counts as a reaction. */
export interface CadenceConfig {
  /** How often a window is analysed. */
  analysisIntervalMs: number;
  /** How far back each analysis looks (and what a stored context covers). */
  analysisWindowMs: number;
  /** How often an analysis is stored as a context. */
  contextIntervalMs: number;
  /** Chat up to this long after an utterance ends reacts to it. */
  reactionMs: number;
}

export interface Config {
  host: string;
  healthPort: number;
  cadence: CadenceConfig;
  /** Contexts waiting for the hub's acknowledgement; past it the oldest is dropped (counted). */
  contextQueue: number;
  /** Null: no model, the offline analysis for every window. */
  llm: LlmSettings | null;
  hub: { url: string; token: string | null };
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
  const llm: LlmSettings | null =
    values.LANDALE_LLM_URL === null || values.LANDALE_LLM_MODEL === null
      ? null
      : {
          url: values.LANDALE_LLM_URL,
          model: values.LANDALE_LLM_MODEL,
          apiKey: values.LANDALE_LLM_API_KEY,
          timeoutMs: values.SEED_LLM_TIMEOUT_MS,
          minIntervalMs: values.SEED_LLM_MIN_INTERVAL_MS,
          retry: {
            retries: values.SEED_LLM_RETRIES,
            baseMs: values.SEED_LLM_RETRY_BASE_MS,
            maxMs: values.SEED_LLM_MAX_RETRY_WAIT_MS,
          },
          breaker: {
            threshold: values.SEED_LLM_BREAKER_THRESHOLD,
            cooldownMs: values.SEED_LLM_BREAKER_COOLDOWN_MS,
          },
          maxTokens: values.SEED_LLM_MAX_TOKENS,
        };
  return {
    host: values.SEED_HOST,
    healthPort: values.SEED_HEALTH_PORT,
    cadence: {
      analysisIntervalMs: values.SEED_ANALYSIS_INTERVAL_MS,
      analysisWindowMs: values.SEED_ANALYSIS_WINDOW_MS,
      contextIntervalMs: values.SEED_CONTEXT_INTERVAL_MS,
      reactionMs: values.SEED_REACTION_WINDOW_MS,
    },
    contextQueue: values.SEED_CONTEXT_QUEUE,
    llm,
    hub: { url: values.LANDALE_HUB_URL, token: values.LANDALE_WORKER_TOKEN },
    logLevel: values.LOG_LEVEL,
    exitWithParent: values.LANDALE_EXIT_WITH_PARENT,
  };
}
