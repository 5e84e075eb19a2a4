import { describe, expect, it } from "bun:test";
import type { EventEnvelope } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import {
  activityParams,
  EMPTY_QUERY,
  isReplayable,
  matchesQuery,
  mergeEvents,
  TYPE_FAMILIES,
  typesOf,
} from "./feed";

function event(
  seq: number,
  type = "channel.follow",
  data: unknown = TWITCH_SAMPLES["channel.follow"],
) {
  const ts = new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString();
  return {
    id: `e${seq}`,
    seq,
    type,
    source: "api",
    ts,
    received_at: ts,
    correlation_id: `c${seq}`,
    data,
  } satisfies EventEnvelope;
}

const seqs = (events: readonly EventEnvelope[]) => events.map((e) => e.seq);

describe("mergeEvents", () => {
  it("keeps events newest first whatever order they arrive in", () => {
    const { events } = mergeEvents([event(5), event(2)], [event(3), event(9), event(1)]);
    expect(seqs(events)).toEqual([9, 5, 3, 2, 1]);
  });

  it("takes each seq once, so a replay after a reconnect adds nothing twice", () => {
    const first = mergeEvents([], [event(1), event(2), event(3)]);
    const again = mergeEvents(first.events, [event(2), event(3), event(4), event(4)]);
    expect(seqs(again.events)).toEqual([4, 3, 2, 1]);
    expect(again.added).toBe(1);
  });

  it("returns the same list when nothing is new", () => {
    const existing = [event(2), event(1)];
    const result = mergeEvents(existing, [event(1)]);
    expect(result.events).toBe(existing);
    expect(result.added).toBe(0);
  });

  it("lets the oldest go past the bound and counts them", () => {
    const { events, trimmed } = mergeEvents([event(3), event(2), event(1)], [event(4)], 3);
    expect(seqs(events)).toEqual([4, 3, 2]);
    expect(trimmed).toBe(1);
  });

  it("merges an older history page below the live events", () => {
    const live = mergeEvents([], [event(100), event(101)]).events;
    const { events } = mergeEvents(live, [event(99), event(98), event(100)]);
    expect(seqs(events)).toEqual([101, 100, 99, 98]);
  });
});

describe("matchesQuery", () => {
  const follow = event(1);
  const chat = event(2, "channel.chat.message", TWITCH_SAMPLES["channel.chat.message"]);
  const raid = event(3, "channel.raid", TWITCH_SAMPLES["channel.raid"]);

  it("lets everything through with no filter", () => {
    for (const e of [follow, chat, raid]) expect(matchesQuery(e, EMPTY_QUERY)).toBe(true);
  });

  it("narrows to a family or to one exact type", () => {
    const alerts = { ...EMPTY_QUERY, type: "alerts" };
    expect(matchesQuery(follow, alerts)).toBe(true);
    expect(matchesQuery(raid, alerts)).toBe(true);
    expect(matchesQuery(chat, alerts)).toBe(false);
    expect(matchesQuery(chat, { ...EMPTY_QUERY, type: "channel.chat.message" })).toBe(true);
    expect(matchesQuery(follow, { ...EMPTY_QUERY, type: "channel.chat.message" })).toBe(false);
  });

  it("narrows by source", () => {
    expect(matchesQuery(follow, { ...EMPTY_QUERY, source: "api" })).toBe(true);
    expect(matchesQuery(follow, { ...EMPTY_QUERY, source: "twitch" })).toBe(false);
  });

  it("matches the acting user by id, or by login in any case, as the hub does", () => {
    expect(matchesQuery(follow, { ...EMPTY_QUERY, user: "1234" })).toBe(true);
    expect(matchesQuery(follow, { ...EMPTY_QUERY, user: "Cool_User" })).toBe(true);
    expect(matchesQuery(chat, { ...EMPTY_QUERY, user: "viptwitch" })).toBe(true);
    expect(matchesQuery(raid, { ...EMPTY_QUERY, user: "cool_user" })).toBe(true);
    expect(matchesQuery(follow, { ...EMPTY_QUERY, user: "someone_else" })).toBe(false);
  });
});

describe("activityParams", () => {
  it("asks the hub for what the live filter admits", () => {
    const params = activityParams({ type: "chat", source: "twitch", user: " Cool_User " }, null);
    expect(params.get("type")?.split(",")).toEqual([...(typesOf("chat") ?? [])]);
    expect(params.get("source")).toBe("twitch");
    expect(params.get("user")).toBe("Cool_User");
    expect(params.get("limit")).toBe("50");
    expect(params.has("cursor")).toBe(false);
  });

  it("passes the cursor of the last page on", () => {
    expect(activityParams(EMPTY_QUERY, "czEw", 20).toString()).toBe("limit=20&cursor=czEw");
  });
});

describe("families and replay", () => {
  it("puts every family's types in the catalogue, none empty", () => {
    for (const family of TYPE_FAMILIES) expect(family.types.length).toBeGreaterThan(0);
  });

  it("offers replay on events that make alerts, but not on a gifted sub", () => {
    expect(isReplayable(event(1))).toBe(true);
    expect(isReplayable({ type: "channel.chat.message", data: {} })).toBe(false);
    expect(isReplayable({ type: "channel.subscribe", data: { is_gift: true } })).toBe(false);
    expect(isReplayable({ type: "channel.subscribe", data: { is_gift: false } })).toBe(true);
  });
});
