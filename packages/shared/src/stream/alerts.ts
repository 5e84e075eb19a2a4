/** Which events make an alert on stream, and how a streamer names Twitch's sub tiers. */
import type { KnownEventType } from "../events/catalogue";

/**
 * What viewers do that makes an alert on stream (docs/STREAM.md): the engine queues these, the
 * `events:interactions` filter carries them, the overlays and the dashboard show them.
 */
export const ALERT_TYPES = [
  "channel.follow",
  "channel.subscribe",
  "channel.subscription.message",
  "channel.subscription.gift",
  "channel.cheer",
  "channel.raid",
  "channel.channel_points_custom_reward_redemption.add",
] as const satisfies readonly KnownEventType[];
export type AlertType = (typeof ALERT_TYPES)[number];

const ALERTS: ReadonlySet<string> = new Set(ALERT_TYPES);

/** Whether events of this type make an alert. */
export function isAlertType(type: string): type is AlertType {
  return ALERTS.has(type);
}

/** Twitch's sub tier codes, as EventSub sends them. */
export const SUB_TIERS = ["1000", "2000", "3000"] as const;
export type SubTier = (typeof SUB_TIERS)[number];

/** Each tier code as a streamer says it. */
export const TIER_LABELS: Readonly<Record<SubTier, string>> = {
  "1000": "Tier 1",
  "2000": "Tier 2",
  "3000": "Tier 3",
};

/** A tier code as a streamer says it; anything else (a tier left out) reads as the plain Tier 1. */
export function tierLabel(tier: unknown): string {
  return tier === "2000" || tier === "3000" ? TIER_LABELS[tier] : TIER_LABELS["1000"];
}
