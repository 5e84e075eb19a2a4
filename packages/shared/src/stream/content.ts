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

/** A checkpoint of an IronMON challenge, as the ticker names it. */
export const IronmonCheckpointRef = z.object({
  id: z.string(),
  name: z.string(),
  order: z.int().nonnegative(),
});
export type IronmonCheckpointRef = z.infer<typeof IronmonCheckpointRef>;

/** The run in progress; every field null/0 before the first seed of the tracker. */
export const IronmonRunData = z.object({
  run_id: z.string().nullable(),
  attempt: z.int().nonnegative().nullable(),
  seed: z.int().nonnegative().nullable(),
  /** Checkpoints cleared this run, of `total`. */
  cleared: z.int().nonnegative(),
  total: z.int().nonnegative(),
  /** The last checkpoint cleared this run. */
  current: IronmonCheckpointRef.nullable(),
});
export type IronmonRunData = z.infer<typeof IronmonRunData>;

/** What comes next: the next checkpoint (its trainer) and how often runs got past it. */
export const IronmonProgressData = z.object({
  /** Order of the next checkpoint, its name and its trainer as far as the hub knows them. */
  next: z
    .object({
      order: z.int().nonnegative(),
      name: z.string().nullable(),
      trainer: z.string().nullable(),
    })
    .nullable(),
  /** Clears / (clears + failures) at `next`, 0–1; null before any run reached it. */
  clear_rate: z.number().min(0).max(1).nullable(),
  /** Runs that reached `next`: its clears plus its failures. */
  reached: z.int().nonnegative(),
});
export type IronmonProgressData = z.infer<typeof IronmonProgressData>;

/** The song on the streamer's Rainwave station; the item shows only while they are tuned in. */
export const NowPlayingData = z.object({
  station: z.string(),
  title: z.string(),
  artists: z.array(z.string()),
  album: z.string().nullable(),
  art_url: z.string().nullable(),
  ends_at: z.string().nullable(),
});
export type NowPlayingData = z.infer<typeof NowPlayingData>;

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
  "ticker.ironmon_run": IronmonRunData,
  "ticker.ironmon_progress": IronmonProgressData,
  "ticker.now_playing": NowPlayingData,
} as const;
export type TickerType = keyof typeof TICKER_DATA;
