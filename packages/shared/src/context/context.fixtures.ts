/** Sample stream contexts, valid against `StreamContext`, for the hub's, the dashboard's and the workers' tests. */
import type { Analysis, StreamContext } from "./context";

const WINDOW_MS = 120_000;
const EPOCH = Date.parse("2026-11-21T12:00:00.000Z");

/** An analysis as a model would give it; `energy` is the one figure tests vary most. */
export function sampleAnalysis(overrides: Partial<Analysis> & { energy?: number } = {}): Analysis {
  const { energy = 0.62, ...rest } = overrides;
  return {
    patterns: {
      energy_level: energy,
      engagement_depth: 0.55,
      community_sync: 0.4,
      content_focus: ["speedrun", "water temple"],
      mood_indicators: { excited: 0.7, focused: 0.5 },
      temporal_flow: "building towards the boss",
    },
    dynamics: {
      energy_trajectory: "rising",
      engagement_trend: "steady",
      community_trend: "growing",
      content_evolution: "focused",
      overall_momentum: "positive",
    },
    sentiment: "positive",
    sentiment_trajectory: "improving",
    topics: ["speedrun", "water temple"],
    context: "The streamer pushes through the water temple while chat cheers each skip.",
    suggested_actions: ["Thank the new followers", "Show the split timer"],
    momentum: { description: "Chat picks up with every skip", direction: "up" },
    ...rest,
  };
}

/**
 * Window `n` of session `stream_2026_11_21`: two minutes ending `n` windows after noon UTC on
 * 21 November 2026, analysed by a model; fields can be overridden.
 */
export function sampleContext(n = 1, overrides: Partial<StreamContext> = {}): StreamContext {
  const ended = EPOCH + n * WINDOW_MS;
  return {
    id: `ctx-${n}`,
    session_id: "stream_2026_11_21",
    started_at: new Date(ended - WINDOW_MS).toISOString(),
    ended_at: new Date(ended).toISOString(),
    transcript: "okay chat, here comes the skip. we are speedrunning the water temple tonight",
    chat: { messages: 42, velocity: 21, participants: 17, reaction_share: 0.6 },
    interactions: { "channel.follow": 2, "channel.subscribe": 1 },
    emotes: {
      top: [
        { name: "PogChamp", count: 9 },
        { name: "avalonHYPE", count: 5 },
      ],
      native: [{ name: "avalonHYPE", count: 5 }],
    },
    analysis: sampleAnalysis(),
    source: { kind: "model", detail: "qwen2.5-7b-instruct" },
    ...overrides,
  };
}
