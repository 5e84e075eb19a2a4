/**
 * Test support for the EventSub WebSocket client: the testkit's fake EventSub (WebSocket and
 * Helix subscriptions endpoint), a real Helix client pointed at it, and a client whose deliveries,
 * revocations and changes are recorded. Everything is stopped when the test ends.
 */
import { onTestFinished } from "bun:test";
import { createLogger } from "@landale/logger";
import { type FakeEventSubOptions, startFakeEventSub } from "@landale/testkit";
import {
  type EventSubNotification,
  type EventSubRevocation,
  type EventSubTimings,
  type PlannedSubscription,
  startEventSubSocket,
} from "../../src/twitch/eventsub-ws";
import { createHelix } from "../../src/twitch/helix";
import { eventually } from "./eventually";

export { eventually };

export const BROADCASTER_ID = "1337";

const condition = { broadcaster_user_id: BROADCASTER_ID };
export const planned = (
  type: string,
  version: string,
  critical: boolean,
  extra: Record<string, string> = {},
): PlannedSubscription => ({
  type,
  version,
  critical,
  scopes: [],
  condition: { ...condition, ...extra },
});

export const FOLLOW_SUB = planned("channel.follow", "2", true, {
  moderator_user_id: BROADCASTER_ID,
});

export const follow = (n: number) => ({
  user_id: String(n),
  user_login: `user_${n}`,
  user_name: `User_${n}`,
  broadcaster_user_id: BROADCASTER_ID,
  broadcaster_user_login: "cooler_user",
  broadcaster_user_name: "Cooler_User",
  followed_at: "2020-07-15T18:16:11.17106713Z",
});

/** A notification frame as Twitch writes it, for sending as it is (`sendRaw`). */
export const notificationFrame = (
  messageId: string,
  subscription: { type: string; version: string } | undefined,
  event: Record<string, unknown>,
) =>
  JSON.stringify({
    metadata: {
      message_id: messageId,
      message_type: "notification",
      message_timestamp: new Date().toISOString(),
      subscription_type: subscription?.type,
      subscription_version: subscription?.version,
    },
    payload: { subscription, event },
  });

export interface HarnessOptions {
  fake?: FakeEventSubOptions;
  plan?: PlannedSubscription[];
  timings?: Partial<EventSubTimings>;
  /** The token the client offers (the fake accepts any unless told `accessToken`). */
  token?: string;
}

/** Starts a fake EventSub and a client on it; both stop when the test finishes. */
export function startEventSubHarness(options: HarnessOptions = {}) {
  const fake = startFakeEventSub(options.fake);
  const delivered: EventSubNotification[] = [];
  const committed: string[] = [];
  const revocations: EventSubRevocation[] = [];
  const rejectedTokens: string[] = [];
  let changes = 0;
  let welcomes = 0;
  let plan = options.plan ?? [FOLLOW_SUB];
  const logger = createLogger({ name: "test", level: "silent" });
  const helix = createHelix({
    apiUrl: fake.apiUrl,
    clientId: "client-1",
    logger,
    auth: {
      accessToken: async () => options.token ?? "token-1",
      tokenRejected: async (token) => {
        rejectedTokens.push(token);
        return null;
      },
    },
  });
  const client = startEventSubSocket({
    url: fake.url,
    subscriptions: () => plan,
    helix,
    logger,
    timings: { backoffBaseMs: 20, backoffMaxMs: 200, ...options.timings },
    deliver: async (notification) => {
      delivered.push(notification);
      // A commit takes a little while, and not always the same while.
      await Bun.sleep(Math.random() * 2);
      committed.push(notification.messageId);
    },
    onRevocation: (revocation) => revocations.push(revocation),
    onChange: () => {
      changes += 1;
    },
    onWelcome: () => {
      welcomes += 1;
    },
    onRecovered: () => {},
  });
  onTestFinished(async () => {
    await client.stop();
    await fake.stop();
  });
  return {
    fake,
    client,
    delivered,
    committed,
    revocations,
    rejectedTokens,
    changes: () => changes,
    welcomes: () => welcomes,
    /** A new plan (the grant's scopes changed), applied to the live session. */
    replan: (next: PlannedSubscription[]) => {
      plan = next;
      client.replan();
    },
    /** The client's session once connected with every planned subscription answered. */
    subscribed: async (what = "the client's subscriptions") => {
      await eventually(what, () => {
        const status = client.status();
        return (
          status.state === "connected" &&
          status.subscriptions.length > 0 &&
          status.subscriptions.every((sub) => sub.status !== "pending")
        );
      });
      return client.status().session_id ?? "";
    },
  };
}
