import { describe, expect, it } from "bun:test";
import { describeLayer } from "./layers";

const content = (kind: string, type: string, data: Record<string, unknown>) =>
  describeLayer({
    kind: kind as "ticker",
    type,
    data,
    expires_at: "2026-11-21T12:05:00.000Z",
  });

describe("describeLayer", () => {
  it("describes a sub train: count, latest sub and tiers", () => {
    expect(
      content("sub_train", "sub_train", {
        count: 12,
        latest: { user_name: "Ada", user_login: "ada", tier: "2000" },
        tiers: { "1000": 9, "2000": 3 },
      }),
    ).toEqual({
      view: "sub_train",
      count: "12",
      unit: "subs",
      latest: "Ada · Tier 2",
      tiers: [
        { label: "Tier 1", count: "9" },
        { label: "Tier 2", count: "3" },
      ],
      expiresAt: "2026-11-21T12:05:00.000Z",
    });
  });

  it("describes the timeline, newest first, at most five", () => {
    const items = Array.from({ length: 7 }, (_, index) => ({
      type: "channel.follow",
      user_name: `user${index}`,
      summary: "followed",
      at: "2026-11-21T12:00:00.000Z",
    }));
    const view = content("timeline", "timeline", { items });
    expect(view?.view === "timeline" && view.items.length).toBe(5);
    expect(view?.view === "timeline" && view.items[0]).toEqual({
      accent: "follow",
      name: "user0",
      summary: "followed",
    });
  });

  it("lists only today's figures that are not zero", () => {
    const view = content("ticker", "ticker.daily_counts", {
      day: "2026-11-21",
      follows: 1,
      subs: 3,
      gifted: 0,
      bits: 1500,
      raids: 0,
      redemptions: 0,
    });
    expect(view).toMatchObject({
      label: "Today",
      entries: [
        { label: "follow", value: "1" },
        { label: "subs", value: "3" },
        { label: "bits", value: "1,500" },
      ],
    });
  });

  it("gives goals a progress between 0 and 1", () => {
    const view = content("ticker", "ticker.goals", {
      goals: [{ id: "g", type: "follower", description: "", current: 150, target: 100 }],
    });
    expect(view).toMatchObject({
      label: "Goal",
      entries: [{ label: "Follower goal", value: "150 / 100", progress: 1 }],
    });
  });

  it("falls back to a line of its own when a ticker item has nothing to list", () => {
    expect(content("ticker", "ticker.recent_follows", { followers: [] })).toMatchObject({
      entries: [],
      empty: "Be the first follow today",
    });
    expect(content("ticker", "ticker.top_emotes", { emotes: [] })).toMatchObject({
      entries: [],
      empty: "No emotes yet today",
    });
  });

  it("renders nothing when the data does not fit the contract", () => {
    expect(content("sub_train", "sub_train", { count: "many", tiers: {} })).toBeNull();
    expect(content("sub_train", "sub_train", { count: 3, tiers: {} })).toBeNull();
    expect(content("timeline", "timeline", { items: [{ user_name: "Ada" }] })).toBeNull();
    expect(content("ticker", "ticker.recent_follows", { followers: [1, 2] })).toBeNull();
    expect(content("ticker", "ticker.top_emotes", { emotes: "nonsense" })).toBeNull();
    expect(content("ticker", "ticker.goals", { goals: [{ current: 1 }] })).toBeNull();
    expect(content("ticker", "ticker.daily_counts", { follows: -1 })).toBeNull();
  });

  it("names a ticker item it does not know, with nothing to list", () => {
    expect(content("ticker", "ticker.hype_level", { level: 3 })).toEqual({
      view: "ticker",
      label: "hype level",
      entries: [],
      empty: "",
    });
  });

  it("reads forced content as text", () => {
    expect(content("forced", "brb", { text: "Back in 5" })).toEqual({
      view: "text",
      label: "brb",
      text: "Back in 5",
    });
  });
});
