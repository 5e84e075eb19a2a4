/**
 * The EventSub subscriptions the hub asks Twitch for: one per Twitch type of the catalogue, with
 * the version its schema matches, the condition Twitch's subscription-types reference asks for,
 * and the scopes the signed-in broadcaster's token must carry. The critical group comes first, in
 * order: a client that is cut short, or hits the subscription limit, still knows when the stream
 * goes up or down, its title, its follows and its chat.
 */
import { TWITCH_SUBSCRIPTION_VERSIONS, type TwitchEventType } from "../events/twitch";

export interface TwitchSubscriptionPlan {
  readonly type: TwitchEventType;
  readonly version: (typeof TWITCH_SUBSCRIPTION_VERSIONS)[TwitchEventType];
  /** In the group subscribed before all others: the stream's state, title, follows and chat. */
  readonly critical: boolean;
  /** The scopes Twitch requires of the token; none for public types. */
  readonly scopes: readonly string[];
  /** The `condition` of the Create EventSub Subscription body, for the signed-in broadcaster. */
  condition(broadcasterUserId: string): Record<string, string>;
}

// Where Twitch takes a read or a manage scope, the read one is asked for: the hub only listens.
const SUBSCRIPTIONS = "channel:read:subscriptions";
const BITS = "bits:read";
const FOLLOWERS = "moderator:read:followers";
// Over WebSocket the chat types need only the reading user's user:read:chat; user:bot and
// channel:bot are for app tokens (webhooks and conduits).
const CHAT = "user:read:chat";
const GOALS = "channel:read:goals";
const HYPE_TRAIN = "channel:read:hype_train";
// or channel:manage:polls
const POLLS = "channel:read:polls";
// or channel:manage:predictions
const PREDICTIONS = "channel:read:predictions";
// or channel:manage:redemptions
const REDEMPTIONS = "channel:read:redemptions";
// or channel:manage:ads
const ADS = "channel:read:ads";
const CHARITY = "channel:read:charity";
// or moderator:manage:shoutouts
const SHOUTOUTS = "moderator:read:shoutouts";
// or channel:manage:vips
const VIPS = "channel:read:vips";

type Condition = (broadcasterUserId: string) => Record<string, string>;

const ofBroadcaster: Condition = (id) => ({ broadcaster_user_id: id });
// follows (v2) and shoutouts are read as a moderator of the channel; the broadcaster is one
const asModerator: Condition = (id) => ({ broadcaster_user_id: id, moderator_user_id: id });
// chat is read as a user in the room: the broadcaster, in their own
const asChatter: Condition = (id) => ({ broadcaster_user_id: id, user_id: id });
// raids into the channel; from_broadcaster_user_id would be the raids it sends
const raidsInto: Condition = (id) => ({ to_broadcaster_user_id: id });
// the broadcaster's own account; no scope (user:read:email would add the e-mail, not asked for)
const ofUser: Condition = (id) => ({ user_id: id });

function plan(
  type: TwitchEventType,
  scopes: readonly string[],
  condition: Condition,
  critical = false,
): TwitchSubscriptionPlan {
  return Object.freeze({
    type,
    version: TWITCH_SUBSCRIPTION_VERSIONS[type],
    critical,
    scopes: Object.freeze([...scopes]),
    condition,
  });
}

/** Every subscription the hub makes, in the order it makes them: the critical group first. */
export const TWITCH_SUBSCRIPTIONS: readonly TwitchSubscriptionPlan[] = Object.freeze([
  plan("stream.online", [], ofBroadcaster, true),
  plan("stream.offline", [], ofBroadcaster, true),
  plan("channel.update", [], ofBroadcaster, true),
  plan("channel.follow", [FOLLOWERS], asModerator, true),
  plan("channel.chat.message", [CHAT], asChatter, true),

  plan("channel.subscribe", [SUBSCRIPTIONS], ofBroadcaster),
  plan("channel.subscription.gift", [SUBSCRIPTIONS], ofBroadcaster),
  plan("channel.subscription.message", [SUBSCRIPTIONS], ofBroadcaster),
  plan("channel.subscription.end", [SUBSCRIPTIONS], ofBroadcaster),
  plan("channel.cheer", [BITS], ofBroadcaster),
  plan("channel.raid", [], raidsInto),
  plan("channel.channel_points_custom_reward_redemption.add", [REDEMPTIONS], ofBroadcaster),
  plan("channel.channel_points_custom_reward_redemption.update", [REDEMPTIONS], ofBroadcaster),
  plan("channel.channel_points_custom_reward.add", [REDEMPTIONS], ofBroadcaster),
  plan("channel.channel_points_custom_reward.update", [REDEMPTIONS], ofBroadcaster),
  plan("channel.channel_points_custom_reward.remove", [REDEMPTIONS], ofBroadcaster),
  plan("channel.charity_campaign.donate", [CHARITY], ofBroadcaster),
  plan("channel.charity_campaign.progress", [CHARITY], ofBroadcaster),

  plan("channel.chat.notification", [CHAT], asChatter),
  plan("channel.chat.message_delete", [CHAT], asChatter),
  plan("channel.chat.clear", [CHAT], asChatter),
  plan("channel.chat.clear_user_messages", [CHAT], asChatter),
  plan("channel.chat_settings.update", [CHAT], asChatter),

  plan("channel.goal.begin", [GOALS], ofBroadcaster),
  plan("channel.goal.progress", [GOALS], ofBroadcaster),
  plan("channel.goal.end", [GOALS], ofBroadcaster),
  plan("channel.hype_train.begin", [HYPE_TRAIN], ofBroadcaster),
  plan("channel.hype_train.progress", [HYPE_TRAIN], ofBroadcaster),
  plan("channel.hype_train.end", [HYPE_TRAIN], ofBroadcaster),
  plan("channel.poll.begin", [POLLS], ofBroadcaster),
  plan("channel.poll.progress", [POLLS], ofBroadcaster),
  plan("channel.poll.end", [POLLS], ofBroadcaster),
  plan("channel.prediction.begin", [PREDICTIONS], ofBroadcaster),
  plan("channel.prediction.progress", [PREDICTIONS], ofBroadcaster),
  plan("channel.prediction.lock", [PREDICTIONS], ofBroadcaster),
  plan("channel.prediction.end", [PREDICTIONS], ofBroadcaster),

  plan("channel.shoutout.create", [SHOUTOUTS], asModerator),
  plan("channel.shoutout.receive", [SHOUTOUTS], asModerator),
  plan("channel.vip.add", [VIPS], ofBroadcaster),
  plan("channel.vip.remove", [VIPS], ofBroadcaster),
  plan("channel.ad_break.begin", [ADS], ofBroadcaster),
  plan("user.update", [], ofUser),
]);

/**
 * Every scope the hub asks the broadcaster for, sorted: what the subscriptions need, plus
 * channel:manage:broadcast for editing the stream's title, category, language and tags.
 */
export const TWITCH_SCOPES: readonly string[] = Object.freeze(
  [
    ...new Set([
      ...TWITCH_SUBSCRIPTIONS.flatMap((subscription) => subscription.scopes),
      "channel:manage:broadcast",
    ]),
  ].sort(),
);
