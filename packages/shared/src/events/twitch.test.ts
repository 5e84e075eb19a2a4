import { describe, expect, it } from "bun:test";
import { TWITCH_EVENT_SCHEMAS, TWITCH_SUBSCRIPTION_VERSIONS, type TwitchEventType } from "./twitch";
import { TWITCH_CLI_SAMPLES, TWITCH_SAMPLES } from "./twitch.fixtures";

const TYPES = Object.keys(TWITCH_EVENT_SCHEMAS) as TwitchEventType[];

function issuesOf(type: TwitchEventType, data: unknown) {
  const result = TWITCH_EVENT_SCHEMAS[type].safeParse(data);
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("Twitch EventSub schemas", () => {
  it("has Twitch's reference example of every type", () => {
    expect(Object.keys(TWITCH_SAMPLES).sort()).toEqual([...TYPES].sort());
  });

  it.each(TYPES)("accepts Twitch's reference example of %s", (type) => {
    expect(issuesOf(type, TWITCH_SAMPLES[type])).toEqual([]);
  });

  it.each(Object.entries(TWITCH_CLI_SAMPLES))(
    "accepts %s as the Twitch CLI triggers it",
    (type, samples) => {
      for (const sample of samples ?? [])
        expect(issuesOf(type as TwitchEventType, sample)).toEqual([]);
    },
  );

  it("asks for the EventSub version each schema matches", () => {
    expect(Object.keys(TWITCH_SUBSCRIPTION_VERSIONS).sort()).toEqual([...TYPES].sort());
    expect(TWITCH_SUBSCRIPTION_VERSIONS["channel.follow"]).toBe("2");
    expect(TWITCH_SUBSCRIPTION_VERSIONS["channel.update"]).toBe("2");
    expect(TWITCH_SUBSCRIPTION_VERSIONS["channel.chat.notification"]).toBe("1");
    expect(TWITCH_SUBSCRIPTION_VERSIONS["user.update"]).toBe("1");
  });

  it("keeps fields Twitch adds later, at the top and nested", () => {
    const data = {
      ...TWITCH_SAMPLES["channel.chat.message"],
      brand_new_field: { nested: true },
      message: { ...TWITCH_SAMPLES["channel.chat.message"].message, sentiment: "happy" },
    };
    const parsed = TWITCH_EVENT_SCHEMAS["channel.chat.message"].parse(data);
    expect(parsed).toEqual(data);
    expect(parsed).toHaveProperty("brand_new_field", { nested: true });
    expect(parsed.message).toHaveProperty("sentiment", "happy");
  });

  it("accepts anonymous gifts and cheers with null users", () => {
    const gift = {
      ...TWITCH_SAMPLES["channel.subscription.gift"],
      user_id: null,
      user_login: null,
      user_name: null,
      cumulative_total: null,
      is_anonymous: true,
    };
    const cheer = {
      ...TWITCH_SAMPLES["channel.cheer"],
      user_id: null,
      user_login: null,
      user_name: null,
      is_anonymous: true,
    };
    expect(issuesOf("channel.subscription.gift", gift)).toEqual([]);
    expect(issuesOf("channel.cheer", cheer)).toEqual([]);
  });

  it("refuses a null user where Twitch always names one", () => {
    expect(
      issuesOf("channel.follow", { ...TWITCH_SAMPLES["channel.follow"], user_id: null }),
    ).toEqual(["user_id"]);
    expect(
      issuesOf("channel.chat.message", {
        ...TWITCH_SAMPLES["channel.chat.message"],
        chatter_user_id: "",
      }),
    ).toEqual(["chatter_user_id"]);
  });

  it("takes null where Twitch sends it: unshared streaks, canceled predictions, plain chat", () => {
    expect(
      issuesOf("channel.subscription.message", {
        ...TWITCH_SAMPLES["channel.subscription.message"],
        streak_months: null,
        message: { text: "", emotes: null },
      }),
    ).toEqual([]);
    expect(
      issuesOf("channel.prediction.end", {
        ...TWITCH_SAMPLES["channel.prediction.end"],
        winning_outcome_id: null,
        status: "canceled",
      }),
    ).toEqual([]);
    expect(
      issuesOf("channel.chat.message", {
        ...TWITCH_SAMPLES["channel.chat.message"],
        cheer: null,
        reply: null,
        color: "",
      }),
    ).toEqual([]);
  });

  it("accepts chat messages recorded before shared chat existed", () => {
    const {
      source_broadcaster_user_id: _1,
      source_broadcaster_user_login: _2,
      source_broadcaster_user_name: _3,
      source_message_id: _4,
      source_badges: _5,
      is_source_only: _6,
      ...before
    } = TWITCH_SAMPLES["channel.chat.message"];
    expect(issuesOf("channel.chat.message", before)).toEqual([]);
  });

  it("accepts chat replies with the thread they belong to", () => {
    const reply = {
      parent_message_id: "a1",
      parent_message_body: "first!",
      parent_user_id: "7",
      parent_user_name: "Seven",
      parent_user_login: "seven",
      thread_message_id: "a1",
      thread_user_id: "7",
      thread_user_name: "Seven",
      thread_user_login: "seven",
    };
    expect(
      issuesOf("channel.chat.message", { ...TWITCH_SAMPLES["channel.chat.message"], reply }),
    ).toEqual([]);
    const { thread_user_login: _, ...brokenReply } = reply;
    expect(
      issuesOf("channel.chat.message", {
        ...TWITCH_SAMPLES["channel.chat.message"],
        reply: brokenReply,
      }),
    ).toEqual(["reply.thread_user_login"]);
  });

  it("names the nested field that is wrong", () => {
    const chat = TWITCH_SAMPLES["channel.chat.message"];
    const fragments = chat.message.fragments.map((fragment, index) =>
      index === 1
        ? { ...fragment, cheermote: { prefix: "cheer", bits: "100", tier: 100 } }
        : fragment,
    );
    expect(
      issuesOf("channel.chat.message", { ...chat, message: { ...chat.message, fragments } }),
    ).toEqual(["message.fragments.1.cheermote.bits"]);
    const redemption = TWITCH_SAMPLES["channel.channel_points_custom_reward_redemption.add"];
    expect(
      issuesOf("channel.channel_points_custom_reward_redemption.add", {
        ...redemption,
        reward: { ...redemption.reward, cost: -5 },
      }),
    ).toEqual(["reward.cost"]);
  });

  it("refuses tiers other than 1000, 2000 and 3000", () => {
    expect(
      issuesOf("channel.subscribe", { ...TWITCH_SAMPLES["channel.subscribe"], tier: "4000" }),
    ).toEqual(["tier"]);
    expect(
      issuesOf("channel.subscribe", { ...TWITCH_SAMPLES["channel.subscribe"], tier: 1000 }),
    ).toEqual(["tier"]);
  });

  it("refuses timestamps that are not RFC 3339", () => {
    expect(
      issuesOf("channel.follow", { ...TWITCH_SAMPLES["channel.follow"], followed_at: "yesterday" }),
    ).toEqual(["followed_at"]);
  });

  it("takes hype trains in v1 form too, with last_contribution and null top contributions", () => {
    const {
      type: _1,
      is_shared_train: _2,
      shared_train_participants: _3,
      ...v1
    } = TWITCH_SAMPLES["channel.hype_train.begin"];
    const begin = {
      ...v1,
      top_contributions: null,
      last_contribution: { user_id: "1", user_login: "a", user_name: "A", type: "bits", total: 5 },
      is_golden_kappa_train: false,
    };
    expect(issuesOf("channel.hype_train.begin", begin)).toEqual([]);
  });

  it("requires vote counts on poll choices once the poll is running", () => {
    const begin = TWITCH_SAMPLES["channel.poll.begin"];
    expect(issuesOf("channel.poll.progress", { ...begin })).toEqual([
      "choices.0.bits_votes",
      "choices.0.channel_points_votes",
      "choices.0.votes",
      "choices.1.bits_votes",
      "choices.1.channel_points_votes",
      "choices.1.votes",
      "choices.2.bits_votes",
      "choices.2.channel_points_votes",
      "choices.2.votes",
    ]);
  });
});

describe("channel.chat.notification", () => {
  const resub = TWITCH_SAMPLES["channel.chat.notification"];
  const nulls = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, null]));
  const NOTICES = [
    "sub",
    "resub",
    "sub_gift",
    "community_sub_gift",
    "gift_paid_upgrade",
    "prime_paid_upgrade",
    "pay_it_forward",
    "raid",
    "unraid",
    "announcement",
    "bits_badge_tier",
    "charity_donation",
  ];

  it("accepts an anonymous community gift, whose chatter is null", () => {
    const gift = {
      ...resub,
      chatter_user_id: null,
      chatter_user_login: null,
      chatter_user_name: null,
      chatter_is_anonymous: true,
      system_message: "An anonymous user is gifting 1 Tier 1 Subs to Cool_User's community!",
      notice_type: "community_sub_gift",
      resub: null,
      community_sub_gift: {
        id: "12111455614691086753",
        total: 1,
        cumulative_total: null,
        sub_tier: "1000",
      },
    };
    expect(issuesOf("channel.chat.notification", gift)).toEqual([]);
  });

  it("accepts notices recorded before shared chat, with no shared_chat_* or source fields", () => {
    const before = {
      ...Object.fromEntries(
        Object.entries(resub).filter(
          ([key]) => !key.startsWith("shared_chat_") && !key.startsWith("source_"),
        ),
      ),
    };
    expect(Object.keys(before)).not.toContain("shared_chat_resub");
    expect(issuesOf("channel.chat.notification", before)).toEqual([]);
  });

  it("takes every documented notice and a notice type Twitch adds later", () => {
    const notices: Record<string, unknown> = {
      sub: { sub_tier: "2000", is_prime: false, duration_months: 1 },
      raid: {
        user_id: "1",
        user_name: "Raider",
        user_login: "raider",
        viewer_count: 42,
        profile_image_url: "https://example.com/raider.png",
      },
      unraid: {},
      announcement: { color: "PRIMARY" },
      bits_badge_tier: { tier: 1000 },
      charity_donation: {
        charity_name: "Example name",
        amount: { value: 500, decimal_places: 2, currency: "USD" },
      },
      gift_paid_upgrade: {
        gifter_is_anonymous: false,
        gifter_user_id: "2",
        gifter_user_name: "Gifter",
        gifter_user_login: "gifter",
      },
      watch_streak: { streak_count: 5, channel_points_awarded: 350 },
    };
    for (const [notice_type, notice] of Object.entries(notices)) {
      const data = { ...resub, ...nulls(NOTICES), notice_type, [notice_type]: notice };
      expect([notice_type, issuesOf("channel.chat.notification", data)]).toEqual([notice_type, []]);
    }
  });

  it("requires every first-release notice key, null when it is not the notice", () => {
    const { unraid: _, ...withoutUnraid } = resub;
    expect(issuesOf("channel.chat.notification", withoutUnraid)).toEqual(["unraid"]);
  });

  it("names a wrong field inside a notice", () => {
    const wrong = { ...resub, resub: { ...resub.resub, sub_tier: "4000" } };
    expect(issuesOf("channel.chat.notification", wrong)).toEqual(["resub.sub_tier"]);
    const sharedResub = {
      ...resub,
      notice_type: "shared_chat_resub",
      resub: null,
      shared_chat_resub: { ...resub.resub, cumulative_months: -1 },
    };
    expect(issuesOf("channel.chat.notification", sharedResub)).toEqual([
      "shared_chat_resub.cumulative_months",
    ]);
  });
});

describe("the other types Twitch added to the catalogue", () => {
  it("takes a charity campaign's broadcaster by either name Twitch uses, and requires one", () => {
    const progress = TWITCH_SAMPLES["channel.charity_campaign.progress"];
    const { broadcaster_id, broadcaster_login, broadcaster_name, ...nameless } = progress;
    const live = {
      ...nameless,
      broadcaster_user_id: broadcaster_id,
      broadcaster_user_login: broadcaster_login,
      broadcaster_user_name: broadcaster_name,
    };
    expect(issuesOf("channel.charity_campaign.progress", live)).toEqual([]);
    expect(issuesOf("channel.charity_campaign.progress", nameless)).toEqual([
      "broadcaster_user_id",
    ]);
    const { broadcaster_user_id: _, ...broadcasterless } =
      TWITCH_SAMPLES["channel.charity_campaign.donate"];
    expect(issuesOf("channel.charity_campaign.donate", broadcasterless)).toEqual([
      "broadcaster_user_id",
    ]);
  });

  it("counts money as Twitch does, in whole minor units", () => {
    const donation = TWITCH_SAMPLES["channel.charity_campaign.donate"];
    expect(
      issuesOf("channel.charity_campaign.donate", {
        ...donation,
        amount: { ...donation.amount, value: 100.5 },
      }),
    ).toEqual(["amount.value"]);
  });

  it("takes a reward without an uploaded image, but not without Twitch's default one", () => {
    const reward = TWITCH_SAMPLES["channel.channel_points_custom_reward.add"];
    expect(
      issuesOf("channel.channel_points_custom_reward.add", { ...reward, image: null }),
    ).toEqual([]);
    const { default_image: _, ...imageless } = reward;
    expect(issuesOf("channel.channel_points_custom_reward.update", imageless)).toEqual([
      "default_image",
    ]);
  });

  it("takes chat settings with the modes' durations null when the modes are off", () => {
    expect(
      issuesOf("channel.chat_settings.update", {
        ...TWITCH_SAMPLES["channel.chat_settings.update"],
        slow_mode: false,
        slow_mode_wait_time_seconds: null,
        follower_mode: true,
        follower_mode_duration_minutes: 0,
      }),
    ).toEqual([]);
  });

  it("takes a user update without the e-mail the hub has no scope for", () => {
    const { email: _1, email_verified: _2, ...update } = TWITCH_SAMPLES["user.update"];
    expect(issuesOf("user.update", update)).toEqual([]);
  });
});
