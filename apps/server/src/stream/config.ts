/**
 * How the engine behaves: which events are alerts (priority, how long they show), the queue
 * bound, the sub train window, the ticker per show, which Twitch category selects which show and
 * which OBS scenes hide the omnibar. Defaults a streamer would expect; a deployment can override
 * any part (`LANDALE_OMNIBAR_HIDDEN_SCENES` sets the scenes).
 */
import type { AlertType } from "@landale/shared";

export interface AlertRule {
  priority: number;
  durationMs: number;
}

export interface EngineConfig {
  alerts: Record<string, AlertRule>;
  /** Cheers of at least this many bits are big: they rank and last like a gift. */
  bigCheerBits: number;
  queueMax: number;
  historySize: number;
  trainWindowMs: number;
  timelineSize: number;
  /** How long the timeline stays on the midground after an interaction. */
  timelineHoldMs: number;
  tickerIntervalMs: number;
  /** Ticker items per show, in rotation order. */
  shows: Record<string, string[]>;
  defaultShow: string;
  /** Twitch `category_name` → show. A category not listed selects `defaultShow`. */
  categoryShows: Record<string, string>;
  /**
   * OBS program scenes on which the omnibar hides (e.g. "BRB"), matched whole and ignoring case.
   * None by default: a hub that has not been told keeps the omnibar up on every scene.
   */
  omnibarHiddenScenes: readonly string[];
}

export const TICKER_ITEMS = ["recent_follows", "daily_counts", "goals", "top_emotes"] as const;

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  alerts: {
    "channel.raid": { priority: 100, durationMs: 10_000 },
    "channel.subscription.gift": { priority: 80, durationMs: 8_000 },
    "channel.cheer": { priority: 60, durationMs: 6_000 },
    "channel.subscription.message": { priority: 60, durationMs: 7_000 },
    "channel.subscribe": { priority: 60, durationMs: 6_000 },
    "channel.channel_points_custom_reward_redemption.add": { priority: 30, durationMs: 5_000 },
    "channel.follow": { priority: 20, durationMs: 5_000 },
  } satisfies Record<AlertType, AlertRule>,
  bigCheerBits: 1000,
  queueMax: 200,
  historySize: 20,
  trainWindowMs: 5 * 60 * 1000,
  timelineSize: 5,
  timelineHoldMs: 20_000,
  tickerIntervalMs: 15_000,
  shows: {
    variety: [...TICKER_ITEMS],
    coding: ["recent_follows", "goals", "daily_counts"],
    talk: ["top_emotes", "recent_follows", "daily_counts", "goals"],
  },
  defaultShow: "variety",
  categoryShows: {
    "Software and Game Development": "coding",
    "Science & Technology": "coding",
    "Just Chatting": "talk",
  },
  omnibarHiddenScenes: [],
};

export function tickerItemsFor(config: EngineConfig, show: string): readonly string[] {
  return config.shows[show] ?? config.shows[config.defaultShow] ?? [];
}
