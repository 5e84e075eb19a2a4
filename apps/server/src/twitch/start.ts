/**
 * The Twitch integration's real parts, built from the configuration: the sealed grant store, the
 * sign-in, Helix, and an EventSub WebSocket session per signed-in user, subscribing to the plan
 * in `@landale/shared` (critical group first) for the scopes the grant has — again when they change.
 */
import type { Database } from "@landale/db";
import type { Logger } from "@landale/logger";
import { TWITCH_SCOPES, TWITCH_SUBSCRIPTIONS } from "@landale/shared";
import type { HubConfig } from "../config";
import type { Ingest } from "../events/ingest";
import { startTwitchAuth } from "./auth";
import { type EventSubTimings, type PlannedSubscription, startEventSubSocket } from "./eventsub-ws";
import { createHelix } from "./helix";
import { loadSecretKey, type SecretKey } from "./secret-key";
import { createTwitchService, type TwitchService } from "./service";
import { createTokenStore } from "./token-store";

export interface TwitchOptions {
  /** Shorter EventSub timings (tests). */
  eventSubTimings?: Partial<EventSubTimings>;
}

/**
 * The key that seals the grant, read (or generated) before anything else starts, so a bad key
 * stops start-up at once with its message (`SecretKeyError`, exit 78). Made only for a hub that
 * may store a grant: without a client id no key file appears.
 */
export function twitchSecretKey(config: HubConfig): SecretKey | null {
  return config.twitch.clientId === null ? null : loadSecretKey(config.secretKey, config.dataDir);
}

/** The subscriptions `scopes` allow, for `userId`, in the plan's order (critical first). */
function planFor(userId: string, scopes: readonly string[], logger: Logger): PlannedSubscription[] {
  const granted = new Set(scopes);
  const plan = TWITCH_SUBSCRIPTIONS.filter((entry) =>
    entry.scopes.every((scope) => granted.has(scope)),
  ).map((entry) => ({ ...entry, condition: entry.condition(userId) }));
  if (plan.length < TWITCH_SUBSCRIPTIONS.length) {
    logger.warn(
      { skipped: TWITCH_SUBSCRIPTIONS.length - plan.length },
      "some EventSub subscriptions need scopes the grant lacks: sign in again to add them",
    );
  }
  return plan;
}

export async function startTwitch(
  config: HubConfig,
  key: SecretKey | null,
  database: Database,
  ingest: Ingest,
  logger: Logger,
  options: TwitchOptions = {},
): Promise<TwitchService> {
  const { twitch } = config;
  const auth = await startTwitchAuth({
    twitch,
    scopes: TWITCH_SCOPES,
    store: key === null ? null : createTokenStore(database, key),
    logger: logger.child({ component: "twitch-auth" }),
  });
  const helix = createHelix({
    apiUrl: twitch.apiUrl,
    clientId: twitch.clientId ?? "",
    auth,
    logger: logger.child({ component: "helix" }),
  });
  const socketLogger = logger.child({ component: "twitch-eventsub" });
  return createTwitchService({
    auth,
    helix,
    ingest,
    logger: logger.child({ component: "twitch" }),
    planned: TWITCH_SUBSCRIPTIONS.map(({ type, version }) => ({ type, version })),
    startSocket: ({ userId, scopes, deliver, onRevocation, onChange, onWelcome, onRecovered }) => {
      let plan = planFor(userId, scopes, socketLogger);
      const socket = startEventSubSocket({
        url: twitch.eventSubWsUrl,
        subscriptions: () => plan,
        helix,
        deliver,
        onRevocation,
        onChange,
        onWelcome,
        onRecovered,
        logger: socketLogger,
        timings: options.eventSubTimings,
      });
      return {
        status: socket.status,
        stop: socket.stop,
        setScopes(next) {
          plan = planFor(userId, next, socketLogger);
          socket.replan();
        },
      };
    },
  });
}
