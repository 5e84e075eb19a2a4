/**
 * What the midground and background say: the sub train, the timeline of recent interactions and
 * the ticker's items. Their `data` shapes are the hub's (apps/server/src/stream/core.ts); they are
 * parsed leniently here so one odd field shows a fallback instead of breaking the bar.
 */
import type { LayerContent } from "@landale/shared";
import { z } from "zod";
import type { Accent } from "../design/tokens";
import { tierLabel } from "./alerts";
import { count, text } from "./format";

const SubTrainData = z.object({
  count: z.number().int().nonnegative().catch(0),
  latest: z
    .object({ user_name: z.string().catch("someone"), tier: z.string().nullable().catch(null) })
    .nullable()
    .catch(null),
  tiers: z.record(z.string(), z.number()).catch({}),
});

const TimelineData = z.object({
  items: z
    .array(
      z.object({
        type: z.string().catch(""),
        user_name: z.string().catch("someone"),
        summary: z.string().catch(""),
      }),
    )
    .catch([]),
});

const DailyCounts = z.object({
  follows: z.number().catch(0),
  subs: z.number().catch(0),
  gifted: z.number().catch(0),
  bits: z.number().catch(0),
  raids: z.number().catch(0),
  redemptions: z.number().catch(0),
});

const RecentFollows = z.object({ followers: z.array(z.string()).catch([]) });

const Goals = z.object({
  goals: z
    .array(
      z.object({
        description: z.string().catch(""),
        type: z.string().catch(""),
        current: z.number().catch(0),
        target: z.number().catch(0),
      }),
    )
    .catch([]),
});

const TopEmotes = z.object({
  emotes: z.array(z.object({ name: z.string(), count: z.number() })).catch([]),
});

export interface SubTrainView {
  view: "sub_train";
  count: string;
  /** "sub" or "subs", to follow the count. */
  unit: string;
  latest: string | null;
  tiers: { label: string; count: string }[];
  expiresAt: string | null;
}

export interface TimelineView {
  view: "timeline";
  items: { accent: Accent; name: string; summary: string }[];
}

export interface TickerView {
  view: "ticker";
  label: string;
  entries: { label: string; value?: string; progress?: number }[];
  /** Shown when there are no entries. */
  empty: string;
}

export interface TextView {
  view: "text";
  label: string;
  text: string;
}

export type LayerView = SubTrainView | TimelineView | TickerView | TextView;

const ACCENTS: Record<string, Accent> = {
  "channel.follow": "follow",
  "channel.subscribe": "sub",
  "channel.subscription.message": "sub",
  "channel.subscription.gift": "gift",
  "channel.cheer": "cheer",
  "channel.raid": "raid",
  "channel.channel_points_custom_reward_redemption.add": "redeem",
};

export function accentOf(type: string): Accent {
  return ACCENTS[type] ?? "neutral";
}

/** At most this many timeline entries or ticker entries fit the bar. */
export const MAX_ENTRIES = 5;

export function describeLayer(
  content: Pick<LayerContent, "kind" | "type" | "data" | "expires_at">,
): LayerView {
  const { data } = content;
  if (content.kind === "forced") {
    return {
      view: "text",
      label: text(data.label, content.type),
      text: text(data.text, text(data.message, text(data.title, content.type))),
    };
  }
  if (content.kind === "sub_train") return subTrain(data, content.expires_at);
  if (content.kind === "timeline") return timeline(data);
  if (content.kind === "ticker") return ticker(content.type, data);
  return { view: "text", label: content.kind, text: content.type };
}

function subTrain(data: unknown, expiresAt: string | null): SubTrainView {
  const train = SubTrainData.parse(data ?? {});
  const tiers = Object.entries(train.tiers)
    .filter(([, subs]) => subs > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tier, subs]) => ({ label: tierLabel(tier), count: count(subs) }));
  return {
    view: "sub_train",
    count: count(train.count),
    unit: train.count === 1 ? "sub" : "subs",
    latest:
      train.latest === null
        ? null
        : `${text(train.latest.user_name, "someone")} · ${tierLabel(train.latest.tier)}`,
    tiers,
    expiresAt,
  };
}

function timeline(data: unknown): TimelineView {
  const { items } = TimelineData.parse(data ?? {});
  return {
    view: "timeline",
    items: items.slice(0, MAX_ENTRIES).map((item) => ({
      accent: accentOf(item.type),
      name: text(item.user_name, "someone"),
      summary: item.summary,
    })),
  };
}

function ticker(type: string, data: unknown): TickerView {
  switch (type) {
    case "ticker.recent_follows": {
      const { followers } = RecentFollows.parse(data ?? {});
      return {
        view: "ticker",
        label: "Recent follows",
        entries: followers.slice(0, MAX_ENTRIES).map((name) => ({ label: name })),
        empty: "Be the first follow today",
      };
    }
    case "ticker.daily_counts": {
      const today = DailyCounts.parse(data ?? {});
      const entries = [
        { label: "follows", value: today.follows, noun: ["follow", "follows"] },
        { label: "subs", value: today.subs, noun: ["sub", "subs"] },
        { label: "gifted", value: today.gifted, noun: ["gifted", "gifted"] },
        { label: "bits", value: today.bits, noun: ["bit", "bits"] },
        { label: "raids", value: today.raids, noun: ["raid", "raids"] },
        { label: "redemptions", value: today.redemptions, noun: ["redemption", "redemptions"] },
      ]
        .filter((entry) => entry.value > 0)
        .map((entry) => ({
          label:
            entry.value === 1 ? (entry.noun[0] ?? entry.label) : (entry.noun[1] ?? entry.label),
          value: count(entry.value),
        }));
      return { view: "ticker", label: "Today", entries, empty: "A fresh day on stream" };
    }
    case "ticker.goals": {
      const { goals } = Goals.parse(data ?? {});
      return {
        view: "ticker",
        label: goals.length === 1 ? "Goal" : "Goals",
        entries: goals.slice(0, 2).map((goal) => ({
          label: text(goal.description, goalName(goal.type)),
          value: `${count(goal.current)} / ${count(goal.target)}`,
          progress: goal.target > 0 ? Math.min(1, Math.max(0, goal.current / goal.target)) : 0,
        })),
        empty: "No goals running",
      };
    }
    case "ticker.top_emotes": {
      const { emotes } = TopEmotes.parse(data ?? {});
      return {
        view: "ticker",
        label: "Top emotes",
        entries: emotes.slice(0, MAX_ENTRIES).map((emote) => ({
          label: emote.name,
          value: `×${count(emote.count)}`,
        })),
        empty: "No emotes yet today",
      };
    }
    default:
      return {
        view: "ticker",
        label: type.replace(/^ticker\./, "").replace(/_/g, " "),
        entries: [],
        empty: "",
      };
  }
}

function goalName(type: string): string {
  if (type.includes("sub")) return "Sub goal";
  if (type.includes("follow")) return "Follower goal";
  if (type.includes("bit") || type.includes("cheer")) return "Bits goal";
  return "Goal";
}
