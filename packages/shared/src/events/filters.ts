/** Which event types each `events:<filter>` channel carries. */
import { ALERT_TYPES } from "../stream/alerts";
import { EVENT_FILTERS, type EventFilter } from "../topics";
import { EVENT_TYPES, type KnownEventType } from "./catalogue";
import { TWITCH_EVENT_SCHEMAS } from "./twitch";

/**
 * What `events:interactions` carries: what the audience does toward the channel. Every alert
 * type, and the acts that make no alert: a redemption fulfilled or canceled (a redemption queue
 * needs it), a charity donation, another channel's shoutout. What the broadcaster does (rewards,
 * VIPs, its own shoutouts) is not an interaction.
 */
export const INTERACTION_TYPES = [
  ...ALERT_TYPES,
  "channel.channel_points_custom_reward_redemption.update",
  "channel.charity_campaign.donate",
  "channel.shoutout.receive",
] as const satisfies readonly KnownEventType[];

const INTERACTIONS: ReadonlySet<string> = new Set(INTERACTION_TYPES);

/**
 * The rule of each filter, by name. `dashboard` is everything but chat messages: a control panel
 * shows alerts, goals, polls, OBS and system health, and moderation (deletes, clears), while the
 * one high-volume stream, chat, has its own `events:chat` for a panel that wants it.
 */
function admitsByName(filter: EventFilter, type: string): boolean {
  switch (filter) {
    case "all":
      return true;
    case "twitch":
      return Object.hasOwn(TWITCH_EVENT_SCHEMAS, type);
    case "obs":
      return type.startsWith("obs.");
    case "system":
      return type.startsWith("system.");
    case "chat":
      return type.startsWith("channel.chat.") || type === "channel.chat_settings.update";
    case "interactions":
      return INTERACTIONS.has(type);
    case "goals":
      // a charity campaign's progress is a goal bar too
      return type.startsWith("channel.goal.") || type === "channel.charity_campaign.progress";
    case "stream":
      // Twitch's stream.online/offline and the hub's stream.*, and the title/category changing
      return type.startsWith("stream.") || type === "channel.update";
    case "music":
      return type.startsWith("rainwave.");
    case "ironmon":
      return type.startsWith("ironmon.");
    case "dashboard":
      return type !== "channel.chat.message";
  }
}

// Called for every event and every filter, so known types are answered from a table built once:
// one bit per filter. Free-form types (tcp.*, custom.*) fall through to the rules, a few
// startsWith calls.
const FILTER_BITS: Readonly<Record<EventFilter, number>> = Object.fromEntries(
  EVENT_FILTERS.map((filter, index) => [filter, 1 << index]),
) as Record<EventFilter, number>;

const KNOWN_MASKS: ReadonlyMap<string, number> = new Map(
  EVENT_TYPES.map((type) => [type, maskOf(type)]),
);

const KNOWN_FILTERS: ReadonlyMap<string, readonly EventFilter[]> = new Map(
  EVENT_TYPES.map((type) => [type, Object.freeze(filtersByName(type))]),
);

function maskOf(type: string): number {
  let mask = 0;
  for (const filter of EVENT_FILTERS) if (admitsByName(filter, type)) mask |= FILTER_BITS[filter];
  return mask;
}

function filtersByName(type: string): EventFilter[] {
  return EVENT_FILTERS.filter((filter) => admitsByName(filter, type));
}

/** Whether `events:<filter>` carries events of this type. */
export function filterAdmits(filter: EventFilter, type: string): boolean {
  const mask = KNOWN_MASKS.get(type);
  return mask === undefined ? admitsByName(filter, type) : (mask & FILTER_BITS[filter]) !== 0;
}

/** Every filter whose channel carries this type: what a fan-out publishes one event to. */
export function filtersFor(type: string): readonly EventFilter[] {
  return KNOWN_FILTERS.get(type) ?? filtersByName(type);
}
