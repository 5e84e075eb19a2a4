import { describe, expect, it } from "bun:test";
import type { LoopStats } from "./analysis/loop";
import { healthReport } from "./health";
import { Inputs } from "./inputs/inputs";
import type { LlmStats } from "./llm/client";
import type { EpochMs } from "./time";

const loop: LoopStats = {
  analyses: 2,
  fallbacks: { breaker_open: 1 },
  skipped: 0,
  quiet: 1,
  contexts: 1,
  failed: 0,
  lastAnalysisAt: 1_000 as EpochMs,
  lastSource: { kind: "fallback", detail: "breaker_open" },
};

const model = (state: LlmStats["breaker"]["state"]): LlmStats => ({
  url: "http://127.0.0.1:1234",
  model: "qwen3-8b",
  jsonMode: true,
  breaker: { state, consecutiveFailures: 3, opened: 1, retryAt: 61_000 },
  requests: 3,
  retries: 0,
  answered: 0,
  invalid: 0,
  failed: 3,
  timedOut: 3,
  lastError: "no answer within 100 ms",
});

function report(options: { connected: boolean; model: LlmStats | null }) {
  return healthReport({
    startedAt: performance.now(),
    link: () => ({ connected: options.connected }),
    model: () => options.model,
    loop: () => loop,
    outbox: () => ({ depth: 0, capacity: 50, dropped: 0, acked: 1, refused: 0, resends: 0 }),
    inputs: () => new Inputs().stats(),
    now: () => 4_000,
  });
}

describe("healthReport", () => {
  it("is ok with the link up and no model, saying how old the last analysis is", () => {
    const health = report({ connected: true, model: null });
    expect(health).toMatchObject({
      status: "ok",
      problems: [],
      model: { configured: false },
      analysis: { analyses: 2, last_age_ms: 3_000, last_source: loop.lastSource },
      buffers: { chat: { size: 0, capacity: 2000, dropped: 0, pruned: 0 } },
    });
  });

  it("is degraded while the link is down or the breaker is open, and says why", () => {
    const health = report({ connected: false, model: model("open") });
    expect(health.status).toBe("degraded");
    expect(health.problems).toEqual([
      "the link to the hub is down",
      "the model's breaker is open: no answer within 100 ms",
    ]);
    expect(health.model).toMatchObject({
      configured: true,
      name: "qwen3-8b",
      breaker: { state: "open", retry_at: new Date(61_000).toISOString() },
    });
    expect(report({ connected: true, model: model("half_open") }).status).toBe("ok");
  });
});
