/**
 * The Stream context view's core: the contexts it holds (newest window first, unique by id,
 * bounded, however pushes and a read-back interleave), the current stream among them (the
 * newest context's session), that stream as chart columns (energy and sentiment over time), the
 * topics that came up most over it, and how an analysis' figures and source read in words.
 */
import type { Sentiment, StreamContext } from "@landale/shared";
import { type Merged, mergeById, newestFirstBy } from "../hub/live-list";

/** How many contexts the view keeps: six hours of two-minute windows. */
export const CONTEXTS_KEPT = 180;
/** How many stored contexts the view reads back when it opens or the connection comes back. */
export const HISTORY_LIMIT = CONTEXTS_KEPT;
/** How many of the stream's topics the view lists. */
export const STREAM_TOPICS_SHOWN = 8;

/** By when the window ended, newest first; ties by id, as the hub orders them. */
export const newestFirst = newestFirstBy<StreamContext>((context) => context.ended_at);

/**
 * Merges `incoming` (any order, possibly repeating) into `existing` (newest first, unique by id).
 * Returns `existing` itself when nothing is new, so a repeated read-back changes nothing.
 */
export function mergeContexts(
  existing: readonly StreamContext[],
  incoming: readonly StreamContext[],
  max: number = CONTEXTS_KEPT,
): Merged<StreamContext> {
  return mergeById(existing, incoming, newestFirst, max);
}

/** The newest context's stream (its session), oldest window first: what the chart draws. */
export function currentStream(list: readonly StreamContext[]): StreamContext[] {
  const latest = list[0];
  if (latest === undefined) return [];
  return list.filter((context) => context.session_id === latest.session_id).reverse();
}

/** Sentiment on a line: positive up, negative down; neutral and mixed (both ways at once) level. */
export const SENTIMENT_SCORE: Readonly<Record<Sentiment, number>> = {
  positive: 1,
  mixed: 0,
  neutral: 0,
  negative: -1,
};

/**
 * The stream in uPlot's column layout: `[window end (epoch s), energy %, sentiment score]`, with a
 * point of nulls where no window came for a while.
 */
export function chartColumns(
  stream: readonly StreamContext[],
): [number[], (number | null)[], (number | null)[]] {
  const times: number[] = [];
  const energy: (number | null)[] = [];
  const sentiment: (number | null)[] = [];
  const ends = stream.map((context) => Date.parse(context.ended_at) / 1000);
  const longest = longestStep(ends);
  stream.forEach((context, index) => {
    const end = ends[index] ?? 0;
    const before = ends[index - 1];
    // No window for longer than the worker's pace allows (it or the hub was down): the lines
    // break there rather than draw a straight line through minutes nothing was analysed.
    if (before !== undefined && end - before > longest) {
      times.push((before + end) / 2);
      energy.push(null);
      sentiment.push(null);
    }
    times.push(end);
    energy.push(Math.round(context.analysis.patterns.energy_level * 100));
    sentiment.push(SENTIMENT_SCORE[context.analysis.sentiment]);
  });
  return [times, energy, sentiment];
}

/** Windows further apart than this many times their usual spacing have a gap between them. */
const GAP_FACTOR = 3;

/** The longest step between two windows that is not a gap: three times the median step. */
function longestStep(ends: readonly number[]): number {
  const steps = ends
    .slice(1)
    .map((end, index) => end - (ends[index] ?? end))
    .sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)];
  return median === undefined ? Number.POSITIVE_INFINITY : median * GAP_FACTOR;
}

/** The chart in a sentence, for a screen reader. */
export function chartSummary(stream: readonly StreamContext[]): string {
  const latest = stream.at(-1);
  if (latest === undefined) return "Energy and sentiment over the stream: no context yet.";
  const energies = stream.map((context) => context.analysis.patterns.energy_level);
  const peak = Math.max(...energies);
  return `Energy and sentiment over ${stream.length === 1 ? "1 window" : `${stream.length} windows`} of this stream: now ${percent(latest.analysis.patterns.energy_level)} energy and ${latest.analysis.sentiment}; the peak was ${percent(peak)}.`;
}

export interface TopicCount {
  topic: string;
  count: number;
}

/**
 * The topics that came up in most windows of the stream, most first (ties: the most recent first).
 * Counted case-insensitively, shown as last written.
 */
export function streamTopics(
  stream: readonly StreamContext[],
  shown: number = STREAM_TOPICS_SHOWN,
): TopicCount[] {
  const tally = new Map<string, { topic: string; count: number; last: number }>();
  stream.forEach((context, index) => {
    const seen = new Set<string>();
    for (const topic of context.analysis.topics) {
      const key = topic.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = tally.get(key);
      tally.set(key, { topic, count: (entry?.count ?? 0) + 1, last: index });
    }
  });
  return [...tally.values()]
    .sort((a, b) => b.count - a.count || b.last - a.last)
    .slice(0, shown)
    .map(({ topic, count }) => ({ topic, count }));
}

/** A 0…1 figure as a percentage: "62 %". */
export function percent(unit: number): string {
  return `${Math.round(unit * 100)} %`;
}

/** The fallback's reasons, in words. */
const FALLBACK_REASONS: Readonly<Record<string, string>> = {
  no_model: "no model configured",
  breaker_open: "the model failed too often; resting it",
  invalid_answer: "the model's answer made no sense",
  model_failed: "the model did not answer",
};

/** Who made the analysis: "Model · qwen2.5" or "Offline fallback · no model configured". */
export function describeSource(source: StreamContext["source"]): string {
  if (source.kind === "model") return `Model · ${source.detail}`;
  return `Offline fallback · ${FALLBACK_REASONS[source.detail] ?? source.detail}`;
}

/** The badge accent a sentiment reads with. */
export function sentimentAccent(sentiment: Sentiment): "ok" | "danger" | "warning" | "neutral" {
  if (sentiment === "positive") return "ok";
  if (sentiment === "negative") return "danger";
  if (sentiment === "mixed") return "warning";
  return "neutral";
}

/** Interactions by type, most first, as "2 channel.follow · 1 channel.subscribe"; "none". */
export function describeInteractions(interactions: Readonly<Record<string, number>>): string {
  const entries = Object.entries(interactions)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  if (entries.length === 0) return "none";
  return entries.map(([type, count]) => `${count} ${type}`).join(" · ");
}
