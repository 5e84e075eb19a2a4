/** The reducer's timeline and ticker. */
import { describe, expect, it } from "bun:test";
import type { LayerContent } from "@landale/shared";
import { iso, SECOND, StreamDriver, T0 } from "../../test/support/stream";
import { TICKER_ITEMS } from "./config";

const types = (items: readonly { type: string }[]) => items.map((item) => item.type);

describe("timeline", () => {
  it("holds the timeline for a while after the last interaction, then gives the ticker its turn", () => {
    const stream = new StreamDriver();
    stream.event("channel.follow", { user_name: "fan1" });
    stream.at(10 * SECOND);
    stream.event("channel.follow", { user_name: "fan2" });
    stream.at(29 * SECOND).tick();
    expect(stream.midground?.kind).toBe("timeline");
    stream.at(30 * SECOND).tick();
    expect(stream.midground).toBeNull();
    stream.at(31 * SECOND);
    stream.event("channel.follow", { user_name: "fan3" });
    expect(stream.midground).toMatchObject({
      kind: "timeline",
      expires_at: iso(stream.now + 20 * SECOND),
    });
  });

  it("shows the latest interactions newest first on the midground when no train runs", () => {
    const stream = new StreamDriver({ config: { timelineSize: 4 } });
    expect(stream.midground).toBeNull();
    stream.event("channel.follow", { user_name: "fan1" });
    stream.event("channel.follow", { user_name: "fan2" });
    stream.at(1 * SECOND);
    stream.event("channel.cheer", { user_name: "bitsy", bits: 250 });
    stream.event("channel.raid", { from_broadcaster_user_name: "Raider", viewers: 42 });
    stream.event("channel.channel_points_custom_reward_redemption.add", {
      user_name: "thirsty",
      reward: { id: "r1", title: "Hydrate", cost: 100, prompt: "drink water" },
    });

    expect(stream.midground).toMatchObject({
      id: "timeline",
      kind: "timeline",
      expires_at: iso(stream.now + 20 * SECOND),
      started_at: iso(stream.now),
    });
    const items = stream.midground?.data.items as { user_name: string; summary: string }[];
    expect(items.map((item) => `${item.user_name} ${item.summary}`)).toEqual([
      "thirsty redeemed Hydrate",
      "Raider raided with 42 viewers",
      "bitsy cheered 250 bits",
      "fan2 followed",
    ]);
  });

  it("names an anonymous cheerer Anonymous", () => {
    const stream = new StreamDriver();
    stream.event("channel.cheer", {
      is_anonymous: true,
      user_id: null,
      user_login: null,
      user_name: null,
      bits: 5,
    });
    expect(stream.midground?.data.items).toMatchObject([
      { user_name: "Anonymous", summary: "cheered 5 bits" },
    ]);
  });

  it("leaves chat out of the timeline and changes nothing clients see for a chat message", () => {
    const stream = new StreamDriver();
    stream.event("channel.follow");
    const before = stream.stream;
    const result = stream.event("channel.chat.message");

    expect(result.changed).toBe(false);
    expect(stream.stream).toEqual(before);
  });
});

describe("ticker", () => {
  it("rotates the show's items on the background every 15 s", () => {
    const stream = new StreamDriver();
    const seen: (LayerContent | null)[] = [stream.background];
    for (let i = 0; i < 4; i++) {
      stream.at((i + 1) * 15 * SECOND - 1);
      expect(stream.tick().changed).toBe(false);
      stream.at((i + 1) * 15 * SECOND);
      expect(stream.tick().changed).toBe(true);
      seen.push(stream.background);
    }

    // `now_playing` stays out of the rotation while the streamer is not tuned in.
    expect(stream.stream.ticker.items).toEqual([...TICKER_ITEMS]);
    expect(types(seen.filter((item) => item !== null))).toEqual([
      "ticker.recent_follows",
      "ticker.daily_counts",
      "ticker.goals",
      "ticker.top_emotes",
      "ticker.recent_follows",
    ]);
    for (const [i, item] of seen.entries()) {
      expect(item).toMatchObject({
        kind: "ticker",
        started_at: iso(T0 + i * 15 * SECOND),
        expires_at: iso(T0 + (i + 1) * 15 * SECOND),
      });
    }
    expect(stream.stream.ticker).toMatchObject({ index: 0, next_at: iso(T0 + 75 * SECOND) });
  });

  it("skips the turns a late tick missed", () => {
    const stream = new StreamDriver();
    stream.at(47 * SECOND).tick();
    expect(stream.stream.ticker).toMatchObject({ index: 3, next_at: iso(T0 + 62 * SECOND) });
    expect(stream.background?.type).toBe("ticker.top_emotes");
  });

  it("shows today's figures: follows, counts, goals and top emotes", () => {
    const stream = new StreamDriver().at(1 * SECOND);
    stream.event("channel.follow", { user_name: "first" });
    stream.event("channel.follow", { user_name: "second" });
    stream.event("channel.subscribe");
    stream.event("channel.subscribe", { is_gift: true });
    stream.event("channel.subscription.message");
    stream.event("channel.subscription.gift", { total: 4 });
    stream.event("channel.cheer", { bits: 300 });
    stream.event("channel.cheer", { bits: 20 });
    stream.event("channel.raid");
    stream.event("channel.channel_points_custom_reward_redemption.add");
    stream.event("channel.chat.message");
    stream.event("channel.chat.message");
    stream.event("channel.goal.begin", { id: "g1", current_amount: 10, target_amount: 50 });
    stream.event("channel.goal.begin", { id: "g2", description: "Gone soon" });
    stream.event("channel.goal.progress", { id: "g1", current_amount: 12, target_amount: 50 });
    stream.event("channel.goal.end", { id: "g2" });

    const items = new Map<string, Record<string, unknown>>();
    for (let turn = 1; turn <= 4; turn++) {
      stream.at(turn * 15 * SECOND).tick();
      items.set(stream.background?.type ?? "none", stream.background?.data ?? {});
    }
    expect(items.get("ticker.daily_counts")).toEqual({
      day: "2026-03-11",
      follows: 2,
      subs: 2,
      gifted: 4,
      bits: 320,
      raids: 1,
      redemptions: 1,
    });
    expect(items.get("ticker.goals")).toEqual({
      goals: [
        {
          id: "g1",
          type: "subscription",
          description: "Help me get partner!",
          current: 12,
          target: 50,
        },
      ],
    });
    expect(items.get("ticker.top_emotes")).toEqual({ emotes: [{ name: "Kappa", count: 2 }] });
    expect(items.get("ticker.recent_follows")).toEqual({ followers: ["second", "first"] });
  });

  it("switches the show by category on channel.update and restarts the ticker", () => {
    const stream = new StreamDriver().at(20 * SECOND);
    stream.tick();
    expect(stream.stream.ticker.index).toBe(1);
    stream.at(22 * SECOND);
    const result = stream.event("channel.update", {
      category_name: "Software and Game Development",
    });

    expect(result.changed).toBe(true);
    expect(result.effects).toEqual([
      {
        type: "emit",
        eventType: "stream.show.changed",
        data: { show: "coding", previous_show: "variety" },
      },
    ]);
    expect(stream.stream).toMatchObject({
      show: "coding",
      ticker: {
        items: ["recent_follows", "goals", "daily_counts"],
        index: 0,
        next_at: iso(stream.now + 15 * SECOND),
      },
    });
    expect(stream.background).toMatchObject({
      type: "ticker.recent_follows",
      started_at: iso(stream.now),
    });
  });

  it("keeps the show and the ticker when the category maps to the show already on", () => {
    const stream = new StreamDriver().at(5 * SECOND);
    stream.event("channel.update", { category_name: "Just Chatting" });
    stream.at(9 * SECOND);
    const result = stream.event("channel.update", { category_name: "Just Chatting" });
    expect(result).toMatchObject({ changed: false, effects: [] });
    expect(stream.stream.ticker.next_at).toBe(iso(T0 + 20 * SECOND));
  });

  it("falls back to the default show for a category it has no mapping for", () => {
    const stream = new StreamDriver();
    stream.event("channel.update", { category_name: "Just Chatting" });
    stream.event("channel.update", { category_name: "Grand Theft Auto" });
    expect(stream.stream.show).toBe("variety");
  });
});
