/**
 * Helix out of reach, through a real hub against the fake Twitch behind a proxy the test cuts: the
 * dashboard is told Twitch could not be reached (not that Twitch answered), and what the session
 * start could not load — its subscriptions, the goals — is loaded once Twitch answers again, on
 * the same session when it is still there.
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
  proxiedApi,
  proxyTo,
  status,
  subscribedTo,
  twitchConfig,
  twitchEvents,
  typesFor,
} from "./support/twitch-hub";

const paste = (hub: Awaited<ReturnType<typeof startTestHub>>, fake: FakeTwitch) =>
  api<TwitchStatus>(hub, "/twitch/token", {
    method: "POST",
    body: JSON.stringify(fake.issueToken({ scopes: [...TWITCH_SCOPES] })),
  });

describe.each(testEngines())("Twitch out of reach on %s", (engine) => {
  const database = useTestDatabase(engine);
  const hubFor = async (fake: FakeTwitch, apiUrl: string) => {
    await database.reset();
    return startTestHub(twitchConfig(fake, apiUrl), {
      database: database.current,
      twitch: { eventSubTimings: { backoffBaseMs: 50, backoffMaxMs: 500 } },
    });
  };

  it("answers 502 twitch_unreachable, with no Twitch status, when Helix cannot be reached", async () => {
    const fake = fakeTwitch();
    const proxy = await proxyTo(fake);
    const hub = await hubFor(fake, proxiedApi(proxy));
    expect((await paste(hub, fake)).status).toBe(200);
    await proxy.cut();

    const channel = await api<{ code: string; message: string; details?: unknown }>(
      hub,
      "/twitch/channel",
    );
    expect(channel.status).toBe(502);
    expect(channel.body.code).toBe("twitch_unreachable");
    expect(channel.body.details).toBeUndefined();
    expect(channel.body.message).toStartWith("Twitch could not be reached for GET /channels: ");
    expect(channel.body.message.split("could not be reached")).toHaveLength(2);
  });

  it("loads the goals once Helix answers again, when it could not at the session's start", async () => {
    // Twitch closes a session left without subscriptions after a second (4003) and the hub opens
    // another: the goals come at the welcome after Helix is back, or when a create goes through.
    const fake = fakeTwitch({ unusedSeconds: 1 });
    const proxy = await proxyTo(fake);
    await proxy.cut();
    const hub = await hubFor(fake, proxiedApi(proxy));
    expect((await paste(hub, fake)).status).toBe(200);
    await eventually("the subscriptions failed, Helix out of reach", async () => {
      const { eventsub } = await status(hub);
      return eventsub.subscriptions.some((sub) => sub.status === "failed");
    });
    expect(await twitchEvents(hub, "channel.goal.progress")).toHaveLength(0);

    await proxy.restore();
    await subscribedTo(hub, typesFor(TWITCH_SCOPES));
    await eventually(
      "the goal seeded",
      async () => (await twitchEvents(hub, "channel.goal.progress")).length === 1,
    );
    const requests = fake.requests().filter((request) => request.path.startsWith("/helix/goals"));
    expect(requests).toHaveLength(1);
  });

  it("creates on the same session, once Helix answers again, the subscriptions it could not", async () => {
    // Twitch keeps an unused session for 10 s: Helix is back well within it.
    const fake = fakeTwitch();
    const proxy = await proxyTo(fake);
    await proxy.cut();
    const hub = await hubFor(fake, proxiedApi(proxy));
    expect((await paste(hub, fake)).status).toBe(200);
    let failedOn: string | null = null;
    await eventually("a subscription failed, Helix out of reach", async () => {
      const { eventsub } = await status(hub);
      const failed = eventsub.subscriptions.find((sub) => sub.status === "failed");
      if (failed === undefined) return false;
      expect(failed.error).toStartWith(
        "Twitch could not be reached for POST /eventsub/subscriptions",
      );
      failedOn = eventsub.session_id;
      return true;
    });

    await proxy.restore();
    const after = await subscribedTo(hub, typesFor(TWITCH_SCOPES));
    expect(failedOn).not.toBeNull();
    expect(after.eventsub.session_id).toBe(failedOn);
    expect(fake.sessions()).toHaveLength(1);
    // No new welcome: the creates going through say Twitch answers again, and the goals follow.
    await eventually(
      "the goal seeded",
      async () => (await twitchEvents(hub, "channel.goal.progress")).length === 1,
    );
  });

  it("tries again, on the same session, the creates Twitch answered with a 5xx while the rest are enabled", async () => {
    // Helix comes back in the middle of the session's creation: the first creates (the critical
    // group's) get Twitch's 503, the ones after them go through, so Twitch keeps the session.
    const fake = fakeTwitch();
    const unavailable = {
      status: 503,
      body: { error: "Service Unavailable", status: 503, message: "try again later" },
    };
    for (let i = 0; i < 3; i += 1) fake.answerNext("/helix/eventsub/subscriptions", unavailable);
    const hub = await hubFor(fake, fake.apiUrl);
    expect((await paste(hub, fake)).status).toBe(200);

    const types = typesFor(TWITCH_SCOPES);
    const after = await subscribedTo(hub, types);
    expect(fake.sessions()).toHaveLength(1);
    expect(fake.subscriptions(after.eventsub.session_id ?? "")).toHaveLength(types.length);
    // Each planned subscription created once, and the three Twitch answered 503 once more.
    const creates = fake
      .requests()
      .filter(
        (request) => request.method === "POST" && request.path === "/helix/eventsub/subscriptions",
      );
    expect(creates).toHaveLength(types.length + 3);
  });
});
