import { describe, expect, it } from "bun:test";
import { MODEL_ANALYSIS } from "../../test/support/analysis";
import { extractAnalysis, jsonCandidates } from "./extract";

const json = JSON.stringify(MODEL_ANALYSIS);
const pretty = JSON.stringify(MODEL_ANALYSIS, null, 2);

describe("extractAnalysis", () => {
  it("reads a bare JSON answer", () => {
    expect(extractAnalysis(json)).toEqual({ ok: true, analysis: MODEL_ANALYSIS });
  });

  it("reads JSON in a code fence", () => {
    expect(extractAnalysis(`Here you go:\n\`\`\`json\n${pretty}\n\`\`\`\nEnjoy!`)).toEqual({
      ok: true,
      analysis: MODEL_ANALYSIS,
    });
  });

  it("skips a <think> block, braces in it included", () => {
    const answer = `<think>The user wants {"sentiment": "negative"}… let me think {</think>\n${json}`;
    expect(extractAnalysis(answer)).toEqual({ ok: true, analysis: MODEL_ANALYSIS });
  });

  it("ignores an unclosed <think> block: the answer never came", () => {
    expect(extractAnalysis(`<think>still thinking about ${json}`)).toEqual({
      ok: false,
      reason: "no_json",
      issues: [],
    });
  });

  it("finds the JSON in prose, with braces inside strings", () => {
    const tricky = { ...MODEL_ANALYSIS, context: 'Chat spams {curly} braces } and quotes "' };
    const answer = `Sure! {not json} The analysis is ${JSON.stringify(tricky)} — hope it helps {`;
    expect(extractAnalysis(answer)).toEqual({ ok: true, analysis: tricky });
  });

  it("maps the older prompt's camelCase keys and fills absent nullable fields", () => {
    const { sentiment_trajectory, suggested_actions, momentum, dynamics, ...rest } = MODEL_ANALYSIS;
    const { temporal_flow, ...patterns } = rest.patterns;
    const older = {
      ...rest,
      patterns,
      sentiment: "Positive",
      sentimentTrajectory: sentiment_trajectory,
      suggestedActions: suggested_actions,
      streamMomentum: momentum,
    };
    expect(extractAnalysis(JSON.stringify(older))).toEqual({
      ok: true,
      analysis: {
        ...MODEL_ANALYSIS,
        patterns: { ...MODEL_ANALYSIS.patterns, temporal_flow: null },
        dynamics: null,
      },
    });
  });

  it("refuses JSON that is not an analysis, naming what is wrong", () => {
    const wrong = { ...MODEL_ANALYSIS, sentiment: "ecstatic", patterns: { energy_level: 7 } };
    const result = extractAnalysis(JSON.stringify(wrong));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("invalid");
    expect(result.issues.some((issue) => issue.startsWith("patterns.energy_level"))).toBe(true);
  });

  it("refuses an answer with no JSON object", () => {
    expect(extractAnalysis("I cannot help with that.")).toEqual({
      ok: false,
      reason: "no_json",
      issues: [],
    });
    expect(extractAnalysis("[1, 2, 3]").ok).toBe(false);
  });

  it("takes the first candidate that validates", () => {
    const answer = `Example: {"sentiment": "neutral"}\nAnswer: ${json}`;
    expect(extractAnalysis(answer)).toEqual({ ok: true, analysis: MODEL_ANALYSIS });
  });
});

describe("jsonCandidates", () => {
  it("bounds how many objects it tries", () => {
    expect(jsonCandidates("{}".repeat(1000)).length).toBe(16);
  });
});
