/**
 * A grant's scopes decide the EventSub plan: a new grant with more scopes adds the subscriptions
 * they allow, one with fewer drops the rest (at Twitch too), on the session already open — through
 * a real hub against the fake Twitch, as a streamer signs in again or pastes a token.
 */
import { describe, expect, it } from "bun:test";
import { testEngines } from "@landale/db/testing";
import { TWITCH_SCOPES, type TwitchStatus } from "@landale/shared";
import type { FakeTwitch } from "@landale/testkit";
import { eventually } from "./support/eventually";
import { startTestHub, useTestDatabase } from "./support/hub";
import {
  api,
  fakeTwitch,
  follow,
  signInWithCode,
  status,
  subscribedTo,
  twitchConfig,
  twitchEvents,
  typesFor,
} from "./support/twitch-hub";

/** Four of the scopes the hub asks for: no follows, no goals. */
const SOME = [
  "bits:read",
  "channel:manage:broadcast",
  "channel:read:subscriptions",
  "user:read:chat",
];
const FEW = ["bits:read", "channel:manage:broadcast"];

/** The types of the session's enabled subscriptions at the fake, sorted. */
const enabledAtTwitch = (fake: FakeTwitch, sessionId: string | null) =>
  fake
    .subscriptions(sessionId ?? "")
    .filter((sub) => sub.status === "enabled")
    .map((sub) => sub.type)
    .sort();

describe.each(testEngines())("Twitch scopes on %s", (engine) => {
  const database = useTestDatabase(engine);
  const hubFor = async (fake: FakeTwitch) => {
    await database.reset();
    return startTestHub(twitchConfig(fake), { database: database.current });
  };

  it("subscribes to what a new grant's scopes add, and drops what they no longer allow", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    await signInWithCode(hub, fake, SOME);
    const partial = await subscribedTo(hub, typesFor(SOME));
    expect(partial.missing_scopes).toContain("moderator:read:followers");
    expect(partial.problem?.code).toBe("missing_scopes");
    const session = partial.eventsub.session_id;
    expect(typesFor(SOME)).not.toContain("channel.follow");
    expect(await twitchEvents(hub, "channel.goal.progress")).toHaveLength(0);

    // The streamer signs in again and grants everything: the same session gains the rest.
    await signInWithCode(hub, fake, [...TWITCH_SCOPES]);
    const whole = await subscribedTo(hub, typesFor(TWITCH_SCOPES));
    expect(whole).toMatchObject({ missing_scopes: [], problem: null });
    expect(whole.eventsub.session_id).toBe(session);
    expect(enabledAtTwitch(fake, session)).toEqual(typesFor(TWITCH_SCOPES).sort());
    const messageId = fake.notify("channel.follow", follow(1, fake));
    await eventually("the follow stored", async () =>
      (await twitchEvents(hub, "channel.follow")).some((e) => e.id === `twitch:${messageId}`),
    );
    // The goals scope came with it: the goals are seeded now.
    await eventually(
      "the goal seeded",
      async () => (await twitchEvents(hub, "channel.goal.progress")).length === 1,
    );

    // A pasted token with fewer scopes: what they no longer allow goes, here and at Twitch.
    const minted = fake.issueToken({ scopes: FEW });
    const pasted = await api<TwitchStatus>(hub, "/twitch/token", {
      method: "POST",
      body: JSON.stringify(minted),
    });
    expect(pasted.status).toBe(200);
    const few = await subscribedTo(hub, typesFor(FEW));
    expect(few.eventsub.session_id).toBe(session);
    expect(few.problem?.code).toBe("missing_scopes");
    await eventually(
      "the dropped subscriptions deleted at Twitch",
      () => enabledAtTwitch(fake, session).join() === typesFor(FEW).sort().join(),
    );
    expect(() => fake.notify("channel.follow", follow(2, fake))).toThrow(
      "no enabled subscription of type channel.follow",
    );
    expect(
      (await status(hub)).eventsub.subscriptions.every((sub) => sub.status === "enabled"),
    ).toBe(true);
  });
});
