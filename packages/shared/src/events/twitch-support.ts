/** Twitch EventSub types for what viewers give a channel: follows, subs, bits, charity donations. */
import { z } from "zod";
import { Timestamp } from "./envelope";
import {
  broadcaster,
  Count,
  MoneyAmount,
  maybeAnonymousUser,
  Tier,
  UserId,
  user,
} from "./twitch-fields";

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

/** EventSub `channel.subscription.end` v1: a subscription ran out (Twitch sends it some time later). */
export const ChannelSubscriptionEndEvent = z.looseObject({
  ...user,
  ...broadcaster,
  tier: Tier,
  is_gift: z.boolean(),
});
export type ChannelSubscriptionEndEvent = z.infer<typeof ChannelSubscriptionEndEvent>;

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

// Twitch's reference names the campaign's broadcaster broadcaster_id/_login/_name in the charity
// examples, while live donations, and the Twitch CLI for every charity type, say
// broadcaster_user_id/… (twitchdev/issues#738: "broadcaster_user_id is correct"). Either set is
// taken; one of the two ids must be there.
const charityBroadcaster = {
  broadcaster_user_id: UserId.optional(),
  broadcaster_user_login: z.string().optional(),
  broadcaster_user_name: z.string().optional(),
  broadcaster_id: UserId.optional(),
  broadcaster_login: z.string().optional(),
  broadcaster_name: z.string().optional(),
};

function namesItsBroadcaster(event: {
  broadcaster_user_id?: string | undefined;
  broadcaster_id?: string | undefined;
}): boolean {
  return event.broadcaster_user_id !== undefined || event.broadcaster_id !== undefined;
}

const NAMES_BROADCASTER = {
  path: ["broadcaster_user_id"],
  message: "is required (broadcaster_user_id, or broadcaster_id as Twitch's reference names it)",
};

const charity = {
  charity_name: z.string(),
  charity_description: z.string(),
  // a 100×100 PNG
  charity_logo: z.string(),
  charity_website: z.string(),
};

/** EventSub `channel.charity_campaign.donate` v1: a viewer gave to the channel's charity campaign. */
export const ChannelCharityCampaignDonateEvent = z
  .looseObject({
    // the donation's id, unique across campaigns
    id: z.string().min(1),
    campaign_id: z.string().min(1),
    ...charityBroadcaster,
    ...user,
    ...charity,
    amount: MoneyAmount,
  })
  .refine(namesItsBroadcaster, NAMES_BROADCASTER);
export type ChannelCharityCampaignDonateEvent = z.infer<typeof ChannelCharityCampaignDonateEvent>;

/**
 * EventSub `channel.charity_campaign.progress` v1: the campaign's total or its target changed.
 * `id` is the campaign's.
 */
export const ChannelCharityCampaignProgressEvent = z
  .looseObject({
    id: z.string().min(1),
    ...charityBroadcaster,
    ...charity,
    current_amount: MoneyAmount,
    target_amount: MoneyAmount,
  })
  .refine(namesItsBroadcaster, NAMES_BROADCASTER);
export type ChannelCharityCampaignProgressEvent = z.infer<
  typeof ChannelCharityCampaignProgressEvent
>;
