/** The reducer's queue commands and bound, versions, history and the day's rollover. */
import { describe, expect, it } from "bun:test";
import { iso, SECOND, StreamDriver } from "../../test/support/stream";

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
const types = (items: readonly { type: string }[]) => items.map((item) => item.type);
/** A driver with an alert already showing, so what comes next has to wait. */
function busy(config = {}) {
  const stream = new StreamDriver({ config });
  stream.event("channel.raid");
  return stream;
}

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
