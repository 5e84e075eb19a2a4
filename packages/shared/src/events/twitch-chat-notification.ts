/** Twitch EventSub `channel.chat.notification`: the notices Twitch shows in chat (subs, raids, …). */
import { z } from "zod";
import { ChatBadge, ChatMessage, sharedChatSource } from "./twitch-chat";
import { broadcaster, Count, MoneyAmount, Tier } from "./twitch-fields";

// One notice object per notice_type, all null but the one `notice_type` names. Their inner fields
// are typed but none is required: Twitch's own examples disagree with its tables (`sub_plan` for
// `sub_tier`, twitchdev/issues#1039; resubs without `is_prime`), and notice types and fields keep
// arriving undocumented. A reader falls back on `system_message`, which every notice carries.

const gifter = {
  // null where the notice is not a gift
  gifter_is_anonymous: z.boolean().nullable().optional(),
  gifter_user_id: z.string().nullable().optional(),
  gifter_user_name: z.string().nullable().optional(),
  gifter_user_login: z.string().nullable().optional(),
};

const SubNotice = z.looseObject({
  sub_tier: Tier.optional(),
  is_prime: z.boolean().optional(),
  duration_months: Count.optional(),
});

const ResubNotice = z.looseObject({
  cumulative_months: Count.optional(),
  duration_months: Count.optional(),
  // null when the subscriber chose not to share their streak
  streak_months: Count.nullable().optional(),
  sub_tier: Tier.optional(),
  is_prime: z.boolean().optional(),
  is_gift: z.boolean().optional(),
  ...gifter,
});

const SubGiftNotice = z.looseObject({
  duration_months: Count.optional(),
  // null when the gifter is anonymous
  cumulative_total: Count.nullable().optional(),
  recipient_user_id: z.string().optional(),
  recipient_user_name: z.string().optional(),
  recipient_user_login: z.string().optional(),
  sub_tier: Tier.optional(),
  // null unless the gift is one of a community gift's
  community_gift_id: z.string().nullable().optional(),
});

const CommunitySubGiftNotice = z.looseObject({
  id: z.string().optional(),
  total: Count.optional(),
  sub_tier: Tier.optional(),
  cumulative_total: Count.nullable().optional(),
});

const GiftPaidUpgradeNotice = z.looseObject({ ...gifter });

const PrimePaidUpgradeNotice = z.looseObject({ sub_tier: Tier.optional() });

const RaidNotice = z.looseObject({
  user_id: z.string().optional(),
  user_name: z.string().optional(),
  user_login: z.string().optional(),
  viewer_count: Count.optional(),
  profile_image_url: z.string().optional(),
});

// Twitch documents no fields for an unraid
const UnraidNotice = z.looseObject({});

const PayItForwardNotice = z.looseObject({ ...gifter });

const AnnouncementNotice = z.looseObject({
  // BLUE, PURPLE, GREEN, ORANGE, PRIMARY (Twitch's case varies)
  color: z.string().optional(),
});

const BitsBadgeTierNotice = z.looseObject({ tier: Count.optional() });

const CharityDonationNotice = z.looseObject({
  charity_name: z.string().optional(),
  amount: MoneyAmount.optional(),
});

/**
 * EventSub `channel.chat.notification` v1. `notice_type` (open: sub, resub, sub_gift,
 * community_sub_gift, gift_paid_upgrade, prime_paid_upgrade, raid, unraid, pay_it_forward,
 * announcement, bits_badge_tier, charity_donation, and shared_chat_* for a shared session) says
 * which notice object is set.
 */
export const ChannelChatNotificationEvent = z.looseObject({
  ...broadcaster,
  // null for an anonymous gifter (chatter_is_anonymous)
  chatter_user_id: z.string().nullable(),
  chatter_user_login: z.string().nullable(),
  chatter_user_name: z.string().nullable(),
  chatter_is_anonymous: z.boolean(),
  // "" when the chatter never picked a colour, or is anonymous
  color: z.string(),
  badges: z.array(ChatBadge),
  system_message: z.string(),
  message_id: z.string().min(1),
  // what the chatter added, "" and no fragments when nothing
  message: ChatMessage,
  notice_type: z.string(),
  sub: SubNotice.nullable(),
  resub: ResubNotice.nullable(),
  sub_gift: SubGiftNotice.nullable(),
  community_sub_gift: CommunitySubGiftNotice.nullable(),
  gift_paid_upgrade: GiftPaidUpgradeNotice.nullable(),
  prime_paid_upgrade: PrimePaidUpgradeNotice.nullable(),
  raid: RaidNotice.nullable(),
  unraid: UnraidNotice.nullable(),
  pay_it_forward: PayItForwardNotice.nullable(),
  announcement: AnnouncementNotice.nullable(),
  bits_badge_tier: BitsBadgeTierNotice.nullable(),
  charity_donation: CharityDonationNotice.nullable(),
  // Shared chat (2024) came after v1: the source fields and a shared_chat_* twin of each notice
  // that can happen in another channel of the session.
  ...sharedChatSource,
  shared_chat_sub: SubNotice.nullable().optional(),
  shared_chat_resub: ResubNotice.nullable().optional(),
  shared_chat_sub_gift: SubGiftNotice.nullable().optional(),
  shared_chat_community_sub_gift: CommunitySubGiftNotice.nullable().optional(),
  shared_chat_gift_paid_upgrade: GiftPaidUpgradeNotice.nullable().optional(),
  shared_chat_prime_paid_upgrade: PrimePaidUpgradeNotice.nullable().optional(),
  shared_chat_raid: RaidNotice.nullable().optional(),
  shared_chat_pay_it_forward: PayItForwardNotice.nullable().optional(),
  shared_chat_announcement: AnnouncementNotice.nullable().optional(),
});
export type ChannelChatNotificationEvent = z.infer<typeof ChannelChatNotificationEvent>;
