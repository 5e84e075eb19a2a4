/**
 * The Twitch integration against a fake Twitch (`startFakeTwitch`: OAuth, Helix and EventSub over
 * WebSocket on real sockets), through a real hub as a streamer drives it: sign in, notifications
 * stored once across reconnects, revocation, the paste-a-token path, channel information, and no
 * token ever at rest in the clear.
 */
import { describe, expect, it } from "bun:test";
import { testEngines } from "@landale/db/testing";
import { type ActivityPage, TWITCH_SUBSCRIPTIONS, type TwitchStatus } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import type { FakeTwitch } from "@landale/testkit";
import { sql } from "drizzle-orm";
import { eventually } from "./support/eventually";
import { startTestHub, useTestDatabase } from "./support/hub";
import {
  api,
  fakeTwitch,
  follow,
  signIn,
  status,
  twitchConfig,
  twitchEvents,
} from "./support/twitch-hub";

const CRITICAL = [
  "stream.online",
  "stream.offline",
  "channel.update",
  "channel.follow",
  "channel.chat.message",
];

describe.each(testEngines())("Twitch on %s", (engine) => {
  const database = useTestDatabase(engine);
  const hubFor = async (fake: FakeTwitch) => {
    await database.reset();
    await database.current.rows(sql`TRUNCATE twitch_grants`);
    return startTestHub(twitchConfig(fake), { database: database.current });
  };

  it("signs in with a device code, subscribes the critical group first, and stores a follow once", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    expect((await status(hub)).state).toBe("signed_out");
    await signIn(hub, fake);

    const created = fake.subscriptions().map((subscription) => subscription.type);
    expect(created.slice(0, CRITICAL.length)).toEqual(CRITICAL);
    expect(new Set(created)).toEqual(new Set(TWITCH_SUBSCRIPTIONS.map((plan) => plan.type)));

    const messageId = fake.notify("channel.follow", follow(1, fake));
    await eventually(
      "the follow stored",
      async () => (await twitchEvents(hub, "channel.follow")).length === 1,
    );
    const [stored] = await twitchEvents(hub, "channel.follow");
    expect(stored?.id).toBe(`twitch:${messageId}`);
    expect(stored?.source).toBe("twitch");
    // The channel's current goal seeds the ticker, as the progress event EventSub would send.
    await eventually(
      "the goal seeded",
      async () => (await twitchEvents(hub, "channel.goal.progress")).length === 1,
    );
    const [goal] = await twitchEvents(hub, "channel.goal.progress");
    expect(goal?.data).toMatchObject({ broadcaster_user_id: fake.user.id });
    expect(hub.health().twitch).toEqual({
      state: "connected",
      eventsub: "connected",
      failed_subscriptions: 0,
      problem: null,
    });
  });

  it("loses and duplicates nothing over 1,000 notifications across a session_reconnect", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    await signIn(hub, fake);
    const sent: string[] = [];
    for (let n = 0; n < 500; n++) sent.push(fake.notify("channel.follow", follow(n, fake)));
    fake.reconnect();
    for (let n = 500; n < 1000; n++) sent.push(fake.notify("channel.follow", follow(n, fake)));

    await eventually(
      "1,000 follows stored",
      async () => (await twitchEvents(hub, "channel.follow")).length >= 1000,
      60_000,
    );
    const stored = await twitchEvents(hub, "channel.follow");
    expect(stored.length).toBe(1000);
    expect(new Set(stored.map((event) => event.id))).toEqual(
      new Set(sent.map((id) => `twitch:${id}`)),
    );
    // Stored in the order Twitch sent them: seq follows the message order across both sockets.
    const bySeq = [...stored].sort((a, b) => a.seq - b.seq).map((event) => event.id);
    expect(bySeq).toEqual(sent.map((id) => `twitch:${id}`));
    await eventually(
      "the old session closed",
      async () => (await status(hub)).eventsub.reconnects >= 1,
    );
  });

  it("counts a notification the catalogue refuses as refused, not as stored", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    await signIn(hub, fake);
    fake.notify("channel.follow", { ...follow(1, fake), user_id: null });
    const stored = fake.notify("channel.follow", follow(2, fake));
    await eventually("the good follow stored", async () =>
      (await twitchEvents(hub, "channel.follow")).some((event) => event.id === `twitch:${stored}`),
    );
    await eventually("both follows handled", async () => {
      const { eventsub } = await status(hub);
      return eventsub.notifications + (eventsub.refused ?? 0) === 2;
    });
    expect((await status(hub)).eventsub).toMatchObject({ notifications: 1, refused: 1 });
    expect(await twitchEvents(hub, "channel.follow")).toHaveLength(1);
  });

  it("stores Twitch's documented example of every type it subscribes to, as sent over EventSub", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    await signIn(hub, fake);
    const sent = new Map<string, string>();
    for (const plan of TWITCH_SUBSCRIPTIONS) {
      const sample = TWITCH_SAMPLES[plan.type];
      expect(sample).toBeDefined();
      sent.set(`twitch:${fake.notify(plan.type, sample as Record<string, unknown>)}`, plan.type);
    }
    const storedIds = async () => {
      const page = await api<ActivityPage>(hub, "/activity/events?source=twitch&limit=1000");
      return new Map(page.body.events.map((event) => [event.id, event.type]));
    };
    await eventually("every sample stored", async () => {
      const stored = await storedIds();
      return [...sent.keys()].every((id) => stored.has(id));
    });
    const stored = await storedIds();
    for (const [id, type] of sent) expect(stored.get(id)).toBe(type);
  });

  it("reconnects and resubscribes after a missed keepalive", async () => {
    const fake = fakeTwitch({ keepaliveSeconds: 1 });
    const hub = await hubFor(fake);
    await signIn(hub, fake);
    const first = (await status(hub)).eventsub.session_id;
    fake.stopKeepalives();
    await eventually(
      "a new session with its subscriptions",
      async () => {
        const current = await status(hub);
        return (
          current.eventsub.session_id !== first &&
          current.eventsub.state === "connected" &&
          fake.subscriptions(current.eventsub.session_id ?? "").length ===
            TWITCH_SUBSCRIPTIONS.length
        );
      },
      30_000,
    );
    expect((await status(hub)).eventsub.reconnects).toBeGreaterThanOrEqual(1);
  });

  it("shows a revoked grant with what to do, and records the revocations", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    await signIn(hub, fake);
    fake.revokeGrant();
    await eventually(
      "the grant shown invalid",
      async () => (await status(hub)).state === "invalid",
    );
    const current = await status(hub);
    expect(current.problem?.action).toContain("Sign in again");
    // The session is stopped, and the subscriptions still say what Twitch did to them.
    expect(current.eventsub.state).toBe("stopped");
    expect(
      current.eventsub.subscriptions.filter((s) => s.status === "authorization_revoked").length,
    ).toBeGreaterThan(0);
    expect(hub.health().status).toBe("degraded");
    expect(hub.health().twitch.problem?.code).toBe(current.problem?.code ?? "");
    await eventually(
      "the revocations recorded",
      async () => (await twitchEvents(hub, "system.error")).length > 0,
    );
  });

  it("takes a pasted token, edits the channel through Helix, and keeps no token in the clear", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    const grant = fake.issueToken({
      scopes: [
        ...new Set(TWITCH_SUBSCRIPTIONS.flatMap((plan) => plan.scopes)),
        "channel:manage:broadcast",
      ],
    });
    const pasted = await api<TwitchStatus>(hub, "/twitch/token", {
      method: "POST",
      body: JSON.stringify(grant),
    });
    expect(pasted.status).toBe(200);
    expect(pasted.body.state).toBe("connected");
    expect(pasted.body.user?.login).toBe(fake.user.login);

    const updated = await api<{ title: string; game_id: string }>(hub, "/twitch/channel", {
      method: "PATCH",
      body: JSON.stringify({ title: "Speedrunning tonight", game_id: "509658" }),
    });
    expect(updated.status).toBe(200);
    expect(fake.channel().title).toBe("Speedrunning tonight");
    expect(fake.channel().game_id).toBe("509658");
    expect(updated.body.title).toBe("Speedrunning tonight");

    const refused = await api<{ code: string; message: string }>(hub, "/twitch/channel", {
      method: "PATCH",
      body: JSON.stringify({ tags: ["no spaces allowed"] }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("tags.0");

    const categories = await api<{ categories: { name: string }[] }>(
      hub,
      "/twitch/categories?query=just",
    );
    expect(categories.body.categories.map((category) => category.name)).toContain("Just Chatting");

    const rows = await database.current.rows<{ row: string }>(
      sql`SELECT t::text AS row FROM twitch_grants t`,
    );
    expect(rows.length).toBe(1);
    for (const { row } of rows) {
      expect(row).not.toContain(grant.access_token);
      expect(row).not.toContain(grant.refresh_token);
    }
  });

  it("answers plainly when Twitch is not signed in", async () => {
    const fake = fakeTwitch();
    const hub = await hubFor(fake);
    const channel = await api<{ code: string; message: string }>(hub, "/twitch/channel");
    expect(channel.status).toBe(409);
    expect(channel.body.code).toBe("twitch_not_connected");
    expect(channel.body.message).toContain("Sign in");
  });
});
