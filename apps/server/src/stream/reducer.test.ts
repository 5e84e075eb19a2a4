/** The reducer's alerts and the sub train. */
import { describe, expect, it } from "bun:test";
import type { TwitchEventType } from "@landale/shared";
import { iso, MINUTE, SECOND, StreamDriver, T0 } from "../../test/support/stream";
import { DEFAULT_ENGINE_CONFIG } from "./config";

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
