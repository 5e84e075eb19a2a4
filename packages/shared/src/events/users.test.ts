import { describe, expect, it } from "bun:test";
import { EVENT_TYPES } from "./catalogue";
import { HUB_SAMPLES } from "./hub.fixtures";
import { IRONMON_SAMPLES } from "./ironmon.fixtures";
import { TWITCH_CLI_SAMPLES, TWITCH_SAMPLES } from "./twitch.fixtures";
import { userOf } from "./users";

const SAMPLES: Record<string, unknown> = { ...TWITCH_SAMPLES, ...HUB_SAMPLES, ...IRONMON_SAMPLES };

describe("userOf", () => {
  it.each([
    ["channel.follow", "1234", "cool_user"],
    ["channel.subscribe", "1234", "cool_user"],
    ["channel.subscription.message", "1234", "cool_user"],
    ["channel.subscription.gift", "1234", "cool_user"],
    ["channel.cheer", "1234", "cool_user"],
    ["channel.channel_points_custom_reward_redemption.add", "1234", "cool_user"],
    ["channel.chat.message", "4145994", "viptwitch"],
    ["channel.raid", "1234", "cool_user"],
    ["channel.ad_break.begin", "1337", "cool_user"],
    ["channel.subscription.end", "1234", "cool_user"],
    ["channel.chat.notification", "49912639", "viewer23"],
    ["channel.channel_points_custom_reward_redemption.update", "9001", "cooler_user"],
    ["channel.charity_campaign.donate", "654321", "generoususer1"],
    ["channel.shoutout.receive", "12345", "simplysimple"],
    ["channel.shoutout.create", "98765", "particularlyparticular123"],
  ])("reads the acting user of %s", (type, user_id, user_login) => {
    expect(userOf(type, SAMPLES[type])).toEqual({ user_id, user_login });
  });

  it("finds no user in anonymous gifts and cheers, as Twitch or the CLI sends them", () => {
    const anonymous = { user_id: null, user_login: null, user_name: null, is_anonymous: true };
    expect(
      userOf("channel.cheer", { ...TWITCH_SAMPLES["channel.cheer"], ...anonymous }),
    ).toBeNull();
    expect(
      userOf("channel.subscription.gift", {
        ...TWITCH_SAMPLES["channel.subscription.gift"],
        ...anonymous,
      }),
    ).toBeNull();
    const [, cliCheer] = TWITCH_CLI_SAMPLES["channel.cheer"]!;
    const [, cliGift] = TWITCH_CLI_SAMPLES["channel.subscription.gift"]!;
    expect(userOf("channel.cheer", cliCheer)).toBeNull();
    expect(userOf("channel.subscription.gift", cliGift)).toBeNull();
  });

  it("finds no user in a chat notice from an anonymous gifter", () => {
    const notice = {
      ...TWITCH_SAMPLES["channel.chat.notification"],
      chatter_user_id: null,
      chatter_user_login: null,
      chatter_user_name: null,
      chatter_is_anonymous: true,
    };
    expect(userOf("channel.chat.notification", notice)).toBeNull();
    // the flag decides, even where a placeholder gifter is named
    expect(
      userOf("channel.chat.notification", {
        ...notice,
        chatter_user_id: "274598607",
        chatter_user_login: "ananonymousgifter",
      }),
    ).toBeNull();
  });

  it("finds no acting user in the broadcaster's, Twitch's or moderators' events", () => {
    const actorless = EVENT_TYPES.filter((type) => userOf(type, SAMPLES[type]) === null);
    expect(actorless).toContain("channel.chat.message_delete");
    expect(actorless).toContain("channel.chat.clear");
    expect(actorless).toContain("stream.online");
    expect(actorless).toContain("channel.update");
    expect(actorless).toContain("channel.poll.begin");
    expect(actorless).toContain("channel.hype_train.begin");
    expect(actorless).toContain("obs.scene.changed");
    expect(actorless).toContain("system.error");
    for (const type of [
      "channel.chat.clear_user_messages",
      "channel.chat_settings.update",
      "channel.channel_points_custom_reward.add",
      "channel.charity_campaign.progress",
      "channel.vip.add",
      "channel.vip.remove",
      "user.update",
    ])
      expect<string[]>(actorless).toContain(type);
    expect(EVENT_TYPES.length - actorless.length).toBe(15);
  });

  it("reads user_id and user_login from free-form events that carry them", () => {
    const data = { user_id: "77", user_login: "speedrunner", split: 4 };
    expect(userOf("custom.quiz.answer", data)).toEqual({
      user_id: "77",
      user_login: "speedrunner",
    });
    expect(userOf("tcp.message", data)).toEqual({ user_id: "77", user_login: "speedrunner" });
    expect(userOf("custom.counter", 42)).toBeNull();
    expect(userOf("custom.list", [data])).toBeNull();
  });

  it("finds no user in data that is malformed", () => {
    expect(userOf("channel.follow", null)).toBeNull();
    expect(userOf("channel.follow", { user_id: 1234, user_login: "cool_user" })).toBeNull();
    expect(userOf("channel.follow", { user_id: "1234" })).toBeNull();
    expect(userOf("channel.follow", { user_id: "", user_login: "" })).toBeNull();
  });
});
