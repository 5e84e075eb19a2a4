import { describe, expect, test } from "bun:test";
import { eventually, FOLLOW_SUB, planned, startEventSubHarness } from "../../test/support/eventsub";
import { replanStatuses } from "./eventsub-subscriptions";

const ONLINE = planned("stream.online", "1", true);
const CHEER = planned("channel.cheer", "1", false);
const RAID = planned("channel.raid", "1", false, { to_broadcaster_user_id: "1337" });

const enabledTypes = (subs: { type: string; status: string }[]) =>
  subs
    .filter((sub) => sub.status === "enabled")
    .map((sub) => sub.type)
    .sort();

describe("EventSub plan changes on a live session", () => {
  test("a new plan adds what it gains and deletes what it drops, on the same session", async () => {
    const { fake, client, subscribed, replan, welcomes } = startEventSubHarness({
      plan: [ONLINE, CHEER],
    });
    const sessionId = await subscribed();
    expect(welcomes()).toBe(1);

    replan([ONLINE, FOLLOW_SUB, RAID]);
    await eventually("the new plan enabled", () => {
      const { subscriptions } = client.status();
      return (
        subscriptions.map((sub) => sub.type).join() ===
          "stream.online,channel.follow,channel.raid" &&
        subscriptions.every((sub) => sub.status === "enabled")
      );
    });
    await eventually(
      "the dropped one deleted at Twitch",
      () => !fake.subscriptions(sessionId).some((sub) => sub.type === "channel.cheer"),
    );
    expect(client.status().session_id).toBe(sessionId);
    expect(enabledTypes(fake.subscriptions(sessionId))).toEqual([
      "channel.follow",
      "channel.raid",
      "stream.online",
    ]);
    // The one kept was not created again.
    expect(fake.subscriptions().filter((sub) => sub.type === "stream.online")).toHaveLength(1);
    expect(fake.sessions()).toHaveLength(1);
  });
});

describe("replanStatuses", () => {
  const status = (type: string, status: string, id: string | null = `id-${type}`) => ({
    type,
    version: type === "channel.follow" ? "2" : "1",
    id,
    status,
    error: status === "failed" ? "refused" : null,
  });

  test("keeps what stays, in the new plan's order; creates what is new or failed; drops the rest", () => {
    const { next, create, drop } = replanStatuses(
      [
        status("stream.online", "enabled"),
        status("channel.cheer", "enabled"),
        status("channel.raid", "failed", null),
      ],
      [FOLLOW_SUB, RAID, ONLINE],
    );
    expect(next).toEqual([
      { type: "channel.follow", version: "2", id: null, status: "pending", error: null },
      { type: "channel.raid", version: "1", id: null, status: "pending", error: null },
      status("stream.online", "enabled"),
    ]);
    expect(create).toEqual([0, 1]);
    expect(drop).toEqual([status("channel.cheer", "enabled")]);
  });
});
