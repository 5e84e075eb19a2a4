/**
 * A fake Twitch for tests: one Bun server on a free port of 127.0.0.1 speaking the documented
 * protocols over real sockets — the id service (`/oauth2`, `oauth.ts`) with its activation page
 * (`/activate`), Helix (`/helix`, `helix.ts`) and EventSub over WebSocket (`/ws`,
 * `eventsub-sessions.ts`) — for one user, with controls a test drives it by.
 */
import type { Server } from "bun";
import { createActivatePage } from "./activate";
import { defaultGoals, type FakeGoal, placeholderImage } from "./catalog";
import { createChannel, type FakeChannel, type FakeChannelPreset } from "./channel";
import { createEventSub, eventSubControls } from "./eventsub-sessions";
import type { EventSubControls, EventSubTimings, SocketData } from "./eventsub-types";
import { authorizeHelix, createHelix } from "./helix";
import { createOAuth } from "./oauth";
import { createRateLimit, type RateLimitSetting } from "./rate-limit";
import { createIdentity, type DeviceStatus, type FakeTwitchUser, type TokenAnswer } from "./state";
import { helixError, pushBounded } from "./wire";

/** Requests kept for `requests()`; the oldest beyond this are dropped. */
const REQUESTS_KEPT = 1_000;

export const DEFAULT_FAKE_USER: FakeTwitchUser = {
  id: "141981764",
  login: "twitchdev",
  display_name: "TwitchDev",
};

/** What `issueToken()` grants when neither it nor the options name scopes. */
export const DEFAULT_FAKE_SCOPES = ["channel:manage:broadcast", "channel:read:goals"];

export interface FakeTwitchOptions extends EventSubTimings {
  /** The app's client id; every endpoint refuses another. Default "fake-client-id". */
  clientId?: string;
  /** When set, a `client_secret` sent to `/oauth2/token` must match it (public clients send none). */
  clientSecret?: string;
  /** The one Twitch user: who approves device codes and owns every token. */
  user?: FakeTwitchUser;
  /** What the user grants: approvals grant these instead of what the app asked for, and `issueToken()` defaults to them. */
  scopes?: string[];
  /** The channel's initial information. */
  channel?: FakeChannelPreset;
  /** The creator goals Helix answers. Default: one follower goal. */
  goals?: FakeGoal[];
  /** `interval` of a device code. Default 5, as Twitch. */
  deviceIntervalSeconds?: number;
  /** `expires_in` of a device code. Default 1800, as Twitch. */
  deviceExpiresInSeconds?: number;
  /** `expires_in` of an access token. Default 14400 (four hours). */
  accessTokenSeconds?: number;
}

export interface FakeDevice {
  userCode: string;
  /** The scopes the app asked for. */
  scopes: string[];
  status: DeviceStatus;
}

export interface FakeRequest {
  method: string;
  /** The path; with the query string for Helix only (an id-service query may carry a token). */
  path: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface FakeTwitch extends EventSubControls {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** TWITCH_AUTH_URL: `<url>/oauth2`. */
  readonly authUrl: string;
  /** TWITCH_API_URL: `<url>/helix`. */
  readonly apiUrl: string;
  /** TWITCH_EVENTSUB_WS_URL: `ws://127.0.0.1:<port>/ws`. */
  readonly eventSubUrl: string;
  readonly user: FakeTwitchUser;
  /** The user authorizes a device code (the newest waiting one when omitted). */
  approveDevice(userCode?: string, options?: { scopes?: string[] }): void;
  /** The user cancels a device code: polling it answers "invalid device code". */
  denyDevice(userCode?: string): void;
  /** A device code runs out now: polling it answers "expired_token". */
  expireDevice(userCode?: string): void;
  devices(): FakeDevice[];
  /** A grant minted outside the device flow (e.g. `twitch token -u`), for the paste path. */
  issueToken(options?: { scopes?: string[]; expiresIn?: number }): TokenAnswer;
  /**
   * The user disconnects the app: every token stops working (validate and Helix 401, refresh
   * 400) and, unless `subscriptions: false`, each enabled subscription the user's tokens created
   * is revoked with `authorization_revoked`, as Twitch does.
   */
  revokeGrant(options?: { subscriptions?: boolean }): void;
  /** Every access token expires now; refresh tokens keep working. */
  expireAccessTokens(): void;
  /** The channel as Helix shows it (what PATCH stored). */
  channel(): FakeChannel;
  requests(): FakeRequest[];
  setRateLimit(setting: RateLimitSetting): void;
  stop(): Promise<void>;
}

export function startFakeTwitch(options: FakeTwitchOptions = {}): FakeTwitch {
  const clientId = options.clientId ?? "fake-client-id";
  const user = { ...(options.user ?? DEFAULT_FAKE_USER) };
  const deviceExpiresInSeconds = options.deviceExpiresInSeconds ?? 1800;
  let base = "";
  const identity = createIdentity({
    deviceExpiresInSeconds,
    accessTokenSeconds: options.accessTokenSeconds ?? 14_400,
  });
  const channel = createChannel(user, options.channel);
  const rateLimit = createRateLimit();
  const goals = options.goals ?? defaultGoals(user);
  const log: FakeRequest[] = [];
  const authorize = authorizeHelix(identity, clientId);

  const eventsub = createEventSub({
    ...options,
    wsUrl: () => `ws://${base}/ws`,
    authorize: (request) => {
      const caller = authorize(request);
      return caller instanceof Response ? caller : { owner: user.id };
    },
  });
  const oauth = createOAuth({
    identity,
    user,
    clientId,
    clientSecret: options.clientSecret ?? null,
    activateUrl: () => `http://${base}/activate`,
    deviceIntervalSeconds: options.deviceIntervalSeconds ?? 5,
    deviceExpiresInSeconds,
  });
  const activate = createActivatePage({ identity, user, approvedScopes: options.scopes });
  const helix = createHelix({
    identity,
    clientId,
    user,
    channel,
    rateLimit,
    base: () => `http://${base}`,
    goals: () => goals.map((goal) => ({ ...goal })),
    subscriptions: eventsub.api,
  });

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request, srv) {
      const url = new URL(request.url);
      const path = url.pathname;
      const query = path.startsWith("/helix/") ? url.search : "";
      pushBounded(
        log,
        { method: request.method, path: `${path}${query}`, at: Date.now() },
        REQUESTS_KEPT,
      );
      if (path === "/ws") return eventsub.upgrade(request, srv, url);
      if (path.startsWith("/oauth2/")) return oauth(request, path.slice("/oauth2".length));
      if (path.startsWith("/helix/")) return helix(request, url);
      if (path === "/activate") return activate(request);
      if (path.startsWith("/static-cdn/")) return placeholderImage();
      return helixError(404, "Not Found", "not found");
    },
    websocket: eventsub.websocket,
  });
  base = `127.0.0.1:${server.port}`;

  let stopped: Promise<void> | null = null;
  return {
    ...eventSubControls(eventsub),
    url: `http://${base}`,
    authUrl: `http://${base}/oauth2`,
    apiUrl: `http://${base}/helix`,
    eventSubUrl: `ws://${base}/ws`,
    user: { ...user },
    approveDevice(userCode, approval = {}) {
      identity.approve(userCode, approval.scopes ?? options.scopes);
    },
    denyDevice: (userCode) => identity.deny(userCode),
    expireDevice: (userCode) => identity.expireDevice(userCode),
    devices: () =>
      identity.devices().map(({ userCode, scopes, status }) => ({
        userCode,
        scopes: [...scopes],
        status,
      })),
    issueToken: (issue = {}) =>
      identity.issue(issue.scopes ?? options.scopes ?? DEFAULT_FAKE_SCOPES, issue.expiresIn),
    revokeGrant(revoke = {}) {
      identity.revokeAll();
      if (revoke.subscriptions !== false) eventsub.revokeOwner(user.id, "authorization_revoked");
    },
    expireAccessTokens: () => identity.expireAccessTokens(),
    channel: () => channel.info(),
    requests: () => log.map((entry) => ({ ...entry })),
    setRateLimit: (setting) => rateLimit.set(setting),
    stop() {
      stopped ??= (async () => {
        eventsub.close();
        await server.stop(true);
      })();
      return stopped;
    },
  };
}
