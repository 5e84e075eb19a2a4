/** Twitch EventSub types about the channel itself: going live, its settings, raids, shoutouts, VIPs. */
import { z } from "zod";
import { Timestamp } from "./envelope";
import { broadcaster, Count, UserId, user } from "./twitch-fields";

/** EventSub `stream.online` v1. */
export const StreamOnlineEvent = z.looseObject({
  id: z.string().min(1),
  ...broadcaster,
  // live, playlist, watch_party, premiere, rerun
  type: z.string(),
  started_at: Timestamp,
});
export type StreamOnlineEvent = z.infer<typeof StreamOnlineEvent>;

/** EventSub `stream.offline` v1. */
export const StreamOfflineEvent = z.looseObject({ ...broadcaster });
export type StreamOfflineEvent = z.infer<typeof StreamOfflineEvent>;

/** EventSub `channel.update` v2. */
export const ChannelUpdateEvent = z.looseObject({
  ...broadcaster,
  title: z.string(),
  language: z.string(),
  category_id: z.string(),
  category_name: z.string(),
  content_classification_labels: z.array(z.string()),
});
export type ChannelUpdateEvent = z.infer<typeof ChannelUpdateEvent>;

/** EventSub `channel.ad_break.begin` v1. For automatic ads the requester is the broadcaster. */
export const ChannelAdBreakBeginEvent = z.looseObject({
  duration_seconds: z.int().positive(),
  started_at: Timestamp,
  is_automatic: z.boolean(),
  ...broadcaster,
  requester_user_id: UserId,
  requester_user_login: z.string(),
  requester_user_name: z.string(),
});
export type ChannelAdBreakBeginEvent = z.infer<typeof ChannelAdBreakBeginEvent>;

/** EventSub `channel.raid` v1. */
export const ChannelRaidEvent = z.looseObject({
  from_broadcaster_user_id: UserId,
  from_broadcaster_user_login: z.string(),
  from_broadcaster_user_name: z.string(),
  to_broadcaster_user_id: UserId,
  to_broadcaster_user_login: z.string(),
  to_broadcaster_user_name: z.string(),
  viewers: Count,
});
export type ChannelRaidEvent = z.infer<typeof ChannelRaidEvent>;

/** EventSub `channel.shoutout.create` v1: the broadcaster or a moderator shouted out another channel. */
export const ChannelShoutoutCreateEvent = z.looseObject({
  ...broadcaster,
  to_broadcaster_user_id: UserId,
  to_broadcaster_user_login: z.string(),
  to_broadcaster_user_name: z.string(),
  moderator_user_id: UserId,
  moderator_user_login: z.string(),
  moderator_user_name: z.string(),
  // viewers who saw the shoutout
  viewer_count: Count,
  started_at: Timestamp,
  // when the broadcaster may shout out anyone again, and this channel again
  cooldown_ends_at: Timestamp,
  target_cooldown_ends_at: Timestamp,
});
export type ChannelShoutoutCreateEvent = z.infer<typeof ChannelShoutoutCreateEvent>;

/** EventSub `channel.shoutout.receive` v1: another channel shouted this one out. */
export const ChannelShoutoutReceiveEvent = z.looseObject({
  ...broadcaster,
  from_broadcaster_user_id: UserId,
  from_broadcaster_user_login: z.string(),
  from_broadcaster_user_name: z.string(),
  // viewers who saw the shoutout
  viewer_count: Count,
  started_at: Timestamp,
});
export type ChannelShoutoutReceiveEvent = z.infer<typeof ChannelShoutoutReceiveEvent>;

/** EventSub `channel.vip.add` v1: the broadcaster made a user VIP. */
export const ChannelVipAddEvent = z.looseObject({ ...user, ...broadcaster });
export type ChannelVipAddEvent = z.infer<typeof ChannelVipAddEvent>;

/** EventSub `channel.vip.remove` v1. */
export const ChannelVipRemoveEvent = z.looseObject({ ...user, ...broadcaster });
export type ChannelVipRemoveEvent = z.infer<typeof ChannelVipRemoveEvent>;

/** EventSub `user.update` v1: the broadcaster changed their account (name, description, e-mail). */
export const UserUpdateEvent = z.looseObject({
  ...user,
  // only with the user:read:email scope, which the hub does not ask for
  email: z.string().optional(),
  // added to the type after it shipped; meaningless without email
  email_verified: z.boolean().optional(),
  description: z.string(),
});
export type UserUpdateEvent = z.infer<typeof UserUpdateEvent>;
