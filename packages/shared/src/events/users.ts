/** The user who acted in an event, by Twitch's field names: for per-user history and rate limits. */
import type { KnownEventType } from "./catalogue";

export type EventUser = { user_id: string; user_login: string };

type UserReader = (data: Record<string, unknown>) => EventUser | null;

function fields(idKey: string, loginKey: string): UserReader {
  return (data) => userFrom(data[idKey], data[loginKey]);
}

const viewer = fields("user_id", "user_login");

// Anonymous gifts and cheers carry null users from Twitch, and "" or a placeholder gifter from
// the Twitch CLI; is_anonymous is the one signal every source agrees on.
const unlessAnonymous: UserReader = (data) => (data.is_anonymous === true ? null : viewer(data));

const chatter = fields("chatter_user_id", "chatter_user_login");

// A chat notice from an anonymous gifter says so in chatter_is_anonymous (its chatter is null).
const chatterUnlessAnonymous: UserReader = (data) =>
  data.chatter_is_anonymous === true ? null : chatter(data);

// Types not listed have no acting viewer: the broadcaster's own doings (stream, title, polls,
// predictions, goals, rewards, VIPs, account), Twitch's (hype trains, charity totals), and
// moderators' actions whose payloads name only the user acted upon (a deleted message's author,
// a cleared chatter), not who acted.
const READERS: ReadonlyMap<string, UserReader> = new Map<KnownEventType, UserReader>([
  ["channel.follow", viewer],
  ["channel.subscribe", viewer],
  ["channel.subscription.message", viewer],
  ["channel.subscription.end", viewer],
  ["channel.subscription.gift", unlessAnonymous],
  ["channel.cheer", unlessAnonymous],
  ["channel.channel_points_custom_reward_redemption.add", viewer],
  // the redeemer: whoever fulfilled or canceled it goes unnamed
  ["channel.channel_points_custom_reward_redemption.update", viewer],
  ["channel.charity_campaign.donate", viewer],
  ["channel.raid", fields("from_broadcaster_user_id", "from_broadcaster_user_login")],
  ["channel.shoutout.receive", fields("from_broadcaster_user_id", "from_broadcaster_user_login")],
  // the broadcaster or the moderator who gave it
  ["channel.shoutout.create", fields("moderator_user_id", "moderator_user_login")],
  ["channel.chat.message", chatter],
  ["channel.chat.notification", chatterUnlessAnonymous],
  // for automatic ads Twitch names the broadcaster
  ["channel.ad_break.begin", fields("requester_user_id", "requester_user_login")],
]);

/**
 * The acting user of an event, or null where there is none (or it is anonymous). Free-form
 * `tcp.*` and `custom.*` events name one the Twitch way, with `user_id` and `user_login`.
 */
export function userOf(type: string, data: unknown): EventUser | null {
  if (typeof data !== "object" || data === null) return null;
  const read = READERS.get(type);
  if (read) return read(data as Record<string, unknown>);
  if (type.startsWith("custom.") || type.startsWith("tcp.")) {
    return viewer(data as Record<string, unknown>);
  }
  return null;
}

function userFrom(id: unknown, login: unknown): EventUser | null {
  if (typeof id !== "string" || id === "" || typeof login !== "string" || login === "") return null;
  return { user_id: id, user_login: login };
}
