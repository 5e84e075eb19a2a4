import { describe, expect, it } from "bun:test";
import { TWITCH_EVENT_SCHEMAS, TWITCH_SUBSCRIPTION_VERSIONS } from "../events/twitch";
import { TWITCH_SCOPES, TWITCH_SUBSCRIPTIONS } from "./subscriptions";

const BROADCASTER = "1337";

function planOf(type: string) {
  const found = TWITCH_SUBSCRIPTIONS.find((subscription) => subscription.type === type);
  if (!found) throw new Error(`${type} is not planned`);
  return found;
}

describe("TWITCH_SUBSCRIPTIONS", () => {
  it("plans every Twitch type of the catalogue exactly once", () => {
    const types = TWITCH_SUBSCRIPTIONS.map((subscription) => subscription.type);
    expect(new Set(types).size).toBe(types.length);
    expect<string[]>([...types].sort()).toEqual(Object.keys(TWITCH_EVENT_SCHEMAS).sort());
  });

  it("asks for the version each schema matches", () => {
    for (const { type, version } of TWITCH_SUBSCRIPTIONS)
      expect([type, version]).toEqual([type, TWITCH_SUBSCRIPTION_VERSIONS[type]]);
    expect(planOf("channel.follow").version).toBe("2");
  });

  it("subscribes the critical group first, in order, and nothing else as critical", () => {
    const critical = [
      "stream.online",
      "stream.offline",
      "channel.update",
      "channel.follow",
      "channel.chat.message",
    ];
    expect<string[]>(
      TWITCH_SUBSCRIPTIONS.slice(0, critical.length).map(({ type }) => type),
    ).toEqual(critical);
    expect<string[]>(
      TWITCH_SUBSCRIPTIONS.filter((subscription) => subscription.critical).map(({ type }) => type),
    ).toEqual(critical);
  });

  it("builds every condition from the broadcaster's id alone, with no empty value", () => {
    for (const { type, condition } of TWITCH_SUBSCRIPTIONS) {
      const values = Object.entries(condition(BROADCASTER));
      expect([type, values.length > 0]).toEqual([type, true]);
      for (const [key, value] of values) {
        expect([type, key, typeof value, value]).toEqual([type, key, "string", BROADCASTER]);
      }
    }
    expect(planOf("stream.online").condition("")).toEqual({ broadcaster_user_id: "" });
  });

  it("gives each type the condition Twitch's reference asks for", () => {
    const conditionOf = (type: string) => planOf(type).condition(BROADCASTER);
    expect(conditionOf("stream.online")).toEqual({ broadcaster_user_id: BROADCASTER });
    expect(conditionOf("channel.follow")).toEqual({
      broadcaster_user_id: BROADCASTER,
      moderator_user_id: BROADCASTER,
    });
    for (const type of Object.keys(TWITCH_EVENT_SCHEMAS).filter((name) =>
      name.startsWith("channel.chat"),
    )) {
      expect([type, conditionOf(type)]).toEqual([
        type,
        { broadcaster_user_id: BROADCASTER, user_id: BROADCASTER },
      ]);
    }
    expect(conditionOf("channel.raid")).toEqual({ to_broadcaster_user_id: BROADCASTER });
    for (const type of ["channel.shoutout.create", "channel.shoutout.receive"]) {
      expect(conditionOf(type)).toEqual({
        broadcaster_user_id: BROADCASTER,
        moderator_user_id: BROADCASTER,
      });
    }
    expect(conditionOf("user.update")).toEqual({ user_id: BROADCASTER });
  });

  it("needs the scopes Twitch's reference names, the read one where it takes read or manage", () => {
    const scopesOf = (type: string) => planOf(type).scopes;
    expect(scopesOf("channel.follow")).toEqual(["moderator:read:followers"]);
    expect(scopesOf("channel.chat.notification")).toEqual(["user:read:chat"]);
    expect(scopesOf("channel.subscription.end")).toEqual(["channel:read:subscriptions"]);
    expect(scopesOf("channel.cheer")).toEqual(["bits:read"]);
    expect(scopesOf("channel.shoutout.receive")).toEqual(["moderator:read:shoutouts"]);
    expect(scopesOf("channel.vip.add")).toEqual(["channel:read:vips"]);
    expect(scopesOf("channel.charity_campaign.donate")).toEqual(["channel:read:charity"]);
    expect(scopesOf("channel.channel_points_custom_reward.remove")).toEqual([
      "channel:read:redemptions",
    ]);
    for (const type of ["stream.online", "stream.offline", "channel.update", "channel.raid"])
      expect(scopesOf(type)).toEqual([]);
    expect(scopesOf("user.update")).toEqual([]);
  });
});

describe("TWITCH_SCOPES", () => {
  it("covers every subscription's scopes, and editing the channel", () => {
    for (const { type, scopes } of TWITCH_SUBSCRIPTIONS) {
      for (const scope of scopes)
        expect([type, TWITCH_SCOPES.includes(scope)]).toEqual([type, true]);
    }
    expect(TWITCH_SCOPES).toContain("channel:manage:broadcast");
  });

  it("is sorted, without repeats, and asks for nothing the hub does not use", () => {
    expect([...TWITCH_SCOPES]).toEqual([...new Set(TWITCH_SCOPES)].sort());
    const used = new Set([
      ...TWITCH_SUBSCRIPTIONS.flatMap(({ scopes }) => scopes),
      "channel:manage:broadcast",
    ]);
    expect(TWITCH_SCOPES.filter((scope) => !used.has(scope))).toEqual([]);
    expect(
      TWITCH_SCOPES.some(
        (scope) => scope.includes(":manage:") && scope !== "channel:manage:broadcast",
      ),
    ).toBe(false);
  });
});
