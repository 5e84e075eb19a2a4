/**
 * What the fake model says: the message content each mode produces around an analysis (bare
 * JSON, a code fence, a `<think>` block first, prose around it, JSON of the wrong shape, no JSON),
 * and OpenAI's chat completion body that carries it.
 */
import type { Analysis } from "@landale/shared";
import type { FakeChatRequest } from "./request";

/** A plausible analysis of a lively stretch of stream; valid against `Analysis`. */
export const DEFAULT_FAKE_ANALYSIS: Analysis = {
  patterns: {
    energy_level: 0.72,
    engagement_depth: 0.6,
    community_sync: 0.55,
    content_focus: ["boss fight", "build choices"],
    mood_indicators: { excitement: 0.8, frustration: 0.2 },
    temporal_flow: "Building towards the boss attempt after a slower planning stretch.",
  },
  dynamics: {
    energy_trajectory: "rising",
    engagement_trend: "rising",
    community_trend: "stable",
    content_evolution: "focused",
    overall_momentum: "building",
  },
  sentiment: "positive",
  sentiment_trajectory: "improving",
  topics: ["boss fight", "build choices", "chat predictions"],
  context:
    "The streamer is preparing a boss attempt and talking through the build; chat is cheering and predicting the outcome.",
  suggested_actions: ["Start a prediction on the boss attempt", "Pin the build guide in chat"],
  momentum: { description: "Energy is climbing ahead of the fight.", direction: "up" },
};

/**
 * Valid JSON that fails `Analysis` in the ways models do: a sentiment outside the enum, scores on a
 * 0–10 scale, topics as one string, required fields left out.
 */
export const INVALID_FAKE_ANALYSIS = {
  patterns: { energy_level: 7, engagement_depth: "high" },
  sentiment: "ecstatic",
  topics: "boss fight, build choices",
  context: "",
};

/** The fixed text of `not-json`: a model that answers in words only. */
export const NOT_JSON_CONTENT =
  "I'm sorry, but I can't tell what is happening on the stream from this transcript alone.";

export type ContentMode = "valid" | "fenced" | "think" | "prose" | "invalid" | "not-json";

export function contentFor(mode: ContentMode, analysis: Analysis): string {
  const json = JSON.stringify(analysis);
  switch (mode) {
    case "valid":
      return json;
    case "fenced":
      return `\`\`\`json\n${JSON.stringify(analysis, null, 2)}\n\`\`\``;
    case "think":
      // Reasoning models quote fragments of JSON while thinking: an extractor must skip them.
      return `<think>\nThe chat is hyped about the fight. The sentiment is ${analysis.sentiment}; something like {"energy_level": ${analysis.patterns.energy_level}} fits. I'll answer with the full object.\n</think>\n\n${json}`;
    case "prose":
      return `Here is my analysis of the last two minutes of the stream:\n\n${json}\n\nLet me know if you want more detail on any part.`;
    case "invalid":
      return JSON.stringify(INVALID_FAKE_ANALYSIS);
    case "not-json":
      return NOT_JSON_CONTENT;
  }
}

export interface CompletionBody {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  system_fingerprint: string;
  choices: Array<{
    index: number;
    message: { role: "assistant"; content: string; refusal: null };
    logprobs: null;
    finish_reason: "stop" | "length";
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export function completionBody(
  id: string,
  request: FakeChatRequest,
  content: string,
  finishReason: "stop" | "length",
  now: number,
): CompletionBody {
  const prompt = request.messages
    .map(({ content: text }) =>
      typeof text === "string" ? text : (text ?? []).map((part) => part.text).join(""),
    )
    .join("\n");
  const promptTokens = tokens(prompt);
  const completionTokens = tokens(content);
  return {
    id,
    object: "chat.completion",
    created: Math.floor(now / 1000),
    model: request.model,
    system_fingerprint: "fp_landale_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

/** About four characters a token, as OpenAI's rule of thumb; the fake has no tokenizer. */
function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}
