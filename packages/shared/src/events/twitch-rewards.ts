/** Twitch EventSub channel points types: custom rewards changing, and viewers redeeming them. */
import { z } from "zod";
import { Timestamp } from "./envelope";
import { broadcaster, Count, user } from "./twitch-fields";

const redemption = {
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
};

/** EventSub `channel.channel_points_custom_reward_redemption.add` v1. */
export const ChannelPointsRedemptionAddEvent = z.looseObject(redemption);
export type ChannelPointsRedemptionAddEvent = z.infer<typeof ChannelPointsRedemptionAddEvent>;

/**
 * EventSub `channel.channel_points_custom_reward_redemption.update` v1: the broadcaster or a
 * moderator fulfilled or canceled a redemption; `status` says which.
 */
export const ChannelPointsRedemptionUpdateEvent = z.looseObject(redemption);
export type ChannelPointsRedemptionUpdateEvent = z.infer<typeof ChannelPointsRedemptionUpdateEvent>;

const RewardImage = z.looseObject({
  url_1x: z.string(),
  url_2x: z.string(),
  url_4x: z.string(),
});

const RewardLimit = z.looseObject({
  is_enabled: z.boolean(),
  value: Count,
});

const reward = {
  id: z.string().min(1),
  ...broadcaster,
  is_enabled: z.boolean(),
  is_paused: z.boolean(),
  is_in_stock: z.boolean(),
  title: z.string(),
  cost: Count,
  prompt: z.string(),
  is_user_input_required: z.boolean(),
  should_redemptions_skip_request_queue: z.boolean(),
  // null when the reward is not cooling down
  cooldown_expires_at: Timestamp.nullable(),
  // null when the stream is offline or max_per_stream is off
  redemptions_redeemed_current_stream: Count.nullable(),
  max_per_stream: RewardLimit,
  max_per_user_per_stream: RewardLimit,
  global_cooldown: z.looseObject({
    is_enabled: z.boolean(),
    seconds: Count,
  }),
  // "#FA1ED2"
  background_color: z.string(),
  // null when the broadcaster uploaded no image; default_image is Twitch's
  image: RewardImage.nullable(),
  default_image: RewardImage,
};

/** EventSub `channel.channel_points_custom_reward.add` v1: the broadcaster created a reward. */
export const ChannelPointsRewardAddEvent = z.looseObject(reward);
export type ChannelPointsRewardAddEvent = z.infer<typeof ChannelPointsRewardAddEvent>;

/** EventSub `channel.channel_points_custom_reward.update` v1: the reward as it is now. */
export const ChannelPointsRewardUpdateEvent = z.looseObject(reward);
export type ChannelPointsRewardUpdateEvent = z.infer<typeof ChannelPointsRewardUpdateEvent>;

/** EventSub `channel.channel_points_custom_reward.remove` v1: the reward as it was. */
export const ChannelPointsRewardRemoveEvent = z.looseObject(reward);
export type ChannelPointsRewardRemoveEvent = z.infer<typeof ChannelPointsRewardRemoveEvent>;
