import { describe, expect, test } from "bun:test";
import { TwitchStatus } from "@landale/shared";
import { EVENTSUB_CLOSE } from "@landale/testkit";
import {
  eventually,
  FOLLOW_SUB,
  follow,
  notificationFrame,
  planned,
  startEventSubHarness,
} from "../../test/support/eventsub";

describe("EventSub WebSocket client", () => {
  test("subscribes on the welcome: the critical group first and in order, then the rest", async () => {
    const plan = [
      planned("stream.online", "1", true),
      planned("channel.cheer", "1", false),
      planned("stream.offline", "1", true),
      planned("channel.raid", "1", false, { to_broadcaster_user_id: "1337" }),
      FOLLOW_SUB,
      planned("channel.subscribe", "1", false),
    ];
    const { fake, client, subscribed, changes } = startEventSubHarness({ plan });
    const sessionId = await subscribed();

    const created = fake.subscriptions(sessionId).map((sub) => sub.type);
    expect(created.slice(0, 3)).toEqual(["stream.online", "stream.offline", "channel.follow"]);
    expect(created.slice(3).sort()).toEqual(["channel.cheer", "channel.raid", "channel.subscribe"]);

    const status = client.status();
    expect(TwitchStatus.shape.eventsub.parse(status)).toEqual(status);
    expect(status).toMatchObject({
      state: "connected",
      session_id: sessionId,
      keepalive_seconds: 10,
      notifications: 0,
      duplicates: 0,
      reconnects: 0,
    });
    // The status lists the plan in its own order, each with Twitch's id.
    expect(status.subscriptions.map((sub) => [sub.type, sub.status])).toEqual(
      plan.map((sub) => [sub.type, "enabled"]),
    );
    for (const sub of status.subscriptions) {
      expect(fake.subscriptions(sessionId).map((created) => created.id)).toContain(sub.id ?? "");
    }
    expect(changes()).toBeGreaterThanOrEqual(plan.length + 1);
  });

  test("a 409 counts as enabled; a refusal is failed with Twitch's message and the rest go on", async () => {
    const plan = [
      FOLLOW_SUB,
      FOLLOW_SUB,
      planned("channel.bogus", "", false),
      planned("stream.online", "1", false),
    ];
    const { client, subscribed } = startEventSubHarness({ plan });
    await subscribed();
    const [first, again, refused, online] = client.status().subscriptions;
    expect(first).toMatchObject({ type: "channel.follow", status: "enabled", error: null });
    expect(again).toMatchObject({
      type: "channel.follow",
      status: "enabled",
      id: null,
      error: null,
    });
    expect(refused).toMatchObject({ type: "channel.bogus", status: "failed", id: null });
    expect(refused?.error).toContain("version");
    expect(online).toMatchObject({ type: "stream.online", status: "enabled" });
  });

  test("a 401 goes through the auth, and without a new token the subscriptions are failed", async () => {
    const { client, subscribed, rejectedTokens } = startEventSubHarness({
      fake: { accessToken: "right" },
      token: "wrong",
    });
    await subscribed();
    expect(client.status().subscriptions).toEqual([
      {
        type: "channel.follow",
        version: "2",
        id: null,
        status: "failed",
        error: "OAuth token and Client-Id are required",
      },
    ]);
    expect(rejectedTokens).toEqual(["wrong"]);
  });

  test("delivers each notification with its message id, subscription and event", async () => {
    const { fake, client, subscribed, delivered } = startEventSubHarness();
    const sessionId = await subscribed();
    const [subscription] = fake.subscriptions(sessionId);
    const messageId = fake.notify("channel.follow", follow(1));
    await eventually("the notification", () => client.status().notifications === 1);
    expect(delivered).toEqual([
      {
        messageId,
        type: "channel.follow",
        version: "2",
        subscriptionId: subscription?.id ?? "",
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        event: follow(1),
      },
    ]);
  });

  test("a redelivered message id is a duplicate, delivered once", async () => {
    const { fake, client, subscribed, delivered } = startEventSubHarness();
    await subscribed();
    const first = fake.notify("channel.follow", follow(1));
    fake.notify("channel.follow", follow(1), { messageId: first });
    const second = fake.notify("channel.follow", follow(2));
    await eventually("two notifications", () => client.status().notifications === 2);
    expect(delivered.map((n) => n.messageId)).toEqual([first, second]);
    expect(client.status().duplicates).toBe(1);
  });

  test("a malformed message is counted and skipped; the session carries on", async () => {
    const { fake, client, subscribed, delivered } = startEventSubHarness();
    const sessionId = await subscribed();
    fake.sendRaw(sessionId, "not json");
    fake.sendRaw(
      sessionId,
      JSON.stringify({ metadata: { message_type: "notification" }, payload: {} }),
    );
    fake.sendRaw(
      sessionId,
      JSON.stringify({
        metadata: { message_id: "m-1", message_type: "notification", message_timestamp: "x" },
        payload: { subscription: { id: "s" }, event: {} },
      }),
    );
    const messageId = fake.notify("channel.follow", follow(1));
    await eventually("the notification", () => client.status().notifications === 1);
    expect(delivered.map((n) => n.messageId)).toEqual([messageId]);
    expect(client.counters().malformed).toBe(3);
    expect(client.status()).toMatchObject({
      state: "connected",
      session_id: sessionId,
      reconnects: 0,
    });
  });

  // Twitch leaves the old connection for the client to close; the fake can also close it itself.
  for (const closeReplacedSession of [false, true]) {
    const closer = closeReplacedSession ? "the server" : "the client";
    test(`1,000 notifications across a session_reconnect are each delivered once, in order (old closed by ${closer})`, async () => {
      const { fake, client, subscribed, delivered, committed } = startEventSubHarness({
        fake: { closeReplacedSession },
        timings: { drainMs: 100 },
      });
      const oldSession = await subscribed();
      const sent: string[] = [];
      const sessionOf = () =>
        fake.subscriptions().find((sub) => sub.status === "enabled")?.transport.session_id;
      let onOldAfterReconnect = 0;
      let onNew = 0;
      for (let i = 0; i < 1000; i++) {
        if (i === 400) fake.reconnect(oldSession);
        if (i === 700 && onNew === 0) {
          // Make sure the rest go to the new connection.
          await eventually("the subscription to move", () => sessionOf() !== oldSession);
        }
        const to = sessionOf();
        sent.push(fake.notify("channel.follow", follow(i)));
        if (i >= 400 && to === oldSession) onOldAfterReconnect += 1;
        if (to !== oldSession) onNew += 1;
        // A burst lands on the old connection; then the client reads and reconnects as the stream goes on.
        if (i >= 500) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(onOldAfterReconnect).toBeGreaterThan(0);
      expect(onNew).toBeGreaterThan(0);

      await eventually("1,000 stored", () => committed.length === 1000);
      expect(delivered.map((n) => n.messageId)).toEqual(sent);
      expect(new Set(committed).size).toBe(1000);
      const status = client.status();
      expect(status).toMatchObject({
        state: "connected",
        notifications: 1000,
        duplicates: 0,
        reconnects: 1,
      });
      expect(status.session_id).not.toBe(oldSession);
      expect(status.subscriptions).toMatchObject([{ type: "channel.follow", status: "enabled" }]);
      // No resubscription: the one subscription moved with the session.
      expect(fake.subscriptions()).toHaveLength(1);
      await eventually("the old connection closed", () =>
        fake.sessions().some((session) => session.id === oldSession && session.status === "closed"),
      );
      expect(fake.sessions().find((session) => session.id === oldSession)?.closeCode).toBe(1000);
    });
  }

  test("frames on the new connection wait until the old one has drained", async () => {
    const { fake, client, subscribed, delivered } = startEventSubHarness({
      fake: { closeReplacedSession: false },
      timings: { drainMs: 60_000 },
    });
    const oldSession = await subscribed();
    const [subscription] = fake.subscriptions(oldSession);
    fake.reconnect(oldSession);
    await eventually("the new session", () => client.status().session_id !== oldSession);
    const newSession = client.status().session_id ?? "";
    // A notification on the new connection, then one Twitch sent on the old before the switch
    // that reaches the client only now: the old one's comes first all the same.
    const onNew = fake.notify("channel.follow", follow(2), { sessionId: newSession });
    const onOld = "d0d0d0d0-late-on-the-old-connection";
    fake.sendRaw(oldSession, notificationFrame(onOld, subscription, follow(1)));
    await eventually("a notification", () => delivered.length > 0);
    expect(delivered.map((n) => n.messageId)).toEqual([onOld]);
    fake.disconnect(oldSession, EVENTSUB_CLOSE.reconnectGraceExpired, "grace expired");
    await eventually("both notifications", () => client.status().notifications === 2);
    expect(delivered.map((n) => n.messageId)).toEqual([onOld, onNew]);
    expect(client.status()).toMatchObject({
      state: "connected",
      session_id: newSession,
      reconnects: 1,
    });
  });

  test("a missed keepalive starts a new session at the base URL and resubscribes", async () => {
    const { fake, client, subscribed } = startEventSubHarness({ fake: { keepaliveSeconds: 1 } });
    const oldSession = await subscribed();
    const [oldSubscription] = fake.subscriptions(oldSession);
    fake.stopKeepalives();
    await eventually("a new session", () => {
      const status = client.status();
      return (
        status.reconnects >= 1 && status.session_id !== null && status.session_id !== oldSession
      );
    });
    const newSession = await subscribed("the resubscription");
    // A new subscription for the new session, not the old one moved: a resubscription.
    const [resubscribed] = fake.subscriptions(newSession);
    expect(resubscribed).toMatchObject({ type: "channel.follow", status: "enabled" });
    expect(resubscribed?.id).not.toBe(oldSubscription?.id ?? "");
    expect(fake.sessions().find((session) => session.id === oldSession)?.status).toBe("closed");
  });

  for (const code of [
    EVENTSUB_CLOSE.internalError,
    EVENTSUB_CLOSE.networkTimeout,
    EVENTSUB_CLOSE.networkError,
  ]) {
    test(`a close with ${code} reconnects after a backoff and resubscribes`, async () => {
      const { fake, client, subscribed } = startEventSubHarness();
      const oldSession = await subscribed();
      fake.disconnect(oldSession, code, "gone");
      await eventually("a new session", () => {
        const { session_id: id } = client.status();
        return id !== null && id !== oldSession;
      });
      const newSession = await subscribed("the resubscription");
      expect(client.status().reconnects).toBe(1);
      expect(fake.subscriptions(newSession)).toMatchObject([
        { type: "channel.follow", status: "enabled" },
      ]);
    });
  }

  test("a revocation marks the subscription with Twitch's status and is reported", async () => {
    const { fake, client, subscribed, revocations } = startEventSubHarness();
    const sessionId = await subscribed();
    const [subscription] = fake.subscriptions(sessionId);
    if (!subscription) throw new Error("no subscription");
    fake.revoke(subscription.id, "authorization_revoked");
    await eventually("the revocation", () => revocations.length === 1);
    expect(revocations[0]).toMatchObject({
      messageId: expect.any(String),
      subscription: {
        id: subscription.id,
        type: "channel.follow",
        status: "authorization_revoked",
      },
    });
    expect(client.status().subscriptions).toEqual([
      {
        type: "channel.follow",
        version: "2",
        id: subscription.id,
        status: "authorization_revoked",
        error: null,
      },
    ]);
  });

  test("stop() closes the connection with 1000 and reports stopped", async () => {
    const { fake, client, subscribed } = startEventSubHarness();
    const sessionId = await subscribed();
    await client.stop();
    expect(client.status()).toMatchObject({ state: "stopped", session_id: null });
    await eventually("the close", () => fake.sessions()[0]?.status === "closed");
    expect(fake.sessions()).toEqual([expect.objectContaining({ id: sessionId, closeCode: 1000 })]);
  });
});
