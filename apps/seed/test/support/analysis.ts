/** A valid `Analysis`, as a well-behaved model would answer it. */
import type { Analysis } from "@landale/shared";

export const MODEL_ANALYSIS: Analysis = {
  patterns: {
    energy_level: 0.8,
    engagement_depth: 0.6,
    community_sync: 0.7,
    content_focus: ["boss fight"],
    mood_indicators: { excited: 0.9 },
    temporal_flow: "building towards the boss",
  },
  dynamics: {
    energy_trajectory: "ramping_up",
    engagement_trend: "deepening",
    community_trend: "synchronizing",
    content_evolution: "focused",
    overall_momentum: "building",
  },
  sentiment: "positive",
  sentiment_trajectory: "improving",
  topics: ["boss fight", "strategy"],
  context: "The streamer is fighting a boss and chat cheers them on.",
  suggested_actions: ["Ask chat for strategy tips"],
  momentum: { description: "the boss fight", direction: "ramping_up" },
};
