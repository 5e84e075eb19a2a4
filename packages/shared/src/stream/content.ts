/**
 * The `data` of the hub's own layer content, by `kind`/`type`: the sub train, the timeline and
 * the ticker items. Alerts carry their Twitch event's data as it came (see the event catalogue).
 */
import { z } from "zod";
import { Timestamp } from "../events/envelope";

export const SubTrainData = z.object({
  count: z.int().nonnegative(),
  latest: z.object({
    user_name: z.string(),
    user_login: z.string().nullable(),
    tier: z.string().nullable(),
  }),
  /** Subs by tier ("1000", "2000", "3000"). */
  tiers: z.record(z.string(), z.int().nonnegative()),
});
export type SubTrainData = z.infer<typeof SubTrainData>;

export const TimelineEntry = z.object({
  type: z.string(),
  user_name: z.string(),
  summary: z.string(),
  at: Timestamp,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** Newest first. */
export const TimelineData = z.object({ items: z.array(TimelineEntry) });
export type TimelineData = z.infer<typeof TimelineData>;

export const Goal = z.object({
  id: z.string(),
  type: z.string(),
  description: z.string(),
  current: z.number(),
  target: z.number(),
});
export type Goal = z.infer<typeof Goal>;

/** `ticker.*` item data, by the item's type. */
export const TICKER_DATA = {
  "ticker.recent_follows": z.object({ followers: z.array(z.string()) }),
  "ticker.goals": z.object({ goals: z.array(Goal) }),
  "ticker.top_emotes": z.object({
    emotes: z.array(z.object({ name: z.string(), count: z.int().positive() })),
  }),
  "ticker.daily_counts": z.object({
    day: z.string(),
    follows: z.int().nonnegative(),
    subs: z.int().nonnegative(),
    gifted: z.int().nonnegative(),
    bits: z.int().nonnegative(),
    raids: z.int().nonnegative(),
    redemptions: z.int().nonnegative(),
  }),
} as const;
export type TickerType = keyof typeof TICKER_DATA;
