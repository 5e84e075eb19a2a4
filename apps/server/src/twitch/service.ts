/**
 * The Twitch integration, composed: the sign-in (`auth`), Helix, and the EventSub WebSocket
 * session, which runs while a grant is connected, is restarted for a new user and follows the
 * grant's scopes (a new scope set changes the subscriptions of the live session). Notifications
 * are ingested as the webhook's are (`./events`); channel information, category search and emotes
 * go through Helix for the signed-in broadcaster. Every change is published as one coalesced
 * `integration_status`. The parts are taken as interfaces, so this file owns only the wiring.
 */
import type { Logger } from "@landale/logger";
import type {
  TwitchCategory,
  TwitchChannelInfo,
  TwitchChannelUpdate,
  TwitchDeviceCode,
  TwitchEmote,
  TwitchStatus,
  TwitchSubscriptionStatus,
  TwitchTokenInput,
} from "@landale/shared";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";
import { eventSubContext, notificationEvent, revocationEvent } from "./events";
import { type TwitchFailure, twitchError } from "./failures";
import { createGoalSeed } from "./goal-seed";
import type {
  AuthPort,
  AuthStatus,
  EventSubStatus,
  HelixPort,
  SocketPort,
  StartSocket,
} from "./ports";

export type { AuthPort, AuthStatus, EventSubStatus, HelixPort, StartSocket } from "./ports";

export interface TwitchService {
  status(): TwitchStatus;
  signIn(): Promise<TwitchDeviceCode>;
  acceptToken(input: TwitchTokenInput): Promise<TwitchStatus>;
  signOut(): Promise<TwitchStatus>;
  channelInfo(): Promise<TwitchChannelInfo>;
  updateChannelInfo(update: TwitchChannelUpdate): Promise<TwitchChannelInfo>;
  searchCategories(query: string): Promise<TwitchCategory[]>;
  emotes(): Promise<TwitchEmote[]>;
  onChange(listener: (status: TwitchStatus) => void): () => void;
  stop(): Promise<void>;
}

export interface TwitchServiceDeps {
  auth: AuthPort;
  helix: HelixPort;
  startSocket: StartSocket;
  ingest: Ingest;
  logger: Logger;
  /** Every subscription the hub would ask for, shown as `pending` before a session exists. */
  planned: readonly Pick<TwitchSubscriptionStatus, "type" | "version">[];
}

/** How long an ingest refused for back-pressure or start-up waits before the next attempt. */
const DELIVERY_RETRY_MS = 250;
const EMOTES_TTL_MS = 60 * 60 * 1000;

export function createTwitchService(deps: TwitchServiceDeps): TwitchService {
  const { auth, helix, ingest, logger } = deps;
  const listeners = new Set<(status: TwitchStatus) => void>();
  /** The session, for a user and the grant's scopes (sorted, joined) it subscribes for. */
  let socket: { userId: string; scopes: string; port: SocketPort } | null = null;
  let stopped = false;
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let emoteCache: { userId: string; at: number; emotes: TwitchEmote[] } | null = null;

  /**
   * The last session's status once it was stopped for an invalid grant: the subscriptions keep
   * the statuses Twitch gave them (`authorization_revoked`…) until a sign-in or a sign-out.
   */
  let ended: EventSubStatus | null = null;
  const idle: EventSubStatus = {
    state: "stopped",
    session_id: null,
    connected_at: null,
    keepalive_seconds: null,
    subscriptions: deps.planned.map(({ type, version }) => ({
      type,
      version,
      id: null,
      status: "pending",
      error: null,
    })),
    notifications: 0,
    refused: 0,
    duplicates: 0,
    reconnects: 0,
  };

  const status = (): TwitchStatus => ({
    ...auth.status(),
    eventsub: socket?.port.status() ?? ended ?? idle,
  });

  // Many changes come at once (a session's subscriptions are created one after another): publish
  // the status once they settle, not once per change.
  const changed = () => {
    if (stopped || publishTimer !== null) return;
    publishTimer = setTimeout(() => {
      publishTimer = null;
      const current = status();
      for (const listener of listeners) listener(current);
    }, 0);
  };

  /**
   * Ingests until stored; back-pressure and start-up wait and retry. An event the catalogue
   * refuses is logged with its fields, and its 422 thrown: the delivery line counts it `refused`.
   */
  const store = async (input: ReturnType<typeof notificationEvent>, messageId: string) => {
    while (!stopped) {
      try {
        await ingest(input, eventSubContext(messageId));
        return;
      } catch (err) {
        if (err instanceof AppError && err.status === 503) {
          await Bun.sleep(DELIVERY_RETRY_MS);
          continue;
        }
        if (err instanceof AppError && err.status === 422) {
          logger.warn(
            { type: input.type, messageId, details: err.details },
            "EventSub notification refused by the catalogue",
          );
        }
        throw err;
      }
    }
  };

  const connectedUser = (): { id: string; login: string } => {
    const current = auth.status();
    if (current.state === "not_configured") {
      throw new AppError(
        409,
        "twitch_not_configured",
        "Twitch is not set up: set TWITCH_CLIENT_ID and restart Landale (see docs/TWITCH.md)",
      );
    }
    if (current.state !== "connected" || current.user === null) {
      throw new AppError(
        409,
        "twitch_not_connected",
        current.problem?.action ?? "Sign in to Twitch first, from the dashboard's Twitch view.",
      );
    }
    return current.user;
  };

  const viaTwitch = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof AppError) throw err;
      const failure: TwitchFailure = twitchError(err);
      const { code, message } = failure.appError;
      const said = failure.status === null ? "Twitch not reached" : "Twitch refused";
      logger.warn({ what, code, status: failure.status, message }, said);
      throw failure.appError;
    }
  };

  const seedGoals = createGoalSeed({ helix, store, logger });

  let rechecking: Promise<void> | null = null;
  const recheckGrant = () => {
    rechecking ??= (async () => {
      try {
        await auth.tokenRejected(await auth.accessToken());
      } catch (err) {
        logger.warn({ err: twitchError(err).message }, "Twitch grant check failed");
      } finally {
        rechecking = null;
      }
    })();
    return rechecking;
  };

  const follow = async (current: AuthStatus) => {
    const user = current.state === "connected" ? current.user : null;
    if (socket !== null && socket.userId !== user?.id) {
      const old = socket;
      socket = null;
      await old.port.stop();
      if (current.state === "invalid") ended = { ...old.port.status(), state: "stopped" };
    }
    if (current.state !== "invalid") ended = null;
    if (user === null || stopped) return;
    const scopes = [...current.scopes].sort().join(" ");
    if (socket !== null) {
      if (socket.scopes === scopes) return;
      // Signed in again with other scopes: the live session gains or loses subscriptions.
      socket.scopes = scopes;
      socket.port.setScopes(current.scopes);
      void seedGoals(user, current.scopes);
      return;
    }
    socket = {
      userId: user.id,
      scopes,
      port: deps.startSocket({
        userId: user.id,
        scopes: current.scopes,
        deliver: ({ messageId, type, event }) =>
          store(notificationEvent(messageId, type, event), messageId),
        onRevocation: async ({ messageId, subscription }) => {
          await store(revocationEvent(messageId, subscription), messageId).catch((err) =>
            logger.error({ err, type: subscription.type }, "EventSub revocation not stored"),
          );
          // Twitch revokes every subscription when the user disconnects the app: check the grant
          // now rather than at the next hourly validation, so the dashboard says so at once.
          if (subscription.status === "authorization_revoked") void recheckGrant();
        },
        onChange: changed,
        // A welcome, or a create going through, says Twitch answers: goals it could not give at
        // the last attempt, it may now.
        onWelcome: () => void seedGoals(user, auth.status().scopes),
        onRecovered: () => void seedGoals(user, auth.status().scopes),
      }),
    };
  };

  // One transition at a time, in order: a sign-out racing a sign-in never leaves a socket behind.
  const failed = (err: unknown) => logger.error({ err }, "Twitch session change failed");
  let following = follow(auth.status()).catch(failed);
  const unsubscribe = auth.onChange((current) => {
    following = following.then(() => follow(current)).catch(failed);
    changed();
  });

  return {
    status,
    async signIn() {
      if (auth.status().state === "not_configured") connectedUser();
      return viaTwitch("device sign-in", () => auth.startDeviceSignIn());
    },
    async acceptToken(input) {
      if (auth.status().state === "not_configured") connectedUser();
      await viaTwitch("token", () => auth.acceptToken(input));
      await following;
      return status();
    },
    async signOut() {
      await auth.signOut();
      await following;
      return status();
    },
    async channelInfo() {
      const user = connectedUser();
      return viaTwitch("get channel", () => helix.getChannel(user.id));
    },
    async updateChannelInfo(update) {
      const user = connectedUser();
      await viaTwitch("update channel", () => helix.updateChannel(user.id, update));
      return viaTwitch("get channel", () => helix.getChannel(user.id));
    },
    async searchCategories(query) {
      connectedUser();
      return viaTwitch("search categories", () => helix.searchCategories(query));
    },
    async emotes() {
      const user = connectedUser();
      if (
        emoteCache !== null &&
        emoteCache.userId === user.id &&
        performance.now() - emoteCache.at < EMOTES_TTL_MS
      ) {
        return emoteCache.emotes;
      }
      const [own, global] = await viaTwitch("emotes", () =>
        Promise.all([helix.getChannelEmotes(user.id), helix.getGlobalEmotes()]),
      );
      emoteCache = { userId: user.id, at: performance.now(), emotes: [...own, ...global] };
      return emoteCache.emotes;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      unsubscribe();
      if (publishTimer !== null) clearTimeout(publishTimer);
      listeners.clear();
      await following.catch(() => {});
      const current = socket;
      socket = null;
      await current?.port.stop();
      await auth.stop();
    },
  };
}
