/** The simulator's form: the kinds of event it can send, its fields as typed, and their labels. */

export const SIMULATOR_KINDS = [
  { id: "follow", label: "Follow", type: "channel.follow" },
  { id: "sub", label: "Subscription", type: "channel.subscribe" },
  { id: "gift", label: "Gifted subs", type: "channel.subscription.gift" },
  { id: "cheer", label: "Cheer (bits)", type: "channel.cheer" },
  { id: "raid", label: "Raid", type: "channel.raid" },
  {
    id: "redemption",
    label: "Channel-point redemption",
    type: "channel.channel_points_custom_reward_redemption.add",
  },
  { id: "chat", label: "Chat message", type: "channel.chat.message" },
  { id: "online", label: "Stream online", type: "stream.online" },
  { id: "offline", label: "Stream offline", type: "stream.offline" },
] as const;
export type SimulatorKind = (typeof SIMULATOR_KINDS)[number]["id"];

/** Form fields, as the inputs give them (text), so a half-typed number is still representable. */
export interface SimulatorForm {
  kind: SimulatorKind;
  user: string;
  tier: string;
  count: string;
  bits: string;
  viewers: string;
  message: string;
  reward: string;
  cost: string;
  emotes: string;
  anonymous: boolean;
  burst: string;
}

export type SimulatorField = Exclude<keyof SimulatorForm, "kind">;

export const FIELD_LABELS: Record<SimulatorField, string> = {
  user: "User name",
  tier: "Tier",
  count: "Number of subs",
  bits: "Bits",
  viewers: "Viewers",
  message: "Message",
  reward: "Reward",
  cost: "Cost",
  emotes: "Emotes",
  anonymous: "Anonymous",
  burst: "Burst",
};

/** Which fields each kind shows (besides the burst count every kind has). */
export const KIND_FIELDS: Record<SimulatorKind, readonly SimulatorField[]> = {
  follow: ["user"],
  sub: ["user", "tier"],
  gift: ["user", "anonymous", "count", "tier"],
  cheer: ["user", "anonymous", "bits", "message"],
  raid: ["user", "viewers"],
  redemption: ["user", "reward", "cost", "message"],
  chat: ["user", "message", "emotes"],
  online: [],
  offline: [],
};

export const DEFAULT_FORM: SimulatorForm = {
  kind: "follow",
  user: "Cool_User",
  tier: "1000",
  count: "5",
  bits: "100",
  viewers: "42",
  message: "",
  reward: "Hydrate!",
  cost: "500",
  emotes: "Kappa PogChamp LUL",
  anonymous: false,
  burst: "1",
};

/** A number from a text input; empty is missing, so the schema says "is required". */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === "" ? undefined : Number(trimmed);
}
