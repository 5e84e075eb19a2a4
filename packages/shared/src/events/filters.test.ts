import { describe, expect, it } from "bun:test";
import { ALERT_TYPES } from "../stream/alerts";
import { EVENT_FILTERS, type EventFilter } from "../topics";
import { EVENT_TYPES } from "./catalogue";
import { filterAdmits, filtersFor, INTERACTION_TYPES } from "./filters";
import { TWITCH_EVENT_SCHEMAS } from "./twitch";

// type → the filters that carry it, besides `all`, which carries everything
const TABLE: [string, EventFilter[]][] = [
  ["channel.chat.message", ["twitch", "chat"]],
  ["channel.chat.message_delete", ["twitch", "chat", "dashboard"]],
  ["channel.chat.clear", ["twitch", "chat", "dashboard"]],
  ["channel.chat.clear_user_messages", ["twitch", "chat", "dashboard"]],
  ["channel.chat.notification", ["twitch", "chat", "dashboard"]],
  ["channel.chat_settings.update", ["twitch", "chat", "dashboard"]],
  ["channel.follow", ["twitch", "interactions", "dashboard"]],
  ["channel.subscribe", ["twitch", "interactions", "dashboard"]],
  ["channel.subscription.gift", ["twitch", "interactions", "dashboard"]],
  ["channel.subscription.message", ["twitch", "interactions", "dashboard"]],
  ["channel.subscription.end", ["twitch", "dashboard"]],
  ["channel.cheer", ["twitch", "interactions", "dashboard"]],
  ["channel.raid", ["twitch", "interactions", "dashboard"]],
  ["channel.channel_points_custom_reward_redemption.add", ["twitch", "interactions", "dashboard"]],
  [
    "channel.channel_points_custom_reward_redemption.update",
    ["twitch", "interactions", "dashboard"],
  ],
  ["channel.charity_campaign.donate", ["twitch", "interactions", "dashboard"]],
  ["channel.shoutout.receive", ["twitch", "interactions", "dashboard"]],
  ["channel.channel_points_custom_reward.add", ["twitch", "dashboard"]],
  ["channel.channel_points_custom_reward.update", ["twitch", "dashboard"]],
  ["channel.channel_points_custom_reward.remove", ["twitch", "dashboard"]],
  ["channel.shoutout.create", ["twitch", "dashboard"]],
  ["channel.vip.add", ["twitch", "dashboard"]],
  ["channel.vip.remove", ["twitch", "dashboard"]],
  ["user.update", ["twitch", "dashboard"]],
  ["rainwave.update", ["music", "dashboard"]],
  ["channel.goal.begin", ["twitch", "goals", "dashboard"]],
  ["channel.goal.progress", ["twitch", "goals", "dashboard"]],
  ["channel.goal.end", ["twitch", "goals", "dashboard"]],
  ["channel.charity_campaign.progress", ["twitch", "goals", "dashboard"]],
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
  ["obs.replay_buffer.saved", ["obs", "dashboard"]],
  ["ironmon.checkpoint", ["dashboard", "ironmon"]],
  ["ironmon.run.failed", ["dashboard", "ironmon"]],
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
    expect<string[]>(twitch.sort()).toEqual(Object.keys(TWITCH_EVENT_SCHEMAS).sort());
    expect(twitch).toHaveLength(42);
    for (const type of ["stream.takeover.started", "system.error", "custom.user.update", "tcp.x"])
      expect(filterAdmits("twitch", type)).toBe(false);
  });

  it("sends every alert type to interactions, and the acts of viewers that make none", () => {
    const interactions = EVENT_TYPES.filter((type) => filterAdmits("interactions", type));
    expect(interactions.sort()).toEqual([...INTERACTION_TYPES].sort());
    for (const type of ALERT_TYPES) expect(interactions).toContain(type);
  });

  it("gives chat every chat type, the room's settings among them", () => {
    const chat = EVENT_TYPES.filter((type) => filterAdmits("chat", type));
    expect(chat.sort()).toEqual([
      "channel.chat.clear",
      "channel.chat.clear_user_messages",
      "channel.chat.message",
      "channel.chat.message_delete",
      "channel.chat.notification",
      "channel.chat_settings.update",
    ]);
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
