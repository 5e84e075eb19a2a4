import { describe, expect, it } from "bun:test";
import { tierLabel } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { describeAlert, isBigMoment, stripCheermotes } from "./alerts";

const alert = (type: keyof typeof TWITCH_SAMPLES, extra: Record<string, unknown> = {}) =>
  describeAlert({
    kind: "alert",
    type,
    data: { ...(TWITCH_SAMPLES[type] as Record<string, unknown>), ...extra },
  });

describe("describeAlert", () => {
  it("names a follower", () => {
    expect(alert("channel.follow")).toMatchObject({
      accent: "follow",
      kicker: "New follower",
      name: "Cool_User",
    });
  });

  it("gives a new sub its tier", () => {
    expect(alert("channel.subscribe", { tier: "2000" })).toMatchObject({
      accent: "sub",
      name: "Cool_User",
      detail: "Tier 2",
    });
  });

  it("counts a resub's months and keeps the message", () => {
    expect(alert("channel.subscription.message")).toMatchObject({
      kicker: "Resubscribed",
      amount: "15",
      unit: "months",
      message: "Love the stream! FevziGG",
    });
  });

  it("mentions a resub's streak when there is one", () => {
    expect(alert("channel.subscription.message", { streak_months: 6 }).detail).toBe(
      "Tier 1 · 6 months in a row",
    );
  });

  it("counts gift subs, and hides an anonymous gifter's name", () => {
    expect(alert("channel.subscription.gift")).toMatchObject({
      accent: "gift",
      amount: "2",
      unit: "gift subs",
      detail: "Tier 1 · 284 gifted in total",
    });
    expect(
      alert("channel.subscription.gift", {
        is_anonymous: true,
        user_name: null,
        user_id: null,
        user_login: null,
      }).name,
    ).toBe("Anonymous");
  });

  it("makes a big cheer a huge cheer and strips the cheermotes from its message", () => {
    expect(alert("channel.cheer", { big: true, message: "Cheer1000 you rock" })).toMatchObject({
      accent: "cheer",
      kicker: "Huge cheer",
      amount: "1,000",
      unit: "bits",
      message: "you rock",
    });
    expect(alert("channel.cheer", { bits: 100 }).kicker).toBe("Cheer");
  });

  it("names the raiding channel and its raiders", () => {
    expect(alert("channel.raid")).toMatchObject({
      accent: "raid",
      name: "Cool_User",
      amount: "9,001",
      unit: "raiders",
    });
  });

  it("shows a redemption's reward title and input", () => {
    expect(alert("channel.channel_points_custom_reward_redemption.add")).toMatchObject({
      accent: "redeem",
      detail: "title",
      message: "pogchamp",
    });
  });

  it("still reads as something for a payload that does not fit", () => {
    expect(describeAlert({ kind: "alert", type: "channel.raid", data: {} })).toMatchObject({
      kicker: "Raid",
      name: "Someone",
    });
    expect(describeAlert({ kind: "alert", type: "custom.thing", data: {} }).kicker).toBe(
      "custom.thing",
    );
  });

  it("reads forced content's free-form fields", () => {
    expect(
      describeAlert({ kind: "forced", type: "announcement", data: { title: "Giveaway at 8!" } }),
    ).toMatchObject({ kicker: "announcement", name: "Giveaway at 8!" });
  });
});

describe("isBigMoment", () => {
  it("takes raids and big cheers to the full screen, and nothing smaller", () => {
    const moment = (type: string, data: Record<string, unknown> = {}, kind = "alert") =>
      isBigMoment({ kind: kind as "alert", type, data });
    expect(moment("channel.raid")).toBe(true);
    expect(moment("channel.cheer", { big: true })).toBe(true);
    expect(moment("channel.cheer", { bits: 100 })).toBe(false);
    expect(moment("channel.follow")).toBe(false);
    expect(moment("channel.subscription.gift")).toBe(false);
    expect(moment("channel.raid", {}, "forced")).toBe(false);
  });
});

describe("helpers", () => {
  it("names tiers", () => {
    expect([tierLabel("1000"), tierLabel("2000"), tierLabel("3000"), tierLabel(null)]).toEqual([
      "Tier 1",
      "Tier 2",
      "Tier 3",
      "Tier 1",
    ]);
  });

  it("strips cheermotes only", () => {
    expect(stripCheermotes("Cheer100 Kappa100 hi there")).toBe("hi there");
    expect(stripCheermotes("room 101 is ok")).toBe("room 101 is ok");
  });
});
