/**
 * Getting an `Analysis` out of what a chat model wrote. Local models wrap JSON in `<think>` blocks,
 * code fences and prose, and spell keys as the older prompt did (`suggestedActions`); so the
 * reasoning is cut, every JSON object in the text is tried in order (fenced ones first), known
 * aliases are mapped, absent nullable fields become null, and the first candidate that passes the
 * schema wins. Nothing else is guessed: an answer that fits no candidate is invalid.
 */
import { Analysis } from "@landale/shared";
import type { z } from "zod";

/** Reasoning some models print before answering, closed or cut off. */
const THINKING = /<(think|thinking|reasoning)>[\s\S]*?(<\/\1>|$)/gi;
const FENCE = /```[a-zA-Z]*\s*\n?([\s\S]*?)```/g;
/** JSON objects tried per answer, at most: a rambling answer cannot make the scan quadratic. */
const MAX_CANDIDATES = 16;

export type Extraction =
  | { ok: true; analysis: Analysis }
  | { ok: false; reason: "no_json" | "invalid"; issues: string[] };

export function extractAnalysis(text: string): Extraction {
  const candidates = jsonCandidates(text);
  if (candidates.length === 0) return { ok: false, reason: "no_json", issues: [] };
  let issues: z.core.$ZodIssue[] = [];
  for (const candidate of candidates) {
    const parsed = Analysis.safeParse(normalize(candidate));
    if (parsed.success) return { ok: true, analysis: parsed.data };
    if (issues.length === 0) issues = parsed.error.issues;
  }
  return {
    ok: false,
    reason: "invalid",
    issues: issues.slice(0, 5).map((issue) => `${issue.path.join(".")}: ${issue.message}`),
  };
}

/** The JSON objects in `text`, outside reasoning blocks: fenced ones first, then the rest. */
export function jsonCandidates(text: string): unknown[] {
  const visible = text.replace(THINKING, " ");
  const found: unknown[] = [];
  const fenced = [...visible.matchAll(FENCE)].map((match) => match[1] ?? "");
  for (const source of [...fenced, visible]) {
    for (const object of objectsIn(source)) {
      if (found.length >= MAX_CANDIDATES) return found;
      found.push(object);
    }
  }
  return found;
}

/** Each balanced `{…}` in `source` that parses as a JSON object, outermost first. */
function objectsIn(source: string): unknown[] {
  const objects: unknown[] = [];
  let start = source.indexOf("{");
  while (start !== -1 && objects.length < MAX_CANDIDATES) {
    const end = matchingBrace(source, start);
    if (end === -1) break;
    const parsed = tryParse(source.slice(start, end + 1));
    if (parsed !== undefined) {
      objects.push(parsed);
      start = source.indexOf("{", end + 1);
    } else {
      start = source.indexOf("{", start + 1);
    }
  }
  return objects;
}

/** The index of the `}` closing the `{` at `start`, skipping braces inside strings; -1 if none. */
function matchingBrace(source: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < source.length; index++) {
    const char = source[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return index;
  }
  return -1;
}

function tryParse(json: string): unknown {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The older prompt's camelCase names for our snake_case fields. */
const ALIASES: Record<string, string> = {
  sentimentTrajectory: "sentiment_trajectory",
  suggestedActions: "suggested_actions",
  streamMomentum: "momentum",
  stream_momentum: "momentum",
};
const NULLABLE = ["dynamics", "sentiment_trajectory", "momentum"] as const;

function normalize(candidate: unknown): unknown {
  if (typeof candidate !== "object" || candidate === null) return candidate;
  const answer: Record<string, unknown> = { ...(candidate as Record<string, unknown>) };
  for (const [alias, name] of Object.entries(ALIASES)) {
    if (alias in answer && !(name in answer)) answer[name] = answer[alias];
  }
  for (const name of NULLABLE) answer[name] ??= null;
  if (typeof answer.sentiment === "string") answer.sentiment = answer.sentiment.toLowerCase();
  const patterns = answer.patterns;
  if (typeof patterns === "object" && patterns !== null && !Array.isArray(patterns)) {
    answer.patterns = { temporal_flow: null, ...patterns };
  }
  return answer;
}
