/** Twitch EventSub payloads: the `event` object of each notification type the hub ingests as it is. */
import { z } from "zod";
import { Timestamp } from "./envelope";
import { SUB_TIERS } from "./tiers";

// Twitch owns these shapes and adds fields without a new version, so every object is loose: fields
// we do not know are kept (and stored), never stripped or refused. Value sets Twitch documents
// (goal types, message types, statuses) stay open strings for the same reason: a new value must
// not make the hub drop a real event. Only `tier` is closed; it has been 1000/2000/3000 for years
// and overlays branch on it.
//
// Fields a type's first release documented are required (nullable where Twitch sends null);
// fields added to a version later are optional, so payloads recorded before them still validate.

const UserId = z.string().min(1);
const Count = z.int().nonnegative();
const Tier = z.enum(SUB_TIERS);

const broadcaster = {
  broadcaster_user_id: UserId,
  broadcaster_user_login: z.string(),
  broadcaster_user_name: z.string(),
};

const user = {
  user_id: UserId,
  user_login: z.string(),
  user_name: z.string(),
};

/** Anonymous gifts and cheers send null here (the Twitch CLI sends "" or a placeholder user). */
const maybeAnonymousUser = {
  user_id: z.string().nullable(),
  user_login: z.string().nullable(),
  user_name: z.string().nullable(),
};

/** EventSub `channel.follow` v2. */
export const ChannelFollowEvent = z.looseObject({
  ...user,
  ...broadcaster,
  followed_at: Timestamp,
});
export type ChannelFollowEvent = z.infer<typeof ChannelFollowEvent>;

/** EventSub `channel.subscribe` v1: a new subscription (resubscriptions are `channel.subscription.message`). */
export const ChannelSubscribeEvent = z.looseObject({
  ...user,
  ...broadcaster,
  tier: Tier,
  is_gift: z.boolean(),
});
export type ChannelSubscribeEvent = z.infer<typeof ChannelSubscribeEvent>;

/** EventSub `channel.subscription.gift` v1. */
export const ChannelSubscriptionGiftEvent = z.looseObject({
  ...maybeAnonymousUser,
  ...broadcaster,
  total: z.int().positive(),
  tier: Tier,
  // null when the gifter is anonymous or chose not to share it
  cumulative_total: Count.nullable(),
  is_anonymous: z.boolean(),
});
export type ChannelSubscriptionGiftEvent = z.infer<typeof ChannelSubscriptionGiftEvent>;

const SubscriptionMessageEmote = z.looseObject({
  begin: Count,
  end: Count,
  id: z.string(),
});

/** EventSub `channel.subscription.message` v1: a resubscription shared in chat. */
export const ChannelSubscriptionMessageEvent = z.looseObject({
  ...user,
  ...broadcaster,
  tier: Tier,
  message: z.looseObject({
    text: z.string(),
    emotes: z.array(SubscriptionMessageEmote).nullable(),
  }),
  cumulative_months: Count,
  // null when the subscriber chose not to share their streak
  streak_months: Count.nullable(),
  duration_months: Count,
});
export type ChannelSubscriptionMessageEvent = z.infer<typeof ChannelSubscriptionMessageEvent>;

/** EventSub `channel.cheer` v1. */
export const ChannelCheerEvent = z.looseObject({
  is_anonymous: z.boolean(),
  ...maybeAnonymousUser,
  ...broadcaster,
  message: z.string(),
  bits: z.int().positive(),
});
export type ChannelCheerEvent = z.infer<typeof ChannelCheerEvent>;

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

const ChatBadge = z.looseObject({
  set_id: z.string(),
  id: z.string(),
  info: z.string(),
});

/** One piece of a chat message; `type` says which of cheermote/emote/mention is set. */
const ChatMessageFragment = z.looseObject({
  type: z.string(),
  text: z.string(),
  cheermote: z
    .looseObject({
      prefix: z.string(),
      bits: Count,
      tier: Count,
    })
    .nullable(),
  emote: z
    .looseObject({
      id: z.string(),
      emote_set_id: z.string(),
      owner_id: z.string(),
      format: z.array(z.string()),
    })
    .nullable(),
  mention: z
    .looseObject({
      user_id: z.string(),
      user_name: z.string(),
      user_login: z.string(),
    })
    .nullable(),
});

const ChatReply = z.looseObject({
  parent_message_id: z.string(),
  parent_message_body: z.string(),
  parent_user_id: z.string(),
  parent_user_name: z.string(),
  parent_user_login: z.string(),
  thread_message_id: z.string(),
  thread_user_id: z.string(),
  thread_user_name: z.string(),
  thread_user_login: z.string(),
});

/** EventSub `channel.chat.message` v1. */
export const ChannelChatMessageEvent = z.looseObject({
  ...broadcaster,
  chatter_user_id: UserId,
  chatter_user_login: z.string(),
  chatter_user_name: z.string(),
  message_id: z.string().min(1),
  message: z.looseObject({
    text: z.string(),
    fragments: z.array(ChatMessageFragment),
  }),
  message_type: z.string(),
  badges: z.array(ChatBadge),
  cheer: z.looseObject({ bits: z.int().positive() }).nullable(),
  // "" when the chatter never picked a colour
  color: z.string(),
  reply: ChatReply.nullable(),
  channel_points_custom_reward_id: z.string().nullable(),
  // Shared chat (2024) and Power-ups (2025) came after v1: null outside a shared session.
  source_broadcaster_user_id: z.string().nullable().optional(),
  source_broadcaster_user_login: z.string().nullable().optional(),
  source_broadcaster_user_name: z.string().nullable().optional(),
  source_message_id: z.string().nullable().optional(),
  source_badges: z.array(ChatBadge).nullable().optional(),
  is_source_only: z.boolean().nullable().optional(),
  channel_points_animation_id: z.string().nullable().optional(),
});
export type ChannelChatMessageEvent = z.infer<typeof ChannelChatMessageEvent>;

/** EventSub `channel.chat.message_delete` v1: a moderator removed one message. */
export const ChannelChatMessageDeleteEvent = z.looseObject({
  ...broadcaster,
  target_user_id: UserId,
  target_user_name: z.string(),
  target_user_login: z.string(),
  message_id: z.string().min(1),
});
export type ChannelChatMessageDeleteEvent = z.infer<typeof ChannelChatMessageDeleteEvent>;

/** EventSub `channel.chat.clear` v1: a moderator cleared the whole chat. */
export const ChannelChatClearEvent = z.looseObject({ ...broadcaster });
export type ChannelChatClearEvent = z.infer<typeof ChannelChatClearEvent>;

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

const goal = {
  id: z.string().min(1),
  ...broadcaster,
  // follow, subscription, subscription_count, new_subscription, new_subscription_count,
  // new_bit, new_cheerer (the Twitch CLI sends "follower")
  type: z.string(),
  description: z.string(),
  current_amount: z.int(),
  target_amount: z.int(),
  started_at: Timestamp,
};

/** EventSub `channel.goal.begin` v1. */
export const ChannelGoalBeginEvent = z.looseObject(goal);
export type ChannelGoalBeginEvent = z.infer<typeof ChannelGoalBeginEvent>;

/** EventSub `channel.goal.progress` v1. */
export const ChannelGoalProgressEvent = z.looseObject(goal);
export type ChannelGoalProgressEvent = z.infer<typeof ChannelGoalProgressEvent>;

/** EventSub `channel.goal.end` v1. */
export const ChannelGoalEndEvent = z.looseObject({
  ...goal,
  is_achieved: z.boolean(),
  ended_at: Timestamp,
});
export type ChannelGoalEndEvent = z.infer<typeof ChannelGoalEndEvent>;

const HypeTrainContribution = z.looseObject({
  ...user,
  // bits, subscription, other
  type: z.string(),
  total: Count,
});

// Hype train v1 (deprecated by Twitch, still what the Twitch CLI triggers) and v2 share these
// fields; v1 adds last_contribution and is_golden_kappa_train, v2 adds type, shared trains and
// all-time highs. Both validate, so the integration can move versions without a schema change.
const hypeTrain = {
  id: z.string().min(1),
  ...broadcaster,
  level: z.int().positive(),
  total: Count,
  // null in v1 before anyone contributed
  top_contributions: z.array(HypeTrainContribution).nullable(),
  started_at: Timestamp,
  last_contribution: HypeTrainContribution.optional(),
  is_golden_kappa_train: z.boolean().optional(),
  type: z.string().optional(),
  is_shared_train: z.boolean().optional(),
  shared_train_participants: z
    .array(z.looseObject({ ...broadcaster }))
    .nullable()
    .optional(),
};

const runningHypeTrain = {
  ...hypeTrain,
  progress: Count,
  goal: Count,
  expires_at: Timestamp,
  all_time_high_level: Count.optional(),
  all_time_high_total: Count.optional(),
};

/** EventSub `channel.hype_train.begin` (v1 or v2). */
export const ChannelHypeTrainBeginEvent = z.looseObject(runningHypeTrain);
export type ChannelHypeTrainBeginEvent = z.infer<typeof ChannelHypeTrainBeginEvent>;

/** EventSub `channel.hype_train.progress` (v1 or v2). */
export const ChannelHypeTrainProgressEvent = z.looseObject(runningHypeTrain);
export type ChannelHypeTrainProgressEvent = z.infer<typeof ChannelHypeTrainProgressEvent>;

/** EventSub `channel.hype_train.end` (v1 or v2). */
export const ChannelHypeTrainEndEvent = z.looseObject({
  ...hypeTrain,
  ended_at: Timestamp,
  cooldown_ends_at: Timestamp,
});
export type ChannelHypeTrainEndEvent = z.infer<typeof ChannelHypeTrainEndEvent>;

const PollVoting = z.looseObject({
  is_enabled: z.boolean(),
  amount_per_vote: Count,
});

const PollChoice = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
});

const CountedPollChoice = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  // bits voting is gone; Twitch keeps the field at 0
  bits_votes: Count,
  channel_points_votes: Count,
  votes: Count,
});

const poll = {
  id: z.string().min(1),
  ...broadcaster,
  title: z.string(),
  bits_voting: PollVoting,
  channel_points_voting: PollVoting,
  started_at: Timestamp,
};

/** EventSub `channel.poll.begin` v1: choices carry no votes yet. */
export const ChannelPollBeginEvent = z.looseObject({
  ...poll,
  choices: z.array(PollChoice),
  ends_at: Timestamp,
});
export type ChannelPollBeginEvent = z.infer<typeof ChannelPollBeginEvent>;

/** EventSub `channel.poll.progress` v1. */
export const ChannelPollProgressEvent = z.looseObject({
  ...poll,
  choices: z.array(CountedPollChoice),
  ends_at: Timestamp,
});
export type ChannelPollProgressEvent = z.infer<typeof ChannelPollProgressEvent>;

/** EventSub `channel.poll.end` v1. */
export const ChannelPollEndEvent = z.looseObject({
  ...poll,
  choices: z.array(CountedPollChoice),
  // completed, archived, terminated
  status: z.string(),
  ended_at: Timestamp,
});
export type ChannelPollEndEvent = z.infer<typeof ChannelPollEndEvent>;

const PredictionOutcome = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  // blue, pink
  color: z.string(),
});

const TopPredictor = z.looseObject({
  ...user,
  // null until the prediction resolves
  channel_points_won: Count.nullable(),
  channel_points_used: Count,
});

const CountedPredictionOutcome = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  color: z.string(),
  users: Count,
  channel_points: Count,
  top_predictors: z.array(TopPredictor).nullable(),
});

const prediction = {
  id: z.string().min(1),
  ...broadcaster,
  title: z.string(),
  started_at: Timestamp,
};

/** EventSub `channel.prediction.begin` v1: outcomes carry no predictions yet. */
export const ChannelPredictionBeginEvent = z.looseObject({
  ...prediction,
  outcomes: z.array(PredictionOutcome),
  locks_at: Timestamp,
});
export type ChannelPredictionBeginEvent = z.infer<typeof ChannelPredictionBeginEvent>;

/** EventSub `channel.prediction.progress` v1. */
export const ChannelPredictionProgressEvent = z.looseObject({
  ...prediction,
  outcomes: z.array(CountedPredictionOutcome),
  locks_at: Timestamp,
});
export type ChannelPredictionProgressEvent = z.infer<typeof ChannelPredictionProgressEvent>;

/** EventSub `channel.prediction.lock` v1. */
export const ChannelPredictionLockEvent = z.looseObject({
  ...prediction,
  outcomes: z.array(CountedPredictionOutcome),
  locked_at: Timestamp,
});
export type ChannelPredictionLockEvent = z.infer<typeof ChannelPredictionLockEvent>;

/** EventSub `channel.prediction.end` v1. */
export const ChannelPredictionEndEvent = z.looseObject({
  ...prediction,
  outcomes: z.array(CountedPredictionOutcome),
  // null when the prediction was canceled
  winning_outcome_id: z.string().nullable(),
  // resolved, canceled
  status: z.string(),
  ended_at: Timestamp,
});
export type ChannelPredictionEndEvent = z.infer<typeof ChannelPredictionEndEvent>;

/** EventSub `channel.channel_points_custom_reward_redemption.add` v1. */
export const ChannelPointsRedemptionAddEvent = z.looseObject({
  id: z.string().min(1),
  ...broadcaster,
  ...user,
  user_input: z.string(),
  // unknown, unfulfilled, fulfilled, canceled
  status: z.string(),
  reward: z.looseObject({
    id: z.string().min(1),
    title: z.string(),
    cost: Count,
    prompt: z.string(),
  }),
  redeemed_at: Timestamp,
});
export type ChannelPointsRedemptionAddEvent = z.infer<typeof ChannelPointsRedemptionAddEvent>;

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

/** The `event` schema of every EventSub type the hub ingests, keyed by Twitch's type name. */
export const TWITCH_EVENT_SCHEMAS = {
  "channel.follow": ChannelFollowEvent,
  "channel.subscribe": ChannelSubscribeEvent,
  "channel.subscription.gift": ChannelSubscriptionGiftEvent,
  "channel.subscription.message": ChannelSubscriptionMessageEvent,
  "channel.cheer": ChannelCheerEvent,
  "channel.raid": ChannelRaidEvent,
  "channel.chat.message": ChannelChatMessageEvent,
  "channel.chat.message_delete": ChannelChatMessageDeleteEvent,
  "channel.chat.clear": ChannelChatClearEvent,
  "stream.online": StreamOnlineEvent,
  "stream.offline": StreamOfflineEvent,
  "channel.update": ChannelUpdateEvent,
  "channel.goal.begin": ChannelGoalBeginEvent,
  "channel.goal.progress": ChannelGoalProgressEvent,
  "channel.goal.end": ChannelGoalEndEvent,
  "channel.hype_train.begin": ChannelHypeTrainBeginEvent,
  "channel.hype_train.progress": ChannelHypeTrainProgressEvent,
  "channel.hype_train.end": ChannelHypeTrainEndEvent,
  "channel.poll.begin": ChannelPollBeginEvent,
  "channel.poll.progress": ChannelPollProgressEvent,
  "channel.poll.end": ChannelPollEndEvent,
  "channel.prediction.begin": ChannelPredictionBeginEvent,
  "channel.prediction.progress": ChannelPredictionProgressEvent,
  "channel.prediction.lock": ChannelPredictionLockEvent,
  "channel.prediction.end": ChannelPredictionEndEvent,
  "channel.channel_points_custom_reward_redemption.add": ChannelPointsRedemptionAddEvent,
  "channel.ad_break.begin": ChannelAdBreakBeginEvent,
} as const;
export type TwitchEventType = keyof typeof TWITCH_EVENT_SCHEMAS;

/**
 * The EventSub version each schema matches, for the integration's Create EventSub Subscription
 * calls. Hype trains validate as v1 or v2; v2 is asked for because Twitch deprecated v1.
 */
export const TWITCH_SUBSCRIPTION_VERSIONS: Readonly<Record<TwitchEventType, "1" | "2">> = {
  "channel.follow": "2",
  "channel.subscribe": "1",
  "channel.subscription.gift": "1",
  "channel.subscription.message": "1",
  "channel.cheer": "1",
  "channel.raid": "1",
  "channel.chat.message": "1",
  "channel.chat.message_delete": "1",
  "channel.chat.clear": "1",
  "stream.online": "1",
  "stream.offline": "1",
  "channel.update": "2",
  "channel.goal.begin": "1",
  "channel.goal.progress": "1",
  "channel.goal.end": "1",
  "channel.hype_train.begin": "2",
  "channel.hype_train.progress": "2",
  "channel.hype_train.end": "2",
  "channel.poll.begin": "1",
  "channel.poll.progress": "1",
  "channel.poll.end": "1",
  "channel.prediction.begin": "1",
  "channel.prediction.progress": "1",
  "channel.prediction.lock": "1",
  "channel.prediction.end": "1",
  "channel.channel_points_custom_reward_redemption.add": "1",
  "channel.ad_break.begin": "1",
};
