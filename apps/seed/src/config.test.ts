import { describe, expect, it } from "bun:test";
import { ConfigError, loadConfig } from "./config";

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
  it("defaults to health on 8891, no model, analysis every 30 s over 120 s", () => {
    expect(loadConfig({})).toEqual({
      host: "127.0.0.1",
      healthPort: 8891,
      cadence: {
        analysisIntervalMs: 30_000,
        analysisWindowMs: 120_000,
        contextIntervalMs: 120_000,
        reactionMs: 10_000,
      },
      contextQueue: 50,
      llm: null,
      hub: { url: "http://127.0.0.1:7175", token: null },
      logLevel: "info",
      exitWithParent: false,
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      SEED_HOST: "0.0.0.0",
      SEED_HEALTH_PORT: "9100",
      SEED_ANALYSIS_INTERVAL_MS: "10000",
      SEED_ANALYSIS_WINDOW_MS: "60000",
      SEED_CONTEXT_INTERVAL_MS: "60000",
      SEED_REACTION_WINDOW_MS: "5000",
      SEED_CONTEXT_QUEUE: "10",
      LANDALE_LLM_URL: "http://127.0.0.1:1234/v1/",
      LANDALE_LLM_MODEL: "qwen3-8b",
      LANDALE_LLM_API_KEY: "sk-a-key",
      SEED_LLM_TIMEOUT_MS: "20000",
      SEED_LLM_MIN_INTERVAL_MS: "500",
      SEED_LLM_RETRIES: "4",
      SEED_LLM_RETRY_BASE_MS: "250",
      SEED_LLM_MAX_RETRY_WAIT_MS: "5000",
      SEED_LLM_BREAKER_THRESHOLD: "5",
      SEED_LLM_BREAKER_COOLDOWN_MS: "30000",
      SEED_LLM_MAX_TOKENS: "800",
      LANDALE_HUB_URL: "http://hub.lan:7175/",
      LANDALE_WORKER_TOKEN: "a-worker-token-of-length",
      LOG_LEVEL: "debug",
      LANDALE_EXIT_WITH_PARENT: "1",
    });
    expect(config).toEqual({
      host: "0.0.0.0",
      healthPort: 9100,
      cadence: {
        analysisIntervalMs: 10_000,
        analysisWindowMs: 60_000,
        contextIntervalMs: 60_000,
        reactionMs: 5000,
      },
      contextQueue: 10,
      llm: {
        url: "http://127.0.0.1:1234",
        model: "qwen3-8b",
        apiKey: "sk-a-key",
        timeoutMs: 20_000,
        minIntervalMs: 500,
        retry: { retries: 4, baseMs: 250, maxMs: 5000 },
        breaker: { threshold: 5, cooldownMs: 30_000 },
        maxTokens: 800,
      },
      hub: { url: "http://hub.lan:7175", token: "a-worker-token-of-length" },
      logLevel: "debug",
      exitWithParent: true,
    });
  });

  it("needs a model's name with a model's URL", () => {
    expect(problems({ LANDALE_LLM_URL: "http://127.0.0.1:11434" })).toEqual([
      "LANDALE_LLM_MODEL: is required when LANDALE_LLM_URL is set (the model's name on that server)",
    ]);
  });

  it("refuses a context interval shorter than the analysis interval", () => {
    expect(
      problems({ SEED_ANALYSIS_INTERVAL_MS: "60000", SEED_CONTEXT_INTERVAL_MS: "30000" }),
    ).toEqual([
      'SEED_CONTEXT_INTERVAL_MS: must be at least SEED_ANALYSIS_INTERVAL_MS (a context carries an analysis) (got "30000")',
    ]);
  });

  it("names every bad value (the model's missing name too) and never echoes a secret", () => {
    const found = problems({
      LANDALE_LLM_URL: "ftp://models",
      SEED_HEALTH_PORT: "70000",
      LANDALE_WORKER_TOKEN: "short",
      SEED_LLM_RETRIES: "-1",
    });
    expect(found).toHaveLength(5);
    expect(found).toContain(
      'LANDALE_LLM_URL: must be an http:// or https:// URL (got "ftp://models")',
    );
    expect(found.find((problem) => problem.startsWith("LANDALE_WORKER_TOKEN"))).toBe(
      "LANDALE_WORKER_TOKEN: must be at least 16 characters",
    );
    expect(found.join("\n")).not.toContain("short");
  });
});
