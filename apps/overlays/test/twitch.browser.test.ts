/**
 * A follow from Twitch reaches the omnibar: a fake Twitch (`startFakeTwitch`) run by this test,
 * a real hub as a child process pointed at it and signed in with a pasted token, and the omnibar
 * in Chromium. The follow goes out over the fake's EventSub WebSocket, as Twitch sends it; the
 * page is watched through its `data-state` attributes. Needs `bun run build` first.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { ActivityPage, TWITCH_SCOPES, TwitchStatus } from "@landale/shared";
import { type FakeTwitch, launchBrowser, startFakeTwitch } from "@landale/testkit";
import type { Browser, BrowserContext } from "playwright-core";
import {
  type HubProcess,
  layerElement,
  openPage,
  screenshot,
  startHubProcess,
  waitForLayer,
} from "./support";

setDefaultTimeout(60_000);

const CLIENT_ID = "landaleoverlaytest";
const WAIT_MS = 15_000;

let fake: FakeTwitch;
let hub: HubProcess;
let browser: Browser;
let context: BrowserContext | null = null;
/** Uncaught errors in the page: none is expected, ever. */
const pageErrors: string[] = [];

beforeAll(async () => {
  fake = startFakeTwitch({ clientId: CLIENT_ID });
  hub = await startHubProcess({
    TWITCH_CLIENT_ID: CLIENT_ID,
    TWITCH_AUTH_URL: fake.authUrl,
    TWITCH_API_URL: fake.apiUrl,
    TWITCH_EVENTSUB_WS_URL: fake.eventSubUrl,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await Promise.allSettled([context?.close(), browser?.close(), hub?.stop()]);
  await fake?.stop();
});

/** Polls the hub's Twitch status until `check` holds; fails naming `what` after WAIT_MS. */
async function statusUntil(what: string, check: (status: TwitchStatus) => boolean) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const status = TwitchStatus.parse(await hub.get("/api/twitch/status"));
    if (check(status)) return status;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(status)}`);
    }
    await Bun.sleep(50);
  }
}

describe("/overlays/omnibar with Twitch", () => {
  it("shows a follow Twitch sends over EventSub as the omnibar's alert", async () => {
    // A token minted outside the device flow, pasted: the hub validates it at Twitch first.
    const signedIn = TwitchStatus.parse(
      await hub.post("/api/twitch/token", fake.issueToken({ scopes: [...TWITCH_SCOPES] })),
    );
    expect(signedIn.state).toBe("connected");
    expect(signedIn.missing_scopes).toEqual([]);
    await statusUntil("channel.follow enabled", (status) =>
      status.eventsub.subscriptions.some(
        (sub) => sub.type === "channel.follow" && sub.status === "enabled",
      ),
    );

    const opened = await openPage(browser, hub, "omnibar", {
      prepare: (tab) => tab.on("pageerror", (error) => pageErrors.push(error.message)),
    });
    context = opened.context;
    const { page } = opened;

    const messageId = fake.notify("channel.follow", {
      user_id: "90210",
      user_login: "grace_from_twitch",
      user_name: "Grace_From_Twitch",
      broadcaster_user_id: fake.user.id,
      broadcaster_user_login: fake.user.login,
      broadcaster_user_name: fake.user.display_name,
      followed_at: new Date().toISOString(),
    });
    await waitForLayer(page, "foreground", ["active"], "Grace_From_Twitch");
    expect(await layerElement(page, "foreground")).toMatchObject({
      kind: "alert",
      type: "channel.follow",
    });
    await screenshot(page, "omnibar-twitch-follow");

    // The hub stored it once, as the Twitch event that message carried.
    const stored = ActivityPage.parse(
      await hub.get("/api/activity/events?type=channel.follow&limit=10"),
    );
    expect(stored.events.map((event) => [event.id, event.source])).toEqual([
      [`twitch:${messageId}`, "twitch"],
    ]);
    expect(pageErrors).toEqual([]);
  });
});
