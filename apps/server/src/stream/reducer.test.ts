import { describe, expect, it } from "bun:test";
import {
  ALERT_TYPES,
  type EventEnvelope,
  LAYERS,
  type LayerContent,
  QueueState,
  type StreamCommandName,
  StreamState,
  SubTrainData,
  TAKEOVER_TYPES,
  TICKER_DATA,
  TimelineData,
  type TwitchEventType,
} from "@landale/shared";
import fc from "fast-check";
import { commandOf, iso, MINUTE, SECOND, StreamDriver, T0 } from "../../test/support/stream";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig, tickerItemsFor } from "./config";
import { EngineState, initialEngineState, queueStateOf, streamStateOf, viewOf } from "./core";
import { type Input, type Result, reduce, sameView } from "./reducer";

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
const types = (items: readonly { type: string }[]) => items.map((item) => item.type);

/** A driver with an alert already showing, so what comes next has to wait. */
function busy(config = {}) {
  const stream = new StreamDriver({ config });
  stream.event("channel.raid");
  return stream;
}

describe("alerts", () => {
  const cases: [string, TwitchEventType, Record<string, unknown>, number, number][] = [
    ["a follow", "channel.follow", {}, 20, 5_000],
    ["a new sub", "channel.subscribe", {}, 60, 6_000],
    ["a resub", "channel.subscription.message", {}, 60, 7_000],
    ["a gift", "channel.subscription.gift", { total: 5 }, 80, 8_000],
    ["a cheer", "channel.cheer", { bits: 100 }, 60, 6_000],
    ["a cheer just under big", "channel.cheer", { bits: 999 }, 60, 6_000],
    ["a raid", "channel.raid", {}, 100, 10_000],
    ["a redemption", "channel.channel_points_custom_reward_redemption.add", {}, 30, 5_000],
  ];

  it.each(cases)(
    "shows %s on the foreground at once, for its duration",
    (_, type, overrides, priority, duration) => {
      const stream = new StreamDriver().at(2 * SECOND);
      const event = stream.eventOf(type, overrides);
      const result = stream.window(event);

      expect(result.changed).toBe(true);
      expect(stream.foreground).toEqual({
        id: expect.any(String),
        kind: "alert",
        type,
        priority,
        started_at: iso(stream.now),
        expires_at: iso(stream.now + duration),
        data: event.data as Record<string, unknown>,
        source_event_id: event.id,
      });
      expect(result.nextAt).toBe(stream.now + duration);
      expect(stream.queue.pending).toEqual([]);
    },
  );

  it("ranks and times a big cheer like a gift, and marks it big", () => {
    const stream = new StreamDriver();
    stream.event("channel.cheer", { bits: 1000 });
    expect(stream.foreground).toMatchObject({ priority: 80, data: { bits: 1000, big: true } });
    expect(Date.parse(stream.foreground?.expires_at ?? "")).toBe(stream.now + 8_000);

    const small = new StreamDriver();
    small.event("channel.cheer", { bits: 999 });
    expect(small.foreground?.data.big).toBeUndefined();
  });

  it("shows alerts one at a time, highest priority first, then in arrival order", () => {
    const stream = busy();
    const raid = stream.foreground;
    stream.at(1 * SECOND);
    stream.event("channel.follow", { user_name: "first_follower" });
    stream.event("channel.channel_points_custom_reward_redemption.add");
    stream.event("channel.subscribe", { user_name: "subber" });
    stream.event("channel.cheer", { bits: 100 });
    stream.event("channel.subscription.gift", { total: 3 });
    stream.event("channel.cheer", { bits: 5_000 });
    stream.event("channel.subscription.message");
    stream.event("channel.follow", { user_name: "second_follower" });

    // Nothing arriving clobbers what is showing.
    expect(stream.foreground).toEqual(raid);
    const shown = stream.drainAlerts();
    expect(shown.map((alert) => [alert.type, alert.data.bits ?? alert.data.user_name])).toEqual([
      ["channel.raid", undefined],
      ["channel.subscription.gift", "Cool_User"],
      ["channel.cheer", 5_000],
      ["channel.subscribe", "subber"],
      ["channel.cheer", 100],
      ["channel.subscription.message", "Cool_User"],
      ["channel.channel_points_custom_reward_redemption.add", "Cool_User"],
      ["channel.follow", "first_follower"],
      ["channel.follow", "second_follower"],
    ]);
    // Each one shows for its whole duration and the next starts the moment it ends.
    for (const [index, alert] of shown.entries()) {
      const rule = alert.data.big
        ? DEFAULT_ENGINE_CONFIG.alerts["channel.subscription.gift"]
        : DEFAULT_ENGINE_CONFIG.alerts[alert.type];
      expect(Date.parse(alert.expires_at ?? "") - Date.parse(alert.started_at)).toBe(
        rule?.durationMs ?? -1,
      );
      const next = shown[index + 1];
      if (next !== undefined) expect(next.started_at).toBe(alert.expires_at ?? "");
    }
  });

  it("leaves nothing hanging: after the last expiry and a tick the foreground is empty", () => {
    const stream = busy();
    stream.event("channel.follow");
    stream.event("channel.cheer", { bits: 10 });
    stream.drainAlerts();

    expect(stream.foreground).toBeNull();
    expect(stream.queue.current).toBeNull();
    expect(stream.queue.pending).toEqual([]);
    // Only the ticker is left to wake the engine.
    expect(stream.last.nextAt).toBe(Date.parse(stream.stream.ticker.next_at ?? ""));
  });

  it("keeps an alert until a tick at its expiry, not a millisecond less", () => {
    const stream = new StreamDriver();
    stream.event("channel.follow");
    const follow = stream.foreground;
    const expiry = Date.parse(follow?.expires_at ?? "");

    stream.at(expiry - T0 - 1);
    expect(stream.tick().changed).toBe(false);
    expect(stream.foreground).toEqual(follow);
    stream.at(expiry - T0);
    expect(stream.tick().changed).toBe(true);
    expect(stream.foreground).toBeNull();
  });

  it("starts the next alert at a late tick, for its full duration", () => {
    const stream = new StreamDriver();
    stream.event("channel.follow");
    stream.event("channel.raid");
    stream.at(5 * SECOND + 700).tick();

    expect(stream.foreground).toMatchObject({
      type: "channel.raid",
      started_at: iso(stream.now),
      expires_at: iso(stream.now + 10_000),
    });
  });

  it("makes no alert for a gifted sub and does not count it twice in the train", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscription.gift", { total: 5, user_name: "generous" });
    const version = stream.stream.version;
    for (const name of ["r1", "r2", "r3", "r4", "r5"]) {
      const result = stream.event("channel.subscribe", { is_gift: true, user_name: name });
      expect(result.changed).toBe(false);
    }

    expect(stream.stream.version).toBe(version);
    expect(stream.foreground?.type).toBe("channel.subscription.gift");
    expect(stream.queue.pending).toEqual([]);
    expect(stream.midground?.data).toMatchObject({ count: 5, latest: { user_name: "generous" } });
    expect(stream.core.stats).toMatchObject({ subs: 0, gifted: 5 });
  });
});

describe("sub train", () => {
  it("starts a train on the midground with the count, latest subscriber and tier", () => {
    const stream = new StreamDriver().at(3 * SECOND);
    stream.event("channel.subscribe", { user_name: "Ada", user_login: "ada", tier: "2000" });

    expect(stream.midground).toEqual({
      id: expect.any(String),
      kind: "sub_train",
      type: "sub_train",
      priority: 0,
      started_at: iso(stream.now),
      expires_at: iso(stream.now + 5 * MINUTE),
      data: {
        count: 1,
        latest: { user_name: "Ada", user_login: "ada", tier: "2000" },
        tiers: { "2000": 1 },
      },
      source_event_id: null,
    });
  });

  it("makes a burst of 50 subs one train with count 50", () => {
    const stream = new StreamDriver();
    const tiers = ["1000", "1000", "2000", "1000", "3000"] as const;
    for (let i = 0; i < 50; i++) {
      stream.at(i * SECOND);
      stream.event("channel.subscribe", { user_name: `sub${i}`, tier: tiers[i % tiers.length] });
    }

    expect(stream.midground).toMatchObject({
      kind: "sub_train",
      started_at: iso(T0),
      expires_at: iso(T0 + 49 * SECOND + 5 * MINUTE),
      data: {
        count: 50,
        latest: { user_name: "sub49", tier: "3000" },
        tiers: { "1000": 30, "2000": 10, "3000": 10 },
      },
    });
    // Every sub is still its own alert: the ones not shown yet wait their turn.
    expect(stream.queue.history.length + 1 + stream.queue.pending.length).toBe(50);
  });

  it("takes 50 subs committed in one window as one change", () => {
    const stream = new StreamDriver();
    const version = stream.stream.version;
    const subs = Array.from({ length: 50 }, (_, i) =>
      stream.eventOf("channel.subscribe", { user_name: `sub${i}` }),
    );
    const result = stream.window(...subs);

    expect(result.changed).toBe(true);
    expect(stream.stream.version).toBe(version + 1);
    expect(stream.midground?.data).toMatchObject({ count: 50, latest: { user_name: "sub49" } });
    expect(stream.foreground?.data.user_name).toBe("sub0");
    expect(stream.queue.pending).toHaveLength(49);
  });

  it("extends the train with each sub within the window, and ends it when the window lapses", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscribe", { user_name: "early" });
    const id = stream.midground?.id;
    stream.at(4 * MINUTE + 59 * SECOND);
    stream.event("channel.subscription.message", { user_name: "later", tier: "3000" });

    expect(stream.midground).toMatchObject({
      id,
      expires_at: iso(stream.now + 5 * MINUTE),
      data: { count: 2, latest: { user_name: "later", tier: "3000" } },
    });
    stream.at(9 * MINUTE + 58 * SECOND).tick();
    expect(stream.midground?.kind).toBe("sub_train");
    // The train ends long after the last interaction, so the timeline's hold is over too.
    stream.at(9 * MINUTE + 59 * SECOND).tick();
    expect(stream.midground).toBeNull();
  });

  it("starts a new train for a sub after the last one lapsed", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscribe");
    const first = stream.midground?.id;
    stream.at(5 * MINUTE);
    stream.event("channel.subscribe", { user_name: "next" });

    expect(stream.midground?.id).not.toBe(first);
    expect(stream.midground?.data).toMatchObject({ count: 1, latest: { user_name: "next" } });
  });

  it("counts resubs and gifts into the same train, and names an anonymous gifter Anonymous", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscribe", { tier: "1000" });
    stream.event("channel.subscription.message", { tier: "2000" });
    stream.event("channel.subscription.gift", {
      total: 3,
      tier: "3000",
      is_anonymous: true,
      user_id: null,
      user_login: null,
      user_name: null,
      cumulative_total: null,
    });

    expect(stream.midground?.data).toEqual({
      count: 5,
      latest: { user_name: "Anonymous", user_login: null, tier: "3000" },
      tiers: { "1000": 1, "2000": 1, "3000": 3 },
    });
  });
});

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

    expect(stream.stream.ticker.items).toEqual([...DEFAULT_ENGINE_CONFIG.shows.variety!]);
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

describe("takeover", () => {
  it("covers until takeover_clear, announcing both", () => {
    const stream = new StreamDriver().at(2 * SECOND);
    const started = stream.command("takeover", {
      type: "technical-difficulties",
      message: "Back in a moment!",
    });
    const takeover = {
      id: expect.any(String),
      type: "technical-difficulties" as const,
      message: "Back in a moment!",
      started_at: iso(stream.now),
      expires_at: null,
    };

    expect(started.changed).toBe(true);
    expect(stream.stream.takeover).toEqual(takeover);
    expect(started.effects).toEqual([
      { type: "takeover", takeover },
      {
        type: "emit",
        eventType: "stream.takeover.started",
        data: { type: "technical-difficulties", message: "Back in a moment!" },
      },
    ]);

    stream.at(2 * 60 * MINUTE).tick();
    expect(stream.stream.takeover).toEqual(takeover);
    const cleared = stream.command("takeover_clear");
    expect(stream.stream.takeover).toBeNull();
    expect(cleared.effects).toEqual([
      { type: "takeover_clear", takeover },
      { type: "emit", eventType: "stream.takeover.cleared", data: { reason: "command" } },
    ]);
  });

  it("clears itself when its duration ends", () => {
    const stream = new StreamDriver();
    const started = stream.command("takeover", { type: "please-stand-by", duration: 30 });
    const takeover = stream.stream.takeover;

    expect(takeover?.expires_at).toBe(iso(T0 + 30 * SECOND));
    expect(started.effects[1]).toEqual({
      type: "emit",
      eventType: "stream.takeover.started",
      data: { type: "please-stand-by", duration_ms: 30_000 },
    });
    stream.at(30 * SECOND - 1).tick();
    expect(stream.stream.takeover).toEqual(takeover);
    const cleared = stream.at(30 * SECOND).tick();
    expect(stream.stream.takeover).toBeNull();
    expect(cleared.effects).toEqual([
      { type: "takeover_clear", takeover: takeover! },
      { type: "emit", eventType: "stream.takeover.cleared", data: { reason: "expired" } },
    ]);
  });

  it("takes its duration in milliseconds as duration_ms", () => {
    const stream = new StreamDriver();
    stream.command("takeover", { type: "screen-cover", duration_ms: 10_000 });
    expect(stream.stream.takeover?.expires_at).toBe(iso(T0 + 10 * SECOND));
    stream.at(10 * SECOND).tick();
    expect(stream.stream.takeover).toBeNull();
  });

  it("puts the alert showing back in the queue, to show in full once the cover lifts", () => {
    const stream = new StreamDriver();
    stream.event("channel.follow");
    stream.at(1 * SECOND);
    stream.command("takeover", { type: "please-stand-by" });
    expect(stream.foreground).toBeNull();
    expect(types(stream.queue.pending)).toEqual(["channel.follow"]);
    stream.at(30 * SECOND);
    stream.command("takeover_clear");
    expect(stream.foreground).toMatchObject({
      type: "channel.follow",
      started_at: iso(stream.now),
    });
  });

  it("starts no new alert while it covers, and the queue goes on once it clears", () => {
    const stream = new StreamDriver();
    stream.command("takeover", { type: "screen-cover", duration: 60 });
    stream.at(1 * SECOND);
    stream.event("channel.follow");
    stream.event("channel.raid");
    stream.at(40 * SECOND).tick();

    expect(stream.foreground).toBeNull();
    expect(types(stream.queue.pending)).toEqual(["channel.raid", "channel.follow"]);
    stream.at(45 * SECOND);
    stream.command("takeover_clear");
    expect(stream.foreground).toMatchObject({ type: "channel.raid", started_at: iso(stream.now) });
  });

  it("replaces the takeover covering with a new one", () => {
    const stream = new StreamDriver();
    stream.command("takeover", { type: "screen-cover" });
    const old = stream.stream.takeover;
    const result = stream.command("takeover", { type: "custom", message: "Dinner" });

    expect(stream.stream.takeover).toMatchObject({ type: "custom", message: "Dinner" });
    expect(stream.stream.takeover?.id).not.toBe(old?.id);
    expect(result.effects.slice(0, 2)).toEqual([
      { type: "takeover_clear", takeover: old! },
      { type: "takeover", takeover: stream.stream.takeover! },
    ]);
  });

  it("announces a takeover that ran out as expired, even when a command comes before the tick", () => {
    const stream = new StreamDriver();
    stream.command("takeover", { type: "screen-cover", duration: 30 });
    const old = stream.stream.takeover!;
    stream.at(40 * SECOND);
    const result = stream.command("takeover", { type: "please-stand-by" });

    expect(result.effects).toEqual([
      { type: "takeover_clear", takeover: old },
      { type: "emit", eventType: "stream.takeover.cleared", data: { reason: "expired" } },
      { type: "takeover", takeover: stream.stream.takeover! },
      {
        type: "emit",
        eventType: "stream.takeover.started",
        data: { type: "please-stand-by" },
      },
    ]);
    stream.at(50 * SECOND);
    stream.command("takeover", { type: "screen-cover", duration: 5 });
    stream.at(60 * SECOND);
    expect(stream.command("takeover_clear").error).toMatchObject({ code: "no_takeover" });
  });

  it("refuses takeover_clear with 409 no_takeover when nothing covers", () => {
    const stream = new StreamDriver();
    const before = stream.core;
    const result = stream.command("takeover_clear");

    expect(result.error).toMatchObject({ status: 409, code: "no_takeover" });
    expect(result).toMatchObject({ changed: false, effects: [] });
    expect(result.core).toBe(before);
  });
});

describe("force_content", () => {
  it("shows content on a layer for its duration, then what the layer derives comes back", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscribe");
    const train = stream.midground;
    stream.at(1 * SECOND);
    stream.command("force_content", {
      layer: "background",
      type: "announcement",
      data: { text: "Giveaway at 8!" },
      duration: 20,
    });
    stream.command("force_content", { layer: "midground", type: "sponsor", duration: 5 });

    expect(stream.background).toEqual({
      id: expect.any(String),
      kind: "forced",
      type: "announcement",
      priority: Number.MAX_SAFE_INTEGER,
      started_at: iso(stream.now),
      expires_at: iso(stream.now + 20 * SECOND),
      data: { text: "Giveaway at 8!" },
      source_event_id: null,
    });
    expect(stream.midground).toMatchObject({ kind: "forced", type: "sponsor", data: {} });

    stream.at(6 * SECOND).tick();
    expect(stream.midground).toEqual(train);
    stream.at(15 * SECOND).tick();
    expect(stream.background?.type).toBe("announcement");
    stream.at(21 * SECOND).tick();
    expect(stream.background).toMatchObject({ kind: "ticker", type: "ticker.daily_counts" });
  });

  it("puts an interrupted alert back in the queue, and shows it again in full afterwards", () => {
    const stream = busy();
    const raid = stream.foreground!;
    stream.at(1 * SECOND);
    stream.event("channel.follow");
    stream.at(4 * SECOND);
    stream.command("force_content", { layer: "foreground", type: "brb", duration: 3 });

    expect(stream.foreground).toMatchObject({ kind: "forced", type: "brb" });
    expect(stream.queue.current).toBeNull();
    expect(stream.queue.pending[0]).toEqual({
      id: raid.id,
      kind: "alert",
      type: "channel.raid",
      priority: 100,
      duration_ms: 10_000,
      queued_at: raid.started_at,
      data: raid.data,
      source_event_id: raid.source_event_id,
    });
    expect(types(stream.queue.pending)).toEqual(["channel.raid", "channel.follow"]);

    stream.at(7 * SECOND).tick();
    expect(stream.foreground).toMatchObject({
      id: raid.id,
      started_at: iso(T0 + 7 * SECOND),
      expires_at: iso(T0 + 17 * SECOND),
    });
    expect(stream.queue.history).toEqual([]);
  });

  it("puts the interrupted alert first among its priority, never ahead of a higher one", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscribe", { user_name: "showing" });
    stream.at(1 * SECOND);
    stream.event("channel.subscribe", { user_name: "waiting" });
    stream.event("channel.raid");
    stream.command("force_content", { layer: "foreground", type: "brb", duration: 3 });

    expect(
      stream.queue.pending.map(
        (item) => item.data.user_name ?? item.data.from_broadcaster_user_name,
      ),
    ).toEqual(["Cool_User", "showing", "waiting"]);
  });

  it("keeps the queue within its bound when it puts an interrupted alert back", () => {
    const stream = busy({ queueMax: 1 });
    const raid = stream.foreground!;
    stream.event("channel.follow");
    const follow = stream.queue.pending[0]!;
    const result = stream.command("force_content", {
      layer: "foreground",
      type: "brb",
      duration: 3,
    });

    expect(ids(stream.queue.pending)).toEqual([raid.id]);
    expect(result.effects).toEqual([{ type: "dropped", item: follow }]);
    expect(stream.queue.dropped).toBe(1);
  });

  it("does not bring back an alert whose time ran out before the forced content came", () => {
    const stream = new StreamDriver();
    stream.event("channel.follow");
    const follow = stream.foreground!;
    // No tick at the follow's expiry: the command is the first input after it.
    stream.at(6 * SECOND);
    stream.command("force_content", { layer: "foreground", type: "brb", duration: 10 });

    expect(stream.queue.pending).toEqual([]);
    expect(ids(stream.queue.history)).toEqual([follow.id]);
    stream.at(16 * SECOND).tick();
    expect(stream.foreground).toBeNull();
  });

  it("holds new alerts back while forced content is on the foreground", () => {
    const stream = new StreamDriver();
    stream.command("force_content", { layer: "foreground", type: "intro", duration: 10 });
    stream.event("channel.follow");

    expect(stream.foreground?.kind).toBe("forced");
    expect(stream.queue.current).toBeNull();
    expect(stream.queue.pending).toHaveLength(1);
    stream.at(10 * SECOND).tick();
    expect(stream.foreground).toMatchObject({
      type: "channel.follow",
      started_at: iso(stream.now),
    });
  });
});

describe("queue commands", () => {
  it("pause lets the alert showing finish but starts no new one; resume starts the next", () => {
    const stream = new StreamDriver();
    stream.event("channel.follow", { user_name: "a" });
    stream.event("channel.follow", { user_name: "b" });
    const showing = stream.foreground;
    stream.at(1 * SECOND);
    stream.command("pause");

    expect(stream.stream.paused).toBe(true);
    expect(stream.foreground).toEqual(showing);
    stream.at(5 * SECOND).tick();
    expect(stream.foreground).toBeNull();
    expect(ids(stream.queue.history)).toEqual([showing!.id]);
    expect(stream.queue.pending).toHaveLength(1);

    stream.at(9 * SECOND);
    stream.command("resume");
    expect(stream.stream.paused).toBe(false);
    expect(stream.foreground).toMatchObject({
      data: { user_name: "b" },
      started_at: iso(stream.now),
    });
  });

  it("skip ends the alert showing, files it in history, and starts the next", () => {
    const stream = new StreamDriver();
    stream.event("channel.raid");
    stream.event("channel.follow");
    const raid = stream.foreground!;
    stream.at(2 * SECOND);
    const result = stream.command("skip");

    expect(result.changed).toBe(true);
    expect(stream.queue.history).toEqual([{ ...raid, expires_at: iso(stream.now) }]);
    expect(stream.foreground).toMatchObject({
      type: "channel.follow",
      started_at: iso(stream.now),
    });
  });

  it("refuses skip with 409 nothing_showing when no alert shows", () => {
    const stream = new StreamDriver();
    stream.command("force_content", { layer: "foreground", type: "intro", duration: 10 });
    const before = stream.core;
    const result = stream.command("skip");

    expect(result.error).toMatchObject({ status: 409, code: "nothing_showing" });
    expect(result.core).toBe(before);
    expect(result.changed).toBe(false);
  });

  it("remove_item takes a waiting alert out of the queue", () => {
    const stream = busy();
    stream.event("channel.follow", { user_name: "stays" });
    stream.event("channel.follow", { user_name: "goes" });
    const goes = stream.queue.pending[1]!;
    const result = stream.command("remove_item", { id: goes.id });

    expect(result.changed).toBe(true);
    expect(stream.queue.pending.map((item) => item.data.user_name)).toEqual(["stays"]);
  });

  it("refuses remove_item with 404 not_found for an id not waiting, even the one showing", () => {
    const stream = busy();
    for (const id of ["alert:999:nope", stream.foreground!.id]) {
      const before = stream.core;
      const result = stream.command("remove_item", { id });
      expect(result.error).toMatchObject({ status: 404, code: "not_found" });
      expect(result.core).toBe(before);
    }
  });

  it("replay re-queues a stored event as a new alert without counting it again", () => {
    const stream = new StreamDriver();
    const follow = stream.eventOf("channel.follow", { user_name: "again" });
    stream.window(follow);
    stream.drainAlerts();
    const first = stream.queue.history[0]!;
    const timeline = stream.midground;
    stream.after(1 * SECOND);
    const result = stream.replay(follow);

    expect(result.changed).toBe(true);
    expect(stream.foreground).toMatchObject({
      type: "channel.follow",
      source_event_id: follow.id,
      started_at: iso(stream.now),
      data: { user_name: "again" },
    });
    expect(stream.foreground?.id).not.toBe(first.id);
    expect(stream.midground).toEqual(timeline);
    expect(stream.core.stats.follows).toBe(1);
  });

  it("refuses to replay a chat message with 422 not_an_alert", () => {
    const stream = new StreamDriver();
    const chat = stream.eventOf("channel.chat.message");
    stream.window(chat);
    const before = stream.core;
    const result = stream.replay(chat);

    expect(result.error).toMatchObject({ status: 422, code: "not_an_alert" });
    expect(result.core).toBe(before);
  });

  it("leaves replay_event to the shell, which looks the event up first", () => {
    const stream = new StreamDriver();
    const result = stream.command("replay_event", { event_id: "evt-1" });
    expect(result.error).toMatchObject({ status: 422, code: "invalid_command" });
  });

  it("clear empties the queue and lets the alert showing finish", () => {
    const stream = busy();
    const raid = stream.foreground;
    stream.event("channel.follow");
    stream.event("channel.cheer", { bits: 1 });
    stream.command("clear");

    expect(stream.queue.pending).toEqual([]);
    expect(stream.foreground).toEqual(raid);
    expect(stream.drainAlerts()).toEqual([raid!]);
  });
});

describe("queue bound", () => {
  it("drops the lowest priority past the bound, latest first among equals, and says so", () => {
    const stream = busy({ queueMax: 3 });
    stream.event("channel.follow", { user_name: "f1" });
    stream.event("channel.follow", { user_name: "f2" });
    stream.event("channel.follow", { user_name: "f3" });
    const f3 = stream.queue.pending[2]!;
    const result = stream.event("channel.cheer", { bits: 50 });

    expect(result.effects).toEqual([{ type: "dropped", item: f3 }]);
    expect(types(stream.queue.pending)).toEqual([
      "channel.cheer",
      "channel.follow",
      "channel.follow",
    ]);
    expect(stream.queue).toMatchObject({ max: 3, dropped: 1 });
  });

  it("drops a newcomer that ranks lowest, and still counts it as a change", () => {
    const stream = busy({ queueMax: 2 });
    stream.event("channel.cheer", { bits: 50 });
    stream.event("channel.cheer", { bits: 60 });
    const pending = stream.queue.pending;
    const result = stream.event("channel.follow");

    expect(result.changed).toBe(true);
    expect(result.effects).toMatchObject([{ type: "dropped", item: { type: "channel.follow" } }]);
    expect(stream.queue.pending).toEqual(pending);
    expect(stream.queue.dropped).toBe(1);
  });

  it("holds 200 alerts by default", () => {
    const stream = busy();
    for (let i = 0; i < 250; i++) stream.event("channel.follow", { user_name: `f${i}` });

    expect(stream.queue.max).toBe(200);
    expect(stream.queue.pending).toHaveLength(200);
    expect(stream.queue.dropped).toBe(50);
    expect(stream.queue.pending.at(-1)?.data.user_name).toBe("f199");
  });
});

describe("version", () => {
  it("goes up by exactly one per input that changes what clients see, and not otherwise", () => {
    const stream = new StreamDriver();
    const steps: [string, () => unknown, number][] = [
      ["a follow", () => stream.event("channel.follow"), 1],
      ["a chat message", () => stream.event("channel.chat.message"), 0],
      ["goal progress", () => stream.event("channel.goal.progress"), 0],
      ["a gifted sub", () => stream.event("channel.subscribe", { is_gift: true }), 0],
      ["a tick with nothing due", () => stream.at(1 * SECOND).tick(), 0],
      ["pause", () => stream.command("pause"), 1],
      ["pause again", () => stream.command("pause"), 0],
      ["a refused remove_item", () => stream.command("remove_item", { id: "x" }), 0],
      ["a refused takeover_clear", () => stream.command("takeover_clear"), 0],
      ["skip", () => stream.command("skip"), 1],
      ["a refused skip", () => stream.command("skip"), 0],
      ["clearing an empty queue", () => stream.command("clear"), 0],
      ["resume", () => stream.command("resume"), 1],
      ["the ticker turning", () => stream.at(15 * SECOND).tick(), 1],
    ];
    for (const [what, step, delta] of steps) {
      const before = stream.stream;
      step();
      const after = stream.stream;
      expect({ what, delta: after.version - before.version }).toEqual({ what, delta });
      expect(after.updated_at).toBe(delta === 0 ? before.updated_at : iso(stream.now));
    }
  });
});

describe("history", () => {
  it("keeps finished alerts newest first, at most historySize", () => {
    const stream = new StreamDriver({ config: { historySize: 3 } });
    for (const name of ["a", "b", "c", "d", "e"])
      stream.event("channel.follow", { user_name: name });
    stream.drainAlerts();

    expect(stream.queue.history.map((alert) => alert.data.user_name)).toEqual(["e", "d", "c"]);
  });
});

describe("day rollover", () => {
  it("resets today's figures at UTC midnight and keeps the goals", () => {
    const stream = new StreamDriver({
      start: Date.UTC(2026, 2, 11, 23, 59, 0),
      config: { shows: { variety: ["daily_counts", "goals"] } },
    });
    stream.at(10 * SECOND);
    stream.event("channel.follow");
    stream.event("channel.cheer", { bits: 100 });
    stream.event("channel.goal.begin", { id: "g1" });
    stream.at(30 * SECOND).tick();
    expect(stream.background?.data).toMatchObject({ day: "2026-03-11", follows: 1, bits: 100 });

    stream.at(60 * SECOND).tick();
    expect(stream.background?.data).toEqual({
      day: "2026-03-12",
      follows: 0,
      subs: 0,
      gifted: 0,
      bits: 0,
      raids: 0,
      redemptions: 0,
    });
    stream.at(75 * SECOND).tick();
    expect(stream.background?.data).toMatchObject({ goals: [{ id: "g1" }] });
  });
});

// ---------------------------------------------------------------- invariants

const PROPERTY_RUNS = { numRuns: 200, includeErrorInReport: true };

const EVENT_TYPES = [
  ...ALERT_TYPES,
  "channel.chat.message",
  "channel.goal.begin",
  "channel.goal.progress",
  "channel.goal.end",
  "channel.update",
  "stream.online",
] as const satisfies readonly TwitchEventType[];

interface EventSpec {
  type: (typeof EVENT_TYPES)[number];
  user: string;
  tier: "1000" | "2000" | "3000";
  flag: boolean;
  amount: number;
  category: string;
}

const anonymous = { user_id: null, user_login: null, user_name: null };

function overridesFor(spec: EventSpec): Record<string, unknown> {
  switch (spec.type) {
    case "channel.subscribe":
      return { user_name: spec.user, tier: spec.tier, is_gift: spec.flag };
    case "channel.subscription.message":
      return { user_name: spec.user, tier: spec.tier };
    case "channel.subscription.gift":
      return {
        ...(spec.flag ? { ...anonymous, cumulative_total: null } : { user_name: spec.user }),
        is_anonymous: spec.flag,
        tier: spec.tier,
        total: Math.min(spec.amount, 100),
      };
    case "channel.cheer":
      return {
        ...(spec.flag ? anonymous : { user_name: spec.user }),
        is_anonymous: spec.flag,
        bits: spec.amount,
      };
    case "channel.raid":
      return { from_broadcaster_user_name: spec.user, viewers: spec.amount };
    case "channel.goal.begin":
    case "channel.goal.progress":
    case "channel.goal.end":
      return { id: spec.flag ? "g1" : "g2", current_amount: spec.amount, target_amount: 5_000 };
    case "channel.update":
      return { category_name: spec.category };
    case "channel.follow":
    case "channel.channel_points_custom_reward_redemption.add":
      return { user_name: spec.user };
    default:
      return {};
  }
}

type Action =
  | { kind: "events"; events: EventSpec[] }
  | { kind: "command"; name: StreamCommandName; payload: Record<string, unknown> }
  | { kind: "remove"; pick: number }
  | { kind: "replay"; pick: number }
  | { kind: "tick" };

interface Step {
  dt: number;
  action: Action;
}

const eventSpec: fc.Arbitrary<EventSpec> = fc.record({
  type: fc.constantFrom(...EVENT_TYPES),
  user: fc.constantFrom("ada", "bo", "cy"),
  tier: fc.constantFrom("1000", "2000", "3000"),
  flag: fc.boolean(),
  amount: fc.constantFrom(1, 5, 100, 999, 1_000, 5_000),
  category: fc.constantFrom("Software and Game Development", "Just Chatting", "Grand Theft Auto"),
});

const command: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constant("takeover" as const),
    payload: fc.record(
      {
        type: fc.constantFrom(...TAKEOVER_TYPES),
        message: fc.constant("Back soon"),
        duration: fc.constantFrom(0.0004, 0.5, 3, 30, 600),
      },
      { requiredKeys: ["type", "message"] },
    ),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constant("force_content" as const),
    payload: fc.record({
      layer: fc.constantFrom(...LAYERS),
      type: fc.constant("announcement"),
      duration: fc.constantFrom(0.0004, 0.25, 2, 10, 45),
    }),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constantFrom(
      "takeover_clear" as const,
      "pause" as const,
      "resume" as const,
      "skip" as const,
      "clear" as const,
    ),
    payload: fc.constant({}),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constant("replay_event" as const),
    payload: fc.constant({ event_id: "evt-1" }),
  }),
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("events" as const),
      events: fc.array(eventSpec, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 4, arbitrary: command },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ kind: "tick" as const }) },
);

/** Time between inputs: often none, mostly seconds, sometimes minutes or hours. */
const gap = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 4_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 4_001, max: 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_001, max: 2 * 60 * MINUTE }) },
);

const steps = fc.array(fc.record({ dt: gap, action }), { maxLength: 60 });

/** Small bounds so that overflow, history and timeline limits are hit in 60 inputs. */
const engineConfig: fc.Arbitrary<Partial<EngineConfig>> = fc.record({
  queueMax: fc.integer({ min: 1, max: 6 }),
  historySize: fc.integer({ min: 1, max: 4 }),
  timelineSize: fc.integer({ min: 1, max: 4 }),
  trainWindowMs: fc.constantFrom(20_000, 5 * MINUTE),
  tickerIntervalMs: fc.constantFrom(4_000, 15_000),
});

/** Around UTC midnight, so some runs roll the day over. */
const start = fc.integer({ min: Date.UTC(2026, 2, 11, 22, 0), max: Date.UTC(2026, 2, 12, 1, 0) });

/** Turns a step into a concrete input against the state it meets. */
function inputFor(stream: StreamDriver, step: Action, sent: EventEnvelope[]): Input {
  switch (step.kind) {
    case "events": {
      const events = step.events.map((spec) => stream.eventOf(spec.type, overridesFor(spec)));
      sent.push(...events);
      return { kind: "events", events };
    }
    case "command":
      return { kind: "command", command: commandOf(step.name, step.payload) };
    case "remove": {
      // Mostly an id that is waiting; sometimes one that is not.
      const pending = stream.core.queue;
      const id = pending[step.pick % (pending.length + 1)]?.id ?? "alert:0:missing";
      return { kind: "command", command: commandOf("remove_item", { id }) };
    }
    case "replay": {
      const event =
        sent[step.pick % Math.max(1, sent.length)] ?? stream.eventOf("channel.chat.message");
      return { kind: "replay", event };
    }
    case "tick":
      return { kind: "tick" };
  }
}

const serialOf = (id: string) => Number(id.split(":")[1]);

/** What the checks remember across a run. */
interface Memory {
  /** Every alert id seen queued or showing. */
  seen: Set<string>;
  /** Alert id → how many times it started showing. */
  starts: Map<string, number>;
  /** Alert id → how many times force_content or a takeover put it back. */
  requeues: Map<string, number>;
  /** Alert id → when force_content last put it back (a counter), for the queue's order. */
  requeuedAt: Map<string, number>;
  putBacks: number;
}

function checkStep(
  previous: EngineState,
  input: Input,
  now: number,
  result: Result,
  config: EngineConfig,
  memory: Memory,
): void {
  const { core } = result;
  // Every state is a valid contract value, and the core reads back as it is persisted.
  const stream = StreamState.parse(streamStateOf(core, tickerItemsFor(config, core.show)));
  const queue = QueueState.parse(queueStateOf(core, config.queueMax));
  EngineState.parse(core);

  // `version` goes up by one exactly when what clients see changed.
  expect(core.version).toBe(previous.version + (result.changed ? 1 : 0));
  expect(core.updated_at).toBe(result.changed ? iso(now) : previous.updated_at);
  expect(sameView(previous, core, config)).toBe(!result.changed);
  if (result.error !== undefined) {
    // A refused input leaves the state exactly as it was and announces nothing.
    expect(result.core).toBe(previous);
    expect(result.effects).toEqual([]);
    return;
  }

  // Nothing past its expires_at is shown after an accepted input at `now`.
  const shown = [...Object.values(stream.layers), stream.takeover, queue.current];
  for (const content of shown) {
    if (content?.expires_at != null) expect(Date.parse(content.expires_at)).toBeGreaterThan(now);
  }
  if (result.nextAt !== null) expect(result.nextAt).toBeGreaterThan(now);

  // Bounds.
  expect(queue.pending.length).toBeLessThanOrEqual(config.queueMax);
  expect(queue.history.length).toBeLessThanOrEqual(config.historySize);
  if (stream.layers.midground?.kind === "timeline") {
    expect((stream.layers.midground.data.items as unknown[]).length).toBeLessThanOrEqual(
      config.timelineSize,
    );
  }

  // An alert is either waiting or showing, once.
  const pendingIds = ids(queue.pending);
  expect(new Set(pendingIds).size).toBe(pendingIds.length);
  if (queue.current !== null) expect(pendingIds).not.toContain(queue.current.id);

  // Nothing waits without a reason.
  if (queue.current === null && core.forced.foreground === null && pendingIds.length > 0) {
    expect(stream.paused || stream.takeover !== null).toBe(true);
  }

  // The foreground is forced content (with no alert running hidden beneath it), or an alert
  // that was queued: still showing, taken from the queue, or made by this very input.
  // force_content and a takeover cut short the alert showing at `now`: one whose time is up is over, and the
  // next may have started in its place (the state the input meets is the previous one ticked).
  const met = reduce(previous, { kind: "tick" }, now, config).core;
  const cutsShort =
    input.kind === "command" &&
    ((input.command.name === "force_content" && input.command.payload.layer === "foreground") ||
      input.command.name === "takeover");
  const putBack = cutsShort ? met.current : null;
  if (putBack !== null) {
    memory.requeues.set(putBack.id, (memory.requeues.get(putBack.id) ?? 0) + 1);
    memory.requeuedAt.set(putBack.id, ++memory.putBacks);
  }
  const foreground = stream.layers.foreground;
  if (foreground?.kind === "forced") {
    expect(queue.current).toBeNull();
  } else if (foreground !== null) {
    expect(foreground).toEqual(queue.current!);
    const before = previous.current;
    const continuing = before?.id === foreground.id && before.started_at === foreground.started_at;
    if (!continuing) {
      // Forced content too short to outlast this instant hands the foreground straight back.
      const fromQueue =
        previous.queue.some((item) => item.id === foreground.id) || putBack?.id === foreground.id;
      const madeNow =
        !memory.seen.has(foreground.id) &&
        (input.kind === "events"
          ? input.events.some((event) => event.id === foreground.source_event_id)
          : input.kind === "replay" && input.event.id === foreground.source_event_id);
      expect(fromQueue || madeNow).toBe(true);
      expect(foreground.started_at).toBe(iso(now));
      // An alert shows once; again only after force_content or a takeover cut it short (a replay is a new id).
      const starts = (memory.starts.get(foreground.id) ?? 0) + 1;
      memory.starts.set(foreground.id, starts);
      expect(starts).toBeLessThanOrEqual(1 + (memory.requeues.get(foreground.id) ?? 0));
    }
  }

  // An alert that leaves the foreground is finished (history), put back (queue) or dropped.
  const left = previous.current;
  if (left !== null && core.current?.id !== left.id) {
    const dropped = result.effects.some((e) => e.type === "dropped" && e.item.id === left.id);
    // Filed in history, unless alerts finishing at this same instant pushed it out again.
    const filed =
      queue.history.some((alert) => alert.id === left.id) ||
      (queue.history.length === config.historySize &&
        queue.history.every((alert) => alert.expires_at === iso(now)));
    expect(filed || pendingIds.includes(left.id) || dropped).toBe(true);
  }

  // The queue's order: priority never rises; within one priority, the alerts force_content or a takeover put
  // back come first (the latest put back first), then the rest in arrival order, whose
  // queued_at never decreases.
  for (const [index, item] of queue.pending.entries()) {
    const next = queue.pending[index + 1];
    if (next !== undefined) expect(next.priority).toBeLessThanOrEqual(item.priority);
  }
  for (const priority of new Set(queue.pending.map((item) => item.priority))) {
    const group = queue.pending.filter((item) => item.priority === priority);
    const putBack = group.filter((item) => memory.requeuedAt.has(item.id));
    const fresh = group.filter((item) => !memory.requeuedAt.has(item.id));
    const byPutBack = [...putBack].sort(
      (a, b) => (memory.requeuedAt.get(b.id) ?? 0) - (memory.requeuedAt.get(a.id) ?? 0),
    );
    const byArrival = [...fresh].sort((a, b) => serialOf(a.id) - serialOf(b.id));
    expect(ids(group)).toEqual(ids([...byPutBack, ...byArrival]));
    for (const [index, item] of byArrival.entries()) {
      const next = byArrival[index + 1];
      if (next !== undefined) expect(next.queued_at >= item.queued_at).toBe(true);
    }
  }

  for (const item of [...queue.pending, ...(queue.current ? [queue.current] : [])]) {
    memory.seen.add(item.id);
  }
}

interface Run {
  config: EngineConfig;
  start: number;
  inputs: { input: Input; now: number }[];
  results: Result[];
}

/** Plays the steps through a driver, checking every result, and records what it fed in. */
function play(config: Partial<EngineConfig>, at: number, script: Step[]): Run {
  const stream = new StreamDriver({ config, start: at });
  const memory: Memory = {
    seen: new Set(),
    starts: new Map(),
    requeues: new Map(),
    requeuedAt: new Map(),
    putBacks: 0,
  };
  const run: Run = { config: stream.config, start: at, inputs: [], results: [] };
  const sent: EventEnvelope[] = [];
  for (const step of script) {
    stream.after(step.dt);
    const input = inputFor(stream, step.action, sent);
    const previous = stream.core;
    const result = stream.send(input);
    checkStep(previous, input, stream.now, result, stream.config, memory);
    run.inputs.push({ input, now: stream.now });
    run.results.push(result);
  }
  return run;
}

describe("invariants over random inputs", () => {
  it("keeps every state valid, versioned, sorted, bounded and free of expired content", () => {
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        play(config, at, script);
      }),
      PROPERTY_RUNS,
    );
  });

  it("gives the same results for the same inputs at the same times", () => {
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        const run = play(config, at, script);
        let core = initialEngineState(run.start, run.config.defaultShow);
        core = reduce(core, { kind: "tick" }, run.start, run.config).core;
        for (const [index, { input, now }] of run.inputs.entries()) {
          const result = reduce(core, input, now, run.config);
          expect(result).toStrictEqual(run.results[index]!);
          core = result.core;
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it("shows the same whether or not a tick ran just before an input at the same instant", () => {
    fc.assert(
      fc.property(engineConfig, start, steps, (config, at, script) => {
        const run = play(config, at, script);
        let core = initialEngineState(run.start, run.config.defaultShow);
        core = reduce(core, { kind: "tick" }, run.start, run.config).core;
        for (const { input, now } of run.inputs) {
          const direct = reduce(core, input, now, run.config);
          const ticked = reduce(
            reduce(core, { kind: "tick" }, now, run.config).core,
            input,
            now,
            run.config,
          );
          expect(ticked.error?.code).toBe(direct.error?.code);
          if (direct.error === undefined) {
            expect(viewOf(ticked.core, run.config)).toEqual(viewOf(direct.core, run.config));
          }
          core = direct.core;
        }
      }),
      PROPERTY_RUNS,
    );
  });
});

describe("the hub's own content", () => {
  it("carries the data shapes the contract defines for trains, timelines and every ticker item", () => {
    const stream = new StreamDriver();
    stream.event("channel.subscribe", { user_name: "early" });
    expect(SubTrainData.safeParse(stream.midground?.data).success).toBe(true);
    const quiet = new StreamDriver();
    quiet.event("channel.follow", { user_name: "fan" });
    expect(TimelineData.safeParse(quiet.midground?.data).success).toBe(true);
    const seen = new Set<string>();
    for (let turn = 0; turn < DEFAULT_ENGINE_CONFIG.shows.variety!.length; turn++) {
      quiet.at(turn * 15 * SECOND).tick();
      const item = quiet.background;
      const schema = TICKER_DATA[item?.type as keyof typeof TICKER_DATA];
      expect(schema.safeParse(item?.data).success).toBe(true);
      seen.add(item?.type ?? "");
    }
    expect([...seen].sort()).toEqual(Object.keys(TICKER_DATA).sort());
  });
});
