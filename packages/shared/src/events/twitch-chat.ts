/** Twitch EventSub chat types: messages, moderators clearing them, and the room's settings. */
import { z } from "zod";
import { broadcaster, Count, UserId } from "./twitch-fields";

export const ChatBadge = z.looseObject({
  set_id: z.string(),
  id: z.string(),
  info: z.string(),
});

/** One piece of a chat message; `type` says which of cheermote/emote/mention is set. */
export const ChatMessageFragment = z.looseObject({
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

export const ChatMessage = z.looseObject({
  text: z.string(),
  fragments: z.array(ChatMessageFragment),
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

/** Shared chat (2024): null outside a shared session, absent from payloads recorded before it. */
export const sharedChatSource = {
  source_broadcaster_user_id: z.string().nullable().optional(),
  source_broadcaster_user_login: z.string().nullable().optional(),
  source_broadcaster_user_name: z.string().nullable().optional(),
  source_message_id: z.string().nullable().optional(),
  source_badges: z.array(ChatBadge).nullable().optional(),
  is_source_only: z.boolean().nullable().optional(),
};

/** EventSub `channel.chat.message` v1. */
export const ChannelChatMessageEvent = z.looseObject({
  ...broadcaster,
  chatter_user_id: UserId,
  chatter_user_login: z.string(),
  chatter_user_name: z.string(),
  message_id: z.string().min(1),
  message: ChatMessage,
  message_type: z.string(),
  badges: z.array(ChatBadge),
  cheer: z.looseObject({ bits: z.int().positive() }).nullable(),
  // "" when the chatter never picked a colour
  color: z.string(),
  reply: ChatReply.nullable(),
  channel_points_custom_reward_id: z.string().nullable(),
  ...sharedChatSource,
  // Power-ups (2025) came after v1 too
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

/**
 * EventSub `channel.chat.clear_user_messages` v1: a moderator or bot removed every message of one
 * user, who was banned or timed out.
 */
export const ChannelChatClearUserMessagesEvent = z.looseObject({
  ...broadcaster,
  target_user_id: UserId,
  target_user_name: z.string(),
  target_user_login: z.string(),
});
export type ChannelChatClearUserMessagesEvent = z.infer<typeof ChannelChatClearUserMessagesEvent>;

/** EventSub `channel.chat_settings.update` v1: the room's modes, as they are now. */
export const ChannelChatSettingsUpdateEvent = z.looseObject({
  ...broadcaster,
  emote_mode: z.boolean(),
  follower_mode: z.boolean(),
  // null unless follower_mode is on
  follower_mode_duration_minutes: Count.nullable(),
  slow_mode: z.boolean(),
  // null unless slow_mode is on
  slow_mode_wait_time_seconds: Count.nullable(),
  subscriber_mode: z.boolean(),
  unique_chat_mode: z.boolean(),
});
export type ChannelChatSettingsUpdateEvent = z.infer<typeof ChannelChatSettingsUpdateEvent>;
