import { describe, expect, it } from "bun:test";
import { TWITCH_EVENT_SCHEMAS, TWITCH_SUBSCRIPTION_VERSIONS, type TwitchEventType } from "./twitch";
import { TWITCH_CLI_SAMPLES, TWITCH_SAMPLES } from "./twitch.fixtures";

const TYPES = Object.keys(TWITCH_EVENT_SCHEMAS) as TwitchEventType[];

function issuesOf(type: TwitchEventType, data: unknown) {
  const result = TWITCH_EVENT_SCHEMAS[type].safeParse(data);
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("Twitch EventSub schemas", () => {
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
