/** Twitch's sub tiers: the codes EventSub sends, and how a streamer names them. */

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
