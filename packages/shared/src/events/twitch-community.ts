/** Twitch EventSub types the channel runs with its community: goals, hype trains, polls, predictions. */
import { z } from "zod";
import { Timestamp } from "./envelope";
import { broadcaster, Count, user } from "./twitch-fields";

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
