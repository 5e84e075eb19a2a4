/**
 * One window's analysis: the model's when a model is configured, its breaker lets the call through
 * and its answer passes the schema; otherwise the offline fallback, with the reason in
 * `source.detail` (`no_model`, `breaker_open`, `invalid_answer`, `model_failed`). Never throws and
 * never returns without an analysis: the older worker's fallback could be skipped, this one cannot.
 */
import type { Logger } from "@landale/logger";
import type { Analysis, AnalysisSource } from "@landale/shared";
import { fallbackAnalysis } from "../fallback/fallback";
import type { LlmClient } from "../llm/client";
import { buildMessages } from "../llm/prompt";
import type { WindowSummary } from "../window/window";

export interface Analyzed {
  analysis: Analysis;
  source: AnalysisSource;
}

export type AnalyzeWindow = (summary: WindowSummary) => Promise<Analyzed>;

export function createAnalyzer(llm: LlmClient | null, logger: Logger): AnalyzeWindow {
  return async (summary) => {
    if (llm === null) return offline(summary, "no_model");
    const answer = await llm.analyze(buildMessages(summary));
    if (answer.ok)
      return { analysis: answer.analysis, source: { kind: "model", detail: answer.model } };
    if (answer.reason !== "breaker_open") {
      logger.warn({ reason: answer.reason, problem: answer.message }, "using the offline analysis");
    }
    return offline(summary, answer.reason);
  };
}

function offline(summary: WindowSummary, reason: string): Analyzed {
  return { analysis: fallbackAnalysis(summary), source: { kind: "fallback", detail: reason } };
}
