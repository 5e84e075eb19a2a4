/** The Twitch-shaped event a filled-in form stands for, on the samples of `fixtures/twitch`. */
import type { EventInput } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { chatFragments } from "./chat-fragments";
import { numberOf, type SimulatorForm } from "./form";
import { ANONYMOUS, loginOf, viewer } from "./viewers";

export interface BuildContext {
  /** Epoch ms. */
  now: number;
  /** A fresh unique id (chat message ids, stream ids). */
  newId: () => string;
}

/** The event the form stands for, sent by (or for) the viewer with this display name. */
export function eventFor(
  form: SimulatorForm,
  name: string,
  { now, newId }: BuildContext,
): EventInput {
  const ts = new Date(now).toISOString();
  const base = { source: "dashboard" as const, ts };
  switch (form.kind) {
    case "follow":
      return {
        ...base,
        type: "channel.follow",
        data: { ...TWITCH_SAMPLES["channel.follow"], ...viewer(name), followed_at: ts },
      };
    case "sub":
      return {
        ...base,
        type: "channel.subscribe",
        data: {
          ...TWITCH_SAMPLES["channel.subscribe"],
          ...viewer(name),
          tier: form.tier,
          is_gift: false,
        },
      };
    case "gift":
      return {
        ...base,
        type: "channel.subscription.gift",
        data: {
          ...TWITCH_SAMPLES["channel.subscription.gift"],
          ...(form.anonymous ? ANONYMOUS : viewer(name)),
          is_anonymous: form.anonymous,
          total: numberOf(form.count),
          tier: form.tier,
          cumulative_total: null,
        },
      };
    case "cheer":
      return {
        ...base,
        type: "channel.cheer",
        data: {
          ...TWITCH_SAMPLES["channel.cheer"],
          ...(form.anonymous ? ANONYMOUS : viewer(name)),
          is_anonymous: form.anonymous,
          bits: numberOf(form.bits),
          message: form.message,
        },
      };
    case "raid": {
      const raider = viewer(name);
      return {
        ...base,
        type: "channel.raid",
        data: {
          ...TWITCH_SAMPLES["channel.raid"],
          from_broadcaster_user_id: raider.user_id,
          from_broadcaster_user_login: raider.user_login,
          from_broadcaster_user_name: raider.user_name,
          viewers: numberOf(form.viewers),
        },
      };
    }
    case "redemption": {
      const sample = TWITCH_SAMPLES["channel.channel_points_custom_reward_redemption.add"];
      return {
        ...base,
        type: "channel.channel_points_custom_reward_redemption.add",
        data: {
          ...sample,
          ...viewer(name),
          id: newId(),
          user_input: form.message,
          status: "unfulfilled",
          reward: {
            ...sample.reward,
            id: `sim-${loginOf(form.reward) || "reward"}`,
            title: form.reward.trim(),
            cost: numberOf(form.cost),
          },
          redeemed_at: ts,
        },
      };
    }
    case "chat": {
      const chatter = viewer(name);
      return {
        ...base,
        type: "channel.chat.message",
        data: {
          ...TWITCH_SAMPLES["channel.chat.message"],
          chatter_user_id: chatter.user_id,
          chatter_user_login: chatter.user_login,
          chatter_user_name: chatter.user_name,
          message_id: newId(),
          message: { text: form.message, fragments: chatFragments(form.message, form.emotes) },
          badges: [],
          cheer: null,
          color: "",
          reply: null,
        },
      };
    }
    case "online":
      return {
        ...base,
        type: "stream.online",
        data: { ...TWITCH_SAMPLES["stream.online"], id: newId(), type: "live", started_at: ts },
      };
    case "offline":
      return { ...base, type: "stream.offline", data: { ...TWITCH_SAMPLES["stream.offline"] } };
  }
}
