/** `POST /api/twitch/eventsub` against a real hub: messages signed as Twitch and its CLI sign them. */
import { beforeEach, describe, expect, it } from "bun:test";
import { testEngines } from "@landale/db/testing";
import type { ActivityPage } from "@landale/shared";
import { TWITCH_CLI_SAMPLES, TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import type { Hub } from "../src/hub";
import { signEventSub } from "../src/twitch/eventsub-webhook";
import { startTestHub, useTestDatabase } from "./support/hub";

const SECRET = "webhook-secret-for-tests";
const TOKEN = "a-control-token-of-length";
const TAILNET = "mybox.tailnet.ts.net";

interface Message {
  id?: string;
  type?: string;
  timestamp?: string;
  body: Record<string, unknown>;
}

const subscription = (type: string, status = "enabled") => ({
  id: "f1c2a387-161a-49f9-a165-0f21d7a4e1c4",
  status,
  type,
  version: type === "channel.follow" ? "2" : "1",
  condition: { broadcaster_user_id: "98520451" },
  transport: { method: "webhook", callback: "https://mybox.tailnet.ts.net/api/twitch/eventsub" },
  created_at: "2026-12-04T13:00:00.000000000Z",
  cost: 0,
});

const notification = (type: string, event: unknown, id = crypto.randomUUID()): Message => ({
  id,
  body: { subscription: subscription(type), event },
});

/**
 * Posts a message with the headers `twitch event trigger -F` sends: the signature is the HMAC of
 * id + timestamp + the exact body bytes, so the body is indented to catch any re-encoding.
 */
async function deliver(
  hub: Hub,
  { id = crypto.randomUUID(), type = "notification", timestamp, body }: Message,
  options: { secret?: string; headers?: Record<string, string> } = {},
) {
  const at = timestamp ?? new Date().toISOString().replace("Z", "123456Z");
  const raw = JSON.stringify(body, null, 2);
  const signature = signEventSub(options.secret ?? SECRET, id, at, new TextEncoder().encode(raw));
  const subscriptionOf = body.subscription as { type: string; version: string };
  const response = await fetch(`${hub.url}/api/twitch/eventsub`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "Go-http-client/1.1",
      "twitch-eventsub-message-id": id,
      "twitch-eventsub-message-retry": "0",
      "twitch-eventsub-message-type": type,
      "twitch-eventsub-message-signature": signature,
      "twitch-eventsub-message-timestamp": at,
      "twitch-eventsub-subscription-type": subscriptionOf.type,
      "twitch-eventsub-subscription-version": subscriptionOf.version,
      ...options.headers,
    },
    body: raw,
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    text: await response.text(),
  };
}

async function stored(hub: Hub): Promise<ActivityPage["events"]> {
  const response = await fetch(`${hub.url}/api/activity/events?limit=100`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as ActivityPage).events;
}

const cliFollow = () => TWITCH_CLI_SAMPLES["channel.follow"]?.[0];

describe.each(testEngines())("EventSub webhook on %s", (engine) => {
  const database = useTestDatabase(engine);
  const start = (secret: string | null = SECRET) =>
    startTestHub(
      { token: TOKEN, twitchEventSubSecret: secret, allowedHosts: [TAILNET] },
      { database: database.current },
    );
  beforeEach(() => database.reset());

  it("stores a notification signed as the Twitch CLI signs it, once, without our token", async () => {
    const hub = await start();
    const follow = notification("channel.follow", cliFollow());
    const online = notification("stream.online", TWITCH_SAMPLES["stream.online"]);
    expect((await deliver(hub, follow)).status).toBe(204);
    expect((await deliver(hub, online)).status).toBe(204);
    const events = await stored(hub);
    expect(events.map((event) => [event.type, event.id, event.source]).sort()).toEqual([
      ["channel.follow", `twitch:${follow.id}`, "twitch"],
      ["stream.online", `twitch:${online.id}`, "twitch"],
    ]);
    expect(events.find((event) => event.type === "channel.follow")?.data).toEqual(cliFollow());
  });

  it("answers a wrong or missing signature 403 and stores nothing", async () => {
    const hub = await start();
    const follow = notification("channel.follow", TWITCH_SAMPLES["channel.follow"]);
    const wrong = await deliver(hub, follow, { secret: "not-the-secret" });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.text)).toMatchObject({ code: "invalid_signature" });
    const missing = await deliver(hub, follow, {
      headers: { "twitch-eventsub-message-signature": "" },
    });
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text)).toMatchObject({ code: "invalid_signature" });
    expect(await stored(hub)).toEqual([]);
  });

  it("ignores a replayed message id, also after a restart on the same database", async () => {
    const first = await start();
    const follow = notification("channel.follow", TWITCH_SAMPLES["channel.follow"]);
    expect((await deliver(first, follow)).status).toBe(204);
    expect((await deliver(first, follow)).status).toBe(204);
    expect(await stored(first)).toHaveLength(1);
    await first.stop();
    const second = await start();
    expect((await deliver(second, follow)).status).toBe(204);
    const events = await stored(second);
    expect(events.map((event) => event.id)).toEqual([`twitch:${follow.id}`]);
  });

  it("refuses a message more than 10 minutes old with 403, storing nothing", async () => {
    const hub = await start();
    const old = new Date(Date.now() - 11 * 60 * 1000).toISOString();
    const follow = notification("channel.follow", TWITCH_SAMPLES["channel.follow"]);
    const answer = await deliver(hub, { ...follow, timestamp: old });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text)).toMatchObject({ code: "stale_message" });
    expect(await stored(hub)).toEqual([]);
  });

  it("echoes the verification challenge as text/plain", async () => {
    const hub = await start();
    const challenge = "pogchamp-kappa-360noscope-vohiyo";
    const answer = await deliver(hub, {
      type: "webhook_callback_verification",
      body: {
        subscription: subscription("channel.follow", "webhook_callback_verification_pending"),
        challenge,
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.type).toStartWith("text/plain");
    expect(answer.text).toBe(challenge);
    expect(await stored(hub)).toEqual([]);
  });

  it("records a revocation as a system.error event", async () => {
    const hub = await start();
    const id = crypto.randomUUID();
    const answer = await deliver(hub, {
      id,
      type: "revocation",
      body: { subscription: subscription("channel.follow", "authorization_revoked") },
    });
    expect(answer.status).toBe(204);
    const [event] = await stored(hub);
    expect(event).toMatchObject({
      id: `twitch:${id}`,
      type: "system.error",
      data: {
        component: "twitch-eventsub",
        code: "eventsub_revoked",
        message: expect.stringContaining("authorization_revoked"),
      },
    });
  });

  it("answers 422 for an event the catalogue refuses, so Twitch retries and nothing is stored", async () => {
    const hub = await start();
    const broken = { ...TWITCH_SAMPLES["channel.follow"], user_id: 1234 };
    const answer = await deliver(hub, notification("channel.follow", broken));
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.text)).toMatchObject({ code: "invalid_event" });
    expect(await stored(hub)).toEqual([]);
  });

  it("keeps the Host check: the public name must be listed", async () => {
    const hub = await start();
    const follow = () => notification("channel.follow", TWITCH_SAMPLES["channel.follow"]);
    expect((await deliver(hub, follow(), { headers: { host: TAILNET } })).status).toBe(204);
    expect((await deliver(hub, follow(), { headers: { host: "evil.example" } })).status).toBe(421);
    expect(await stored(hub)).toHaveLength(1);
  });

  it("answers 404 without TWITCH_EVENTSUB_SECRET", async () => {
    const hub = await start(null);
    const answer = await deliver(
      hub,
      notification("channel.follow", TWITCH_SAMPLES["channel.follow"]),
    );
    expect(answer.status).toBe(404);
    expect(await stored(hub)).toEqual([]);
  });
});
