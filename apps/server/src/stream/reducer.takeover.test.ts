/** The reducer's takeovers and forced content. */
import { describe, expect, it } from "bun:test";
import { iso, MINUTE, SECOND, StreamDriver, T0 } from "../../test/support/stream";

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
const types = (items: readonly { type: string }[]) => items.map((item) => item.type);
/** A driver with an alert already showing, so what comes next has to wait. */
function busy(config = {}) {
  const stream = new StreamDriver({ config });
  stream.event("channel.raid");
  return stream;
}

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
