/**
 * The fake Helix under `/helix`: every call needs `Client-Id` and a bearer token this fake issued
 * and still honours (401 `{error, status, message}` otherwise), spends a point of the rate-limit
 * bucket (429 when empty) and carries the `Ratelimit-*` headers. Routes: Get Users, Get/Modify
 * Channel Information, the content endpoints (`helix-content.ts`) and EventSub subscriptions.
 */
import type { ChannelState } from "./channel";
import {
  type Caller,
  type ContentDeps,
  contentRoutes,
  type HelixRoute,
  missingParameter,
  missingScope,
  notTheBroadcaster,
} from "./helix-content";
import type { RateLimitBucket } from "./rate-limit";
import type { FakeTwitchUser, IdentityState } from "./state";
import { helixError } from "./wire";

export interface HelixDeps extends ContentDeps {
  identity: IdentityState;
  clientId: string;
  channel: ChannelState;
  rateLimit: RateLimitBucket;
  /** The EventSub core's `/eventsub/subscriptions` handler. */
  subscriptions: (request: Request, url: URL) => Promise<Response>;
}

const unauthorized = (message: string) => helixError(401, "Unauthorized", message);

/** Helix's checks of `Authorization: Bearer` and `Client-Id`: the caller, or the 401 to answer. */
export function authorizeHelix(
  identity: IdentityState,
  clientId: string,
): (request: Request) => Caller | Response {
  return (request) => {
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!bearer) return unauthorized("OAuth token is missing");
    const presentedClient = request.headers.get("client-id");
    if (!presentedClient) return unauthorized("Client ID is missing");
    const grant = identity.accessToken(bearer);
    if (!grant) return unauthorized("Invalid OAuth token");
    if (presentedClient !== clientId) return unauthorized("Client ID and OAuth token do not match");
    return { scopes: grant.scopes };
  };
}

function userBody(user: FakeTwitchUser, base: string, caller: Caller) {
  return {
    id: user.id,
    login: user.login,
    display_name: user.display_name,
    type: "",
    broadcaster_type: "affiliate",
    description: "",
    profile_image_url: `${base}/static-cdn/jtv_user_pictures/${user.id}-profile_image-300x300.png`,
    offline_image_url: "",
    view_count: 0,
    // As Twitch: the email only with the user:read:email scope.
    ...(caller.scopes.includes("user:read:email") ? { email: `${user.login}@example.com` } : {}),
    created_at: "2016-12-14T20:32:28Z",
  };
}

export function createHelix(deps: HelixDeps): (request: Request, url: URL) => Promise<Response> {
  const authorize = authorizeHelix(deps.identity, deps.clientId);
  const { user, channel } = deps;

  const users: HelixRoute = (url, caller) => {
    const ids = url.searchParams.getAll("id");
    const logins = url.searchParams.getAll("login").map((login) => login.toLowerCase());
    // Without id or login Helix answers the token's user; this fake knows no other user.
    const asked = ids.length + logins.length > 0;
    const matches = !asked || ids.includes(user.id) || logins.includes(user.login.toLowerCase());
    return Response.json({ data: matches ? [userBody(user, deps.base(), caller)] : [] });
  };

  const getChannel: HelixRoute = (url) => {
    const ids = url.searchParams.getAll("broadcaster_id");
    if (ids.length === 0) return missingParameter("broadcaster_id");
    return Response.json({ data: ids.includes(user.id) ? [channel.info()] : [] });
  };

  const modifyChannel: HelixRoute = async (url, caller, request) => {
    if (!caller.scopes.includes("channel:manage:broadcast")) {
      return missingScope("channel:manage:broadcast");
    }
    const broadcaster = url.searchParams.get("broadcaster_id");
    if (!broadcaster) return missingParameter("broadcaster_id");
    if (broadcaster !== user.id) return notTheBroadcaster();
    const body: unknown = await request.json().catch(() => undefined);
    if (body === undefined)
      return helixError(400, "Bad Request", "The request body is not valid JSON.");
    const refused = channel.modify(body);
    if (refused) return helixError(400, "Bad Request", refused);
    return new Response(null, { status: 204 });
  };

  const routes: Record<string, HelixRoute | undefined> = {
    "GET /users": users,
    "GET /channels": getChannel,
    "PATCH /channels": modifyChannel,
    ...contentRoutes(deps),
  };

  const route = (request: Request, url: URL, path: string, caller: Caller) => {
    if (path === "/eventsub/subscriptions") return deps.subscriptions(request, url);
    const handler = routes[`${request.method} ${path}`];
    if (!handler)
      return helixError(404, "Not Found", `${request.method} ${path} is not in this fake`);
    return handler(url, caller, request);
  };

  return async (request, url) => {
    const caller = authorize(request);
    if (caller instanceof Response) return caller;
    if (!deps.rateLimit.take()) {
      const limited = helixError(429, "Too Many Requests", "Request limit exceeded");
      for (const [name, value] of Object.entries(deps.rateLimit.headers())) {
        limited.headers.set(name, value);
      }
      return limited;
    }
    const path = url.pathname.slice("/helix".length);
    const response = await route(request, url, path, caller);
    for (const [name, value] of Object.entries(deps.rateLimit.headers())) {
      response.headers.set(name, value);
    }
    return response;
  };
}
