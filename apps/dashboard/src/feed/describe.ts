/**
 * One line of words for each event, as a streamer would say it ("Cool_User raided with 9,001
 * viewers"), an accent that matches the overlays' colour for that kind of moment, and chat as
 * pieces of text — emotes, mentions and cheermotes stay text, marked so a view can style them.
 */
import { tierLabel } from "@landale/shared";
import { formatCount } from "../format/format";
import { describeObsEvent } from "./describe-obs";

export type Accent =
  | "follow"
  | "sub"
  | "gift"
  | "cheer"
  | "raid"
  | "redeem"
  | "chat"
  | "stream"
  | "warning"
  | "neutral";

/** A piece of a chat message: plain text, or an emote / mention / cheermote shown as its text. */
export interface ChatPiece {
  kind: "text" | "emote" | "mention" | "cheermote";
  text: string;
}

export interface EventSummary {
  /** Who did it, when someone did. */
  actor: string | null;
  /** What happened, after the actor: "followed", "cheered 100 bits". */
  action: string;
  /** A quoted message or extra detail, when there is one. */
  detail: string | null;
  /** A chat message's pieces, in order. */
  chat: ChatPiece[] | null;
  accent: Accent;
}

type Data = Record<string, unknown>;

const str = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

function name(data: Data, prefix = "user"): string | null {
  return str(data[`${prefix}_name`]) ?? str(data[`${prefix}_login`]);
}

function summary(
  actor: string | null,
  action: string,
  accent: Accent,
  detail: string | null = null,
): EventSummary {
  return { actor, action, detail, chat: null, accent };
}

/** Chat fragments as pieces; a message without fragments is one text piece. */
export function chatPieces(message: unknown): ChatPiece[] {
  const value = (message ?? {}) as { text?: unknown; fragments?: unknown };
  if (!Array.isArray(value.fragments) || value.fragments.length === 0) {
    return [{ kind: "text", text: str(value.text) ?? "" }];
  }
  return value.fragments.map((fragment: { type?: unknown; text?: unknown }) => {
    const text = typeof fragment?.text === "string" ? fragment.text : "";
    const kind =
      fragment?.type === "emote" || fragment?.type === "mention" || fragment?.type === "cheermote"
        ? fragment.type
        : "text";
    return { kind, text };
  });
}

export function describeEvent(type: string, rawData: unknown): EventSummary {
  const data: Data =
    typeof rawData === "object" && rawData !== null && !Array.isArray(rawData)
      ? (rawData as Data)
      : {};
  const anonymous = data.is_anonymous === true;
  switch (type) {
    case "channel.follow":
      return summary(name(data), "followed", "follow");
    case "channel.subscribe":
      return summary(
        name(data),
        data.is_gift === true
          ? `received a gifted sub (${tierLabel(data.tier)})`
          : `subscribed (${tierLabel(data.tier)})`,
        "sub",
      );
    case "channel.subscription.message": {
      const months = num(data.cumulative_months);
      const message = (data.message ?? {}) as Data;
      return summary(
        name(data),
        `resubscribed${months === null ? "" : ` for ${months} months`} (${tierLabel(data.tier)})`,
        "sub",
        str(message.text),
      );
    }
    case "channel.subscription.gift": {
      const total = num(data.total) ?? 1;
      return summary(
        anonymous ? "An anonymous gifter" : name(data),
        `gifted ${formatCount(total)} ${tierLabel(data.tier)} ${total === 1 ? "sub" : "subs"}`,
        "gift",
      );
    }
    case "channel.cheer":
      return summary(
        anonymous ? "Anonymous" : name(data),
        `cheered ${formatCount(num(data.bits) ?? 0)} bits`,
        "cheer",
        str(data.message),
      );
    case "channel.raid":
      return summary(
        name(data, "from_broadcaster_user"),
        `raided with ${formatCount(num(data.viewers) ?? 0)} viewers`,
        "raid",
      );
    case "channel.channel_points_custom_reward_redemption.add": {
      const reward = (data.reward ?? {}) as Data;
      const cost = num(reward.cost);
      return summary(
        name(data),
        `redeemed ${str(reward.title) ?? "a reward"}${cost === null ? "" : ` (${formatCount(cost)} points)`}`,
        "redeem",
        str(data.user_input),
      );
    }
    case "channel.chat.message":
      return {
        actor: name(data, "chatter_user"),
        action: "",
        detail: null,
        chat: chatPieces(data.message),
        accent: "chat",
      };
    case "channel.chat.message_delete":
      return summary(name(data, "target_user"), "had a message deleted by a moderator", "warning");
    case "channel.chat.clear":
      return summary(null, "Chat was cleared by a moderator", "warning");
    case "stream.online":
      return summary(null, "Stream went live", "stream");
    case "stream.offline":
      return summary(null, "Stream went offline", "stream");
    case "channel.update":
      return summary(
        null,
        `Stream updated: ${str(data.category_name) ?? "no category"}`,
        "stream",
        str(data.title),
      );
    case "stream.takeover.started":
      return summary(
        null,
        `Takeover started: ${str(data.type) ?? "takeover"}`,
        "warning",
        str(data.message),
      );
    case "stream.takeover.cleared":
      return summary(
        null,
        `Takeover cleared${data.reason === "expired" ? " (its time ran out)" : ""}`,
        "stream",
      );
    case "stream.show.changed":
      return summary(null, `Show changed to ${str(data.show) ?? "?"}`, "stream");
    case "system.error":
      return summary(
        null,
        `Error in ${str(data.component) ?? "the hub"}`,
        "warning",
        str(data.message),
      );
    default: {
      const obs = type.startsWith("obs.") ? describeObsEvent(type, data) : null;
      if (obs !== null) return summary(null, obs.action, obs.accent, obs.detail);
      return summary(
        name(data),
        type,
        type.startsWith("system.") || type.startsWith("obs.connection") ? "warning" : "neutral",
      );
    }
  }
}

const TYPE_LABELS: Record<string, string> = {
  "channel.follow": "Follow",
  "channel.subscribe": "Sub",
  "channel.subscription.message": "Resub",
  "channel.subscription.gift": "Gift",
  "channel.cheer": "Cheer",
  "channel.raid": "Raid",
  "channel.channel_points_custom_reward_redemption.add": "Redeem",
  "channel.chat.message": "Chat",
  "channel.chat.message_delete": "Deleted",
  "channel.chat.clear": "Chat clear",
  "stream.online": "Online",
  "stream.offline": "Offline",
  "channel.update": "Update",
  "channel.ad_break.begin": "Ad break",
  "stream.takeover.started": "Takeover",
  "stream.takeover.cleared": "Takeover",
  "stream.show.changed": "Show",
};

/** A short chip label for a type: "Follow", "Poll", "OBS". */
export function typeLabel(type: string): string {
  const exact = TYPE_LABELS[type];
  if (exact) return exact;
  if (type.startsWith("channel.goal.")) return "Goal";
  if (type.startsWith("channel.poll.")) return "Poll";
  if (type.startsWith("channel.prediction.")) return "Prediction";
  if (type.startsWith("channel.hype_train.")) return "Hype train";
  if (type.startsWith("obs.")) return "OBS";
  if (type.startsWith("system.")) return "System";
  if (type.startsWith("custom.")) return "Custom";
  if (type.startsWith("tcp.")) return "Game";
  return type.split(".")[0] ?? type;
}
