/**
 * Helix out of reach, through a real hub against the fake Twitch behind a proxy the test cuts: the
 * dashboard is told Twitch could not be reached (not that Twitch answered), and what the session
 * start could not load — the goals — is loaded once Twitch answers again.
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
    // Twitch closes a session left without subscriptions after a second (4003): the hub opens
    // another, whose welcome comes once Helix is back.
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
});
