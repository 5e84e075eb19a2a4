/**
 * How the engine behaves: which events are alerts (priority, how long they show), the queue
 * bound, the sub train window, the ticker per show, which Twitch category selects which show and
 * which OBS scenes hide the omnibar. Defaults a streamer would expect; a deployment can override
 * any part (`LANDALE_OMNIBAR_HIDDEN_SCENES` sets the scenes).
 */
import type { AlertType } from "@landale/shared";
import { z } from "zod";

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
  /** Checkpoints of the IronMON challenge played (Kaizo IronMON FRLG: 24), for "cleared / total". */
  ironmonCheckpoints: number;
  /** Ticker items per show, in rotation order. */
  shows: Record<string, string[]>;
  defaultShow: string;
  /**
   * Twitch `category_id` → show. Checked first: an id never changes, while Twitch renames
   * categories now and then.
   */
  categoryIdShows: Record<string, string>;
  /** Twitch `category_name` → show, when the id is not listed. Neither listed: `defaultShow`. */
  categoryShows: Record<string, string>;
  /**
   * OBS program scenes on which the omnibar hides (e.g. "BRB"), matched whole and ignoring case.
   * None by default: a hub that has not been told keeps the omnibar up on every scene.
   */
  omnibarHiddenScenes: readonly string[];
}

export const TICKER_ITEMS = ["recent_follows", "daily_counts", "goals", "top_emotes"] as const;

/** Ticker items that show only while they have something to say (`now_playing`: tuned in). */
export const CONDITIONAL_TICKER_ITEMS = ["now_playing"] as const;

const TWITCH_ALERTS = {
  "channel.raid": { priority: 100, durationMs: 10_000 },
  "channel.subscription.gift": { priority: 80, durationMs: 8_000 },
  "channel.cheer": { priority: 60, durationMs: 6_000 },
  "channel.subscription.message": { priority: 60, durationMs: 7_000 },
  "channel.subscribe": { priority: 60, durationMs: 6_000 },
  "channel.channel_points_custom_reward_redemption.add": { priority: 30, durationMs: 5_000 },
  "channel.follow": { priority: 20, durationMs: 5_000 },
} satisfies Record<AlertType, AlertRule>;

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  alerts: {
    ...TWITCH_ALERTS,
    // A checkpoint cleared in IronMON is the streamer's own moment: above a sub, below a gift.
    "ironmon.run.checkpoint": { priority: 70, durationMs: 6_000 },
  },
  bigCheerBits: 1000,
  queueMax: 200,
  historySize: 20,
  trainWindowMs: 5 * 60 * 1000,
  timelineSize: 5,
  timelineHoldMs: 20_000,
  tickerIntervalMs: 15_000,
  ironmonCheckpoints: 24,
  shows: {
    variety: [...TICKER_ITEMS, "now_playing"],
    coding: ["recent_follows", "goals", "daily_counts", "now_playing"],
    talk: ["top_emotes", "recent_follows", "daily_counts", "goals", "now_playing"],
    ironmon: ["ironmon_run", "ironmon_progress", "recent_follows", "daily_counts", "now_playing"],
  },
  defaultShow: "variety",
  // Pokémon FireRed/LeafGreen: what IronMON is played on.
  categoryIdShows: { "13332": "ironmon" },
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

/**
 * The show a Twitch category selects: its id first, then its name, else the default. A name
 * matches whole, ignoring case (Twitch's own capitalisation has changed before).
 */
export function showForCategory(
  config: EngineConfig,
  category: { category_id: string; category_name: string },
): string {
  const byId = config.categoryIdShows[category.category_id.trim()];
  if (byId !== undefined) return byId;
  const name = category.category_name.trim().toLowerCase();
  if (name !== "") {
    for (const [listed, show] of Object.entries(config.categoryShows)) {
      if (listed.toLowerCase() === name) return show;
    }
  }
  return config.defaultShow;
}

/**
 * Adds `LANDALE_CATEGORY_SHOWS` entries (`<category id or name>=<show>`) to the defaults: an
 * all-digit key is a category id, anything else a name. A show not in `shows` is refused, since
 * it would have no ticker.
 */
export function withCategoryShows(
  config: EngineConfig,
  entries: readonly { category: string; show: string }[],
): EngineConfig {
  const categoryIdShows = { ...config.categoryIdShows };
  const categoryShows = { ...config.categoryShows };
  for (const { category, show } of entries) {
    if (config.shows[show] === undefined) {
      throw new Error(`unknown show "${show}" (known: ${Object.keys(config.shows).join(", ")})`);
    }
    if (/^\d+$/.test(category)) categoryIdShows[category] = show;
    else categoryShows[category] = show;
  }
  return { ...config, categoryIdShows, categoryShows };
}

/** `LANDALE_CATEGORY_SHOWS`' entries: `<category id or name>=<show>`, of a show with a ticker. */
export const CategoryShow = z.string().transform((entry, context) => {
  const at = entry.lastIndexOf("=");
  const category = entry.slice(0, at).trim();
  const show = entry.slice(at + 1).trim();
  if (at === -1 || category === "" || show === "") {
    context.addIssue({ code: "custom", message: `"${entry}" is not <category>=<show>` });
    return z.NEVER;
  }
  if (DEFAULT_ENGINE_CONFIG.shows[show] === undefined) {
    const known = Object.keys(DEFAULT_ENGINE_CONFIG.shows).join(", ");
    context.addIssue({
      code: "custom",
      message: `"${entry}" names an unknown show (known: ${known})`,
    });
    return z.NEVER;
  }
  return { category, show };
});
