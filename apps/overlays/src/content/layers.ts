/**
 * What the midground and background say: the sub train, the timeline of recent interactions and
 * the ticker's items. Their `data` is the hub's own content, parsed with the contract's schemas
 * (`@landale/shared`, `stream/content.ts`); a payload that does not fit renders nothing (null)
 * rather than throwing into the page or showing half a bar.
 */
import {
  type AlertType,
  type Goal,
  isAlertType,
  type LayerContent,
  SubTrainData,
  TICKER_DATA,
  type TickerType,
  TimelineData,
  tierLabel,
} from "@landale/shared";
import type { z } from "zod";
import type { Accent } from "../design/tokens";
import { count, text } from "./format";
import { gameTicker } from "./games";

export interface SubTrainView {
  view: "sub_train";
  count: string;
  /** "sub" or "subs", to follow the count. */
  unit: string;
  latest: string;
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

const ACCENTS: Readonly<Record<AlertType, Accent>> = {
  "channel.follow": "follow",
  "channel.subscribe": "sub",
  "channel.subscription.message": "sub",
  "channel.subscription.gift": "gift",
  "channel.cheer": "cheer",
  "channel.raid": "raid",
  "channel.channel_points_custom_reward_redemption.add": "redeem",
};

export function accentOf(type: string): Accent {
  return isAlertType(type) ? ACCENTS[type] : "neutral";
}

/** At most this many timeline entries or ticker entries fit the bar. */
export const MAX_ENTRIES = 5;

/** What a layer's content says, or null when its data does not fit the contract. */
export function describeLayer(
  content: Pick<LayerContent, "kind" | "type" | "data" | "expires_at">,
): LayerView | null {
  const { data } = content;
  if (content.kind === "forced") {
    // Forced content is free-form: whatever a command put there, read defensively.
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

/** `schema`'s reading of `data`, or null when it does not fit. */
function parsed<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> | null {
  const result = schema.safeParse(data);
  return result.success ? result.data : null;
}

function subTrain(data: unknown, expiresAt: string | null): SubTrainView | null {
  const train = parsed(SubTrainData, data);
  if (train === null) return null;
  const tiers = Object.entries(train.tiers)
    .filter(([, subs]) => subs > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tier, subs]) => ({ label: tierLabel(tier), count: count(subs) }));
  return {
    view: "sub_train",
    count: count(train.count),
    unit: train.count === 1 ? "sub" : "subs",
    latest: `${text(train.latest.user_name, "someone")} · ${tierLabel(train.latest.tier)}`,
    tiers,
    expiresAt,
  };
}

function timeline(data: unknown): TimelineView | null {
  const timeline = parsed(TimelineData, data);
  if (timeline === null) return null;
  return {
    view: "timeline",
    items: timeline.items.slice(0, MAX_ENTRIES).map((item) => ({
      accent: accentOf(item.type),
      name: text(item.user_name, "someone"),
      summary: item.summary,
    })),
  };
}

function isTickerType(type: string): type is TickerType {
  return Object.hasOwn(TICKER_DATA, type);
}

function ticker(type: string, data: unknown): TickerView | null {
  if (!isTickerType(type)) {
    // An item this overlay does not know yet: its name, and nothing to list.
    return {
      view: "ticker",
      label: type.replace(/^ticker\./, "").replace(/_/g, " "),
      entries: [],
      empty: "",
    };
  }
  switch (type) {
    case "ticker.ironmon_run":
    case "ticker.ironmon_progress":
    case "ticker.now_playing":
      return gameTicker(type, data);
    case "ticker.recent_follows": {
      const item = parsed(TICKER_DATA[type], data);
      if (item === null) return null;
      return {
        view: "ticker",
        label: "Recent follows",
        entries: item.followers.slice(0, MAX_ENTRIES).map((name) => ({ label: name })),
        empty: "Be the first follow today",
      };
    }
    case "ticker.daily_counts": {
      const today = parsed(TICKER_DATA[type], data);
      if (today === null) return null;
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
      const item = parsed(TICKER_DATA[type], data);
      if (item === null) return null;
      const { goals } = item;
      return {
        view: "ticker",
        label: goals.length === 1 ? "Goal" : "Goals",
        entries: goals.slice(0, 2).map((goal) => ({
          label: text(goal.description, goalName(goal)),
          value: `${count(goal.current)} / ${count(goal.target)}`,
          progress: goal.target > 0 ? Math.min(1, Math.max(0, goal.current / goal.target)) : 0,
        })),
        empty: "No goals running",
      };
    }
    case "ticker.top_emotes": {
      const item = parsed(TICKER_DATA[type], data);
      if (item === null) return null;
      return {
        view: "ticker",
        label: "Top emotes",
        entries: item.emotes.slice(0, MAX_ENTRIES).map((emote) => ({
          label: emote.name,
          value: `×${count(emote.count)}`,
        })),
        empty: "No emotes yet today",
      };
    }
  }
}

function goalName({ type }: Pick<Goal, "type">): string {
  if (type.includes("sub")) return "Sub goal";
  if (type.includes("follow")) return "Follower goal";
  if (type.includes("bit") || type.includes("cheer")) return "Bits goal";
  return "Goal";
}
