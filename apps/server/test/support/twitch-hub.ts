/**
 * Test support for a real hub against the testkit's fake Twitch: the fake (stopped when the test
 * ends), the hub's Twitch settings for it (Helix optionally behind a `TcpProxy` the test can cut),
 * REST calls as the dashboard makes them, and a device-code sign-in.
 */
import { expect, onTestFinished } from "bun:test";
import { type ActivityPage, TWITCH_SUBSCRIPTIONS, type TwitchStatus } from "@landale/shared";
import { type FakeTwitch, startFakeTwitch, startTcpProxy, type TcpProxy } from "@landale/testkit";
import type { Config } from "../../src/config";
import type { Hub } from "../../src/hub";
import { eventually } from "./eventually";

export const CLIENT_ID = "landaletestclient";

/** A fake Twitch for this hub's client id, polled every second; stopped when the test ends. */
export function fakeTwitch(options: Parameters<typeof startFakeTwitch>[0] = {}): FakeTwitch {
  const fake = startFakeTwitch({ clientId: CLIENT_ID, deviceIntervalSeconds: 1, ...options });
  onTestFinished(() => fake.stop());
  return fake;
}

/** A proxy in front of the fake (for Helix: `twitchConfig(fake, proxiedApi(proxy))`). */
export async function proxyTo(fake: FakeTwitch): Promise<TcpProxy> {
  const proxy = await startTcpProxy({ host: "127.0.0.1", port: fake.port });
  onTestFinished(() => proxy.stop());
  return proxy;
}

export const proxiedApi = (proxy: TcpProxy) => `http://127.0.0.1:${proxy.port}/helix`;

export function twitchConfig(fake: FakeTwitch, apiUrl = fake.apiUrl): Partial<Config> {
  return {
    twitch: {
      clientId: CLIENT_ID,
      clientSecret: null,
      authUrl: fake.authUrl,
      apiUrl,
      eventSubWsUrl: fake.eventSubUrl,
    },
  };
}

export async function api<T>(
  hub: Hub,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${hub.url}/api${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as T };
}

export async function status(hub: Hub): Promise<TwitchStatus> {
  return (await api<TwitchStatus>(hub, "/twitch/status")).body;
}

export async function twitchEvents(hub: Hub, type: string): Promise<ActivityPage["events"]> {
  const events: ActivityPage["events"] = [];
  let cursor: string | null = null;
  do {
    const query = `type=${type}&limit=1000${cursor === null ? "" : `&cursor=${cursor}`}`;
    const page: ActivityPage = (await api<ActivityPage>(hub, `/activity/events?${query}`)).body;
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return events;
}

/** The types the hub subscribes to for a grant of `scopes`, in the plan's order. */
export function typesFor(scopes: readonly string[]): string[] {
  const granted = new Set(scopes);
  return TWITCH_SUBSCRIPTIONS.filter((plan) =>
    plan.scopes.every((scope) => granted.has(scope)),
  ).map((plan) => plan.type);
}

/** Waits until the session is connected with exactly `types` subscribed, each enabled. */
export async function subscribedTo(hub: Hub, types: readonly string[]): Promise<TwitchStatus> {
  await eventually(`${types.length} subscriptions enabled`, async () => {
    const { eventsub } = await status(hub);
    return (
      eventsub.state === "connected" &&
      eventsub.subscriptions.length === types.length &&
      eventsub.subscriptions.every((sub, i) => sub.type === types[i] && sub.status === "enabled")
    );
  });
  return status(hub);
}

/** Signs in with the device code as the dashboard does (the user grants `scopes`, or all asked). */
export async function signInWithCode(hub: Hub, fake: FakeTwitch, scopes?: string[]) {
  const device = await api<{ user_code: string }>(hub, "/twitch/device", { method: "POST" });
  expect(device.status).toBe(200);
  fake.approveDevice(device.body.user_code, { scopes });
}

/** Signs in with every scope, and waits for every subscription. */
export async function signIn(hub: Hub, fake: FakeTwitch): Promise<void> {
  await signInWithCode(hub, fake);
  await eventually("every subscription enabled", async () => {
    const current = await status(hub);
    return (
      current.state === "connected" &&
      current.eventsub.state === "connected" &&
      current.eventsub.subscriptions.length === TWITCH_SUBSCRIPTIONS.length &&
      current.eventsub.subscriptions.every((subscription) => subscription.status === "enabled")
    );
  });
}

export const follow = (n: number, fake: FakeTwitch) => ({
  user_id: String(5000 + n),
  user_login: `viewer${n}`,
  user_name: `Viewer${n}`,
  broadcaster_user_id: fake.user.id,
  broadcaster_user_login: fake.user.login,
  broadcaster_user_name: fake.user.display_name,
  followed_at: new Date().toISOString(),
});
