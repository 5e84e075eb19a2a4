/**
 * The API's trust checks, in the order they run: the Host header names the hub (for every request
 * the hub serves, sockets and pages too), a browser page's Origin is allowed, the bearer token
 * has the scope (the same tokens and scopes as sockets, `../auth`; a signed webhook checks its own
 * signature instead), and writes are JSON.
 */
import type { MiddlewareHandler } from "hono";
import {
  type AuthOptions,
  authenticateToken,
  isAllowedHost,
  isAllowedOrigin,
  type Scope,
} from "../auth";
import { AppError } from "../errors";

const BEARER = /^Bearer\s+(.+)$/i;
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const JSON_TYPE = "application/json";

/**
 * The answer to a request whose Host header does not name the hub (a DNS-rebinding page sends its
 * own domain), or null to serve it. Runs before anything else reads the request's URL.
 */
export function refuseHost(auth: AuthOptions, request: Request): Response | null {
  const host = request.headers.get("host");
  if (isAllowedHost(auth, host)) return null;
  const err =
    host === null
      ? new AppError(400, "host_required", "send a Host header")
      : new AppError(
          421,
          "host_not_allowed",
          `this hub does not answer to "${host}": use a loopback address, the bind address, or list the name in LANDALE_ALLOWED_HOSTS`,
        );
  return Response.json(err.body(), { status: err.status });
}

/** Browser pages may call the API only from the hub's own origin or an allowed one. */
export function requireOrigin(auth: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header("origin") ?? null;
    if (!isAllowedOrigin(auth, origin, c.req.raw)) {
      throw new AppError(
        403,
        "origin_not_allowed",
        `pages from ${origin} may not call this hub; add the origin to LANDALE_ALLOWED_ORIGINS to allow it`,
      );
    }
    await next();
  };
}

/**
 * The token must have one of the scopes the request needs. `scopes` says which, per request: the
 * API is the control scope's, but some reads are open to a read-only token as well, and a
 * `SIGNED` route (Twitch's webhook) checks its caller itself.
 */
export function requireScope(
  auth: AuthOptions,
  scopes: (method: string, path: string) => readonly Scope[],
): MiddlewareHandler {
  return async (c, next) => {
    if (scopes(c.req.method, c.req.path) === SIGNED) return next();
    const header = c.req.header("authorization");
    const token = header === undefined ? null : (BEARER.exec(header)?.[1] ?? null);
    const principal = authenticateToken(auth, token);
    if (principal === null) {
      throw new AppError(
        401,
        "unauthorized",
        "send the control token as Authorization: Bearer <token>",
      );
    }
    const needed = scopes(c.req.method, c.req.path);
    if (!needed.includes(principal.scope)) {
      throw new AppError(
        403,
        "forbidden",
        `this needs the ${needed.join(" or ")} scope; the token has ${principal.scope}`,
      );
    }
    await next();
  };
}

const CONTROL: readonly Scope[] = ["control"];
const ANY_SCOPE: readonly Scope[] = ["control", "overlay", "worker"];
/** Past events: what `events:*` already sends an overlay, read back to fill a gap (docs/CLIENT.md). */
const OVERLAY_READS = "/api/activity/events";

// The worker scope: ingest and the reads a worker needs (recent chatters, past transcriptions and
// stream contexts).
const CONTROL_OR_WORKER: readonly Scope[] = ["control", "worker"];
const WORKER_INGEST = "/api/events";
const WORKER_READS = /^\/api\/(?:transcriptions|contexts)(?:\/search|\/stats)?$/;

/**
 * No token: the route authenticates the request itself (Twitch signs its EventSub webhook
 * messages and cannot send our token). The Host, Origin, JSON and size checks still apply.
 */
export const SIGNED: readonly Scope[] = [];
const EVENTSUB_WEBHOOK = "/api/twitch/eventsub";

/**
 * Who may call the API: the control token; an overlay or worker token for reading past events; a
 * worker token for ingest and the transcription and context reads; and Twitch, by its signature, on the
 * EventSub webhook.
 */
export function apiScopes(method: string, path: string): readonly Scope[] {
  if (method === "POST" && path === EVENTSUB_WEBHOOK) return SIGNED;
  if (method === "POST" && path === WORKER_INGEST) return CONTROL_OR_WORKER;
  if (method === "GET" && path === OVERLAY_READS) return ANY_SCOPE;
  if (method === "GET" && WORKER_READS.test(path)) return CONTROL_OR_WORKER;
  return CONTROL;
}

/**
 * Writes must say `Content-Type: application/json`, with a body or without: a web page can send
 * text/plain, form and body-less requests to any site without asking (CORS "simple" requests),
 * but not JSON, so a page elsewhere cannot drive a tokenless hub.
 */
export function requireJsonWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (WRITES.has(c.req.method)) {
      const type = c.req.header("content-type");
      const mediaType = type?.split(";")[0]?.trim().toLowerCase();
      if (mediaType !== JSON_TYPE) {
        const err = new AppError(
          415,
          "unsupported_media_type",
          `send Content-Type: ${JSON_TYPE} (got ${type === undefined ? "none" : `"${type}"`}); a request without a body needs it too`,
          { accepted: [JSON_TYPE] },
        );
        // The body is never read, so the connection cannot be reused.
        return c.json(err.body(), err.status, { accept: JSON_TYPE, connection: "close" });
      }
    }
    await next();
  };
}
