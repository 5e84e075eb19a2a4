/**
 * What an alert says. An alert's `data` is the Twitch EventSub payload the hub ingested (parsed
 * here with the catalogue's own schemas); this turns it into the few words the audience reads: a
 * kicker ("New subscriber"), a name, a detail, an optional message and amount, and an accent.
 */
import {
  ChannelCheerEvent,
  ChannelFollowEvent,
  ChannelPointsRedemptionAddEvent,
  ChannelRaidEvent,
  ChannelSubscribeEvent,
  ChannelSubscriptionGiftEvent,
  ChannelSubscriptionMessageEvent,
  type LayerContent,
  tierLabel,
} from "@landale/shared";
import type { Accent } from "../design/tokens";
import { count, plural, text } from "./format";
import { checkpointAlert } from "./games";

export interface AlertView {
  accent: Accent;
  kicker: string;
  name: string;
  detail: string | null;
  message: string | null;
  /** The headline figure, when there is one: "1,000", "42". */
  amount: string | null;
  /** What the amount counts: "bits", "raiders", "gift subs". */
  unit: string | null;
}

const ANONYMOUS = "Anonymous";
const SOMEONE = "Someone";

/** Whether an alert is big enough for the full-screen stage: a raid, or a big cheer. */
export function isBigMoment(content: Pick<LayerContent, "kind" | "type" | "data">): boolean {
  if (content.kind !== "alert") return false;
  return (
    content.type === "channel.raid" ||
    (content.type === "channel.cheer" && content.data.big === true)
  );
}

/** The alert's words; unknown or malformed payloads still read as something sensible. */
export function describeAlert(content: Pick<LayerContent, "type" | "kind" | "data">): AlertView {
  const { data } = content;
  const base: AlertView = {
    accent: "neutral",
    kicker: "Alert",
    name: SOMEONE,
    detail: null,
    message: null,
    amount: null,
    unit: null,
  };
  if (content.kind === "forced") return forced(content.type, data);
  switch (content.type) {
    case "channel.follow": {
      const event = ChannelFollowEvent.safeParse(data);
      return {
        ...base,
        accent: "follow",
        kicker: "New follower",
        name: event.success ? nameOr(event.data.user_name) : SOMEONE,
        detail: "Welcome in!",
      };
    }
    case "channel.subscribe": {
      const event = ChannelSubscribeEvent.safeParse(data);
      if (!event.success) return { ...base, accent: "sub", kicker: "New subscriber" };
      return {
        ...base,
        accent: "sub",
        kicker: "New subscriber",
        name: nameOr(event.data.user_name),
        detail: tierLabel(event.data.tier),
      };
    }
    case "channel.subscription.message": {
      const event = ChannelSubscriptionMessageEvent.safeParse(data);
      if (!event.success) return { ...base, accent: "sub", kicker: "Resubscribed" };
      const { cumulative_months: months, streak_months: streak } = event.data;
      return {
        ...base,
        accent: "sub",
        kicker: "Resubscribed",
        name: nameOr(event.data.user_name),
        detail:
          streak !== null && streak > 1
            ? `${tierLabel(event.data.tier)} · ${plural(streak, "month")} in a row`
            : tierLabel(event.data.tier),
        message: textOrNull(event.data.message.text),
        amount: count(months),
        unit: months === 1 ? "month" : "months",
      };
    }
    case "channel.subscription.gift": {
      const event = ChannelSubscriptionGiftEvent.safeParse(data);
      if (!event.success) return { ...base, accent: "gift", kicker: "Gift subs" };
      const { total, cumulative_total: cumulative } = event.data;
      return {
        ...base,
        accent: "gift",
        kicker: total === 1 ? "Gifted a sub" : "Gifted subs",
        name: event.data.is_anonymous ? ANONYMOUS : nameOr(event.data.user_name),
        detail:
          cumulative !== null && cumulative > total
            ? `${tierLabel(event.data.tier)} · ${count(cumulative)} gifted in total`
            : tierLabel(event.data.tier),
        amount: count(total),
        unit: total === 1 ? "gift sub" : "gift subs",
      };
    }
    case "channel.cheer": {
      const event = ChannelCheerEvent.safeParse(data);
      const big = data.big === true;
      if (!event.success) return { ...base, accent: "cheer", kicker: big ? "Huge cheer" : "Cheer" };
      return {
        ...base,
        accent: "cheer",
        kicker: big ? "Huge cheer" : "Cheer",
        name: event.data.is_anonymous ? ANONYMOUS : nameOr(event.data.user_name),
        message: textOrNull(stripCheermotes(event.data.message)),
        amount: count(event.data.bits),
        unit: event.data.bits === 1 ? "bit" : "bits",
      };
    }
    case "channel.raid": {
      const event = ChannelRaidEvent.safeParse(data);
      if (!event.success) return { ...base, accent: "raid", kicker: "Raid" };
      return {
        ...base,
        accent: "raid",
        kicker: "Incoming raid",
        name: nameOr(event.data.from_broadcaster_user_name),
        detail: "is raiding with",
        amount: count(event.data.viewers),
        unit: event.data.viewers === 1 ? "raider" : "raiders",
      };
    }
    case "channel.channel_points_custom_reward_redemption.add": {
      const event = ChannelPointsRedemptionAddEvent.safeParse(data);
      if (!event.success) return { ...base, accent: "redeem", kicker: "Redeemed" };
      return {
        ...base,
        accent: "redeem",
        kicker: "Redeemed",
        name: nameOr(event.data.user_name),
        detail: textOrNull(event.data.reward.title),
        message: textOrNull(event.data.user_input),
      };
    }
    case "ironmon.run.checkpoint":
      return checkpointAlert(base, data);
    default:
      return { ...base, kicker: content.type, name: text(data.user_name, SOMEONE) };
  }
}

/** Content a command forced onto a layer: free-form data, so read the likely fields. */
function forced(type: string, data: Record<string, unknown>): AlertView {
  return {
    accent: "neutral",
    kicker: text(data.kicker, text(data.label, type)),
    name: text(data.title, text(data.text, text(data.message, type))),
    detail: textOrNull(data.detail) ?? textOrNull(data.subtitle),
    message: null,
    amount: null,
    unit: null,
  };
}

function nameOr(name: string | null): string {
  return name === null || name.trim() === "" ? SOMEONE : name;
}

function textOrNull(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** "Cheer100 great stream" → "great stream": the cheermotes are already the amount. */
export function stripCheermotes(message: string): string {
  return message
    .replace(/(^|\s)[A-Za-z]+\d+(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
