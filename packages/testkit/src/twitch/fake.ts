/**
 * A fake Twitch for tests: one Bun server on a free port of 127.0.0.1 speaking the documented
 * protocols over real sockets — the id service (`/oauth2`, `oauth.ts`) with its activation page
 * (`/activate`), Helix (`/helix`, `helix.ts`) and EventSub over WebSocket (`/ws`,
 * `eventsub-sessions.ts`) — for one user, with controls a test drives it by (`fake-types.ts`).
 */
import type { Server } from "bun";
import { createActivatePage } from "./activate";
import { defaultGoals, placeholderImage } from "./catalog";
import { createChannel } from "./channel";
import { eventSubControls } from "./eventsub";
import { createEventSub } from "./eventsub-sessions";
import type { SocketData } from "./eventsub-types";
import type { FakeTwitch, FakeTwitchOptions } from "./fake-types";
import { authorizeHelix, createHelix } from "./helix";
import { createOAuth } from "./oauth";
import { createRateLimit } from "./rate-limit";
import { createRequestLog } from "./request-log";
import { createScriptedAnswers } from "./scripted";
import { createIdentity, type FakeTwitchUser } from "./state";
import { helixError } from "./wire";

export type { FakeDevice, FakeTwitch, FakeTwitchOptions } from "./fake-types";
export type { FakeRequest } from "./request-log";
export type { ScriptedAnswer } from "./scripted";

export const DEFAULT_FAKE_USER: FakeTwitchUser = {
  id: "141981764",
  login: "twitchdev",
  display_name: "TwitchDev",
};

/** What `issueToken()` grants when neither it nor the options name scopes. */
export const DEFAULT_FAKE_SCOPES = ["channel:manage:broadcast", "channel:read:goals"];

export function startFakeTwitch(options: FakeTwitchOptions = {}): FakeTwitch {
  const clientId = options.clientId ?? "fake-client-id";
  const user = { ...(options.user ?? DEFAULT_FAKE_USER) };
  const deviceExpiresInSeconds = options.deviceExpiresInSeconds ?? 1800;
  const now = options.now ?? Date.now;
  let base = "";
  const identity = createIdentity({
    deviceExpiresInSeconds,
    accessTokenSeconds: options.accessTokenSeconds ?? 14_400,
    now,
  });
  const channel = createChannel(user, options.channel);
  const rateLimit = createRateLimit(now);
  const goals = options.goals ?? defaultGoals(user);
  const log = createRequestLog(now);
  const scripted = createScriptedAnswers();
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
  const activate = createActivatePage({ identity, user, approvedScopes: options.scopes, now });
  const helix = createHelix({
    identity,
    clientId,
    user,
    channel,
    rateLimit,
    base: () => `http://${base}`,
    goals: () => goals.map((goal) => ({ ...goal })),
    emotes: options.emotes,
    subscriptions: eventsub.api,
  });

  const route = (request: Request, url: URL, srv: Server<SocketData>) => {
    const path = url.pathname;
    if (path === "/ws") return eventsub.upgrade(request, srv, url);
    if (path.startsWith("/oauth2/")) return oauth(request, path.slice("/oauth2".length));
    if (path.startsWith("/helix/")) return helix(request, url);
    if (path === "/activate") return activate(request);
    if (path.startsWith("/static-cdn/")) return placeholderImage();
    return helixError(404, "Not Found", "not found");
  };

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request, srv) {
      const url = new URL(request.url);
      await log.record(request, url);
      return scripted.take(url.pathname) ?? route(request, url, srv);
    },
    websocket: eventsub.websocket,
  });
  base = `127.0.0.1:${server.port}`;

  let stopped: Promise<void> | null = null;
  return {
    ...eventSubControls(eventsub),
    url: `http://${base}`,
    port: server.port as number,
    authUrl: `http://${base}/oauth2`,
    apiUrl: `http://${base}/helix`,
    eventSubUrl: `ws://${base}/ws`,
    user: { ...user },
    approveDevice(userCode, approval = {}) {
      identity.approve(userCode, approval.scopes ?? options.scopes);
    },
    denyDevice: (userCode) => identity.deny(userCode),
    expireDevice: (userCode) => identity.expireDevice(userCode),
    slowDownDevice: (userCode) => identity.slowDown(userCode),
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
    secrets: () => identity.secrets(),
    channel: () => channel.info(),
    requests: () => log.entries(),
    setRateLimit: (setting) => rateLimit.set(setting),
    answerNext: (path, answer) => scripted.add(path, answer),
    stop() {
      stopped ??= (async () => {
        eventsub.close();
        await server.stop(true);
      })();
      return stopped;
    },
  };
}
