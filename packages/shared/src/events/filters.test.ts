import { describe, expect, it } from "bun:test";
import { EVENT_FILTERS, type EventFilter } from "../topics";
import { EVENT_TYPES } from "./catalogue";
import { filterAdmits, filtersFor } from "./filters";

// type → the filters that carry it, besides `all`, which carries everything
const TABLE: [string, EventFilter[]][] = [
  ["channel.chat.message", ["twitch", "chat"]],
  ["channel.chat.message_delete", ["twitch", "chat", "dashboard"]],
  ["channel.chat.clear", ["twitch", "chat", "dashboard"]],
  ["channel.follow", ["twitch", "interactions", "dashboard"]],
  ["channel.subscribe", ["twitch", "interactions", "dashboard"]],
  ["channel.subscription.gift", ["twitch", "interactions", "dashboard"]],
  ["channel.subscription.message", ["twitch", "interactions", "dashboard"]],
  ["channel.cheer", ["twitch", "interactions", "dashboard"]],
  ["channel.raid", ["twitch", "interactions", "dashboard"]],
  ["channel.channel_points_custom_reward_redemption.add", ["twitch", "interactions", "dashboard"]],
  ["channel.goal.begin", ["twitch", "goals", "dashboard"]],
  ["channel.goal.progress", ["twitch", "goals", "dashboard"]],
  ["channel.goal.end", ["twitch", "goals", "dashboard"]],
  ["channel.hype_train.progress", ["twitch", "dashboard"]],
  ["channel.poll.begin", ["twitch", "dashboard"]],
  ["channel.prediction.lock", ["twitch", "dashboard"]],
  ["channel.ad_break.begin", ["twitch", "dashboard"]],
  ["channel.update", ["twitch", "stream", "dashboard"]],
  ["stream.online", ["twitch", "stream", "dashboard"]],
  ["stream.offline", ["twitch", "stream", "dashboard"]],
  ["stream.takeover.started", ["stream", "dashboard"]],
  ["stream.takeover.cleared", ["stream", "dashboard"]],
  ["stream.show.changed", ["stream", "dashboard"]],
  ["obs.scene.changed", ["obs", "dashboard"]],
  ["obs.stream.started", ["obs", "dashboard"]],
  ["obs.connection.lost", ["obs", "dashboard"]],
  ["system.error", ["system", "dashboard"]],
  ["system.startup", ["system", "dashboard"]],
  ["tcp.message", ["dashboard"]],
  ["custom.quiz.answer", ["dashboard"]],
];

describe("filterAdmits", () => {
  it.each(TABLE)("sends %s to exactly %p (and all)", (type, filters) => {
    const expected = new Set<EventFilter>(["all", ...filters]);
    for (const filter of EVENT_FILTERS) {
      expect([filter, filterAdmits(filter, type)]).toEqual([filter, expected.has(filter)]);
    }
  });

  it("lets all carry every known and free-form type", () => {
    for (const type of [...EVENT_TYPES, "custom.x", "tcp.y"])
      expect(filterAdmits("all", type)).toBe(true);
  });

  it("keeps chat messages, and only them, off the dashboard", () => {
    const off = EVENT_TYPES.filter((type) => !filterAdmits("dashboard", type));
    expect(off).toEqual(["channel.chat.message"]);
  });

  it("gives Twitch everything EventSub sends and nothing the hub makes", () => {
    const twitch = EVENT_TYPES.filter((type) => filterAdmits("twitch", type));
    expect(twitch.every((type) => type.startsWith("channel.") || type.startsWith("stream.o"))).toBe(
      true,
    );
    expect(twitch).toHaveLength(27);
  });
});

describe("filtersFor", () => {
  it("agrees with filterAdmits for every type", () => {
    for (const type of [...EVENT_TYPES, "custom.x", "tcp.y"]) {
      expect(filtersFor(type)).toEqual(
        EVENT_FILTERS.filter((filter) => filterAdmits(filter, type)),
      );
    }
  });

  it("lists the topics one chat message fans out to", () => {
    expect(filtersFor("channel.chat.message")).toEqual(["all", "twitch", "chat"]);
  });
});
