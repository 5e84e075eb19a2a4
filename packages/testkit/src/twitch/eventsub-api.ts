/**
 * Helix `/eventsub/subscriptions` for WebSocket sessions: create (202), list (in pages, with an
 * opaque `after` cursor), delete (204), with Twitch's error answers (400 malformed or unknown
 * session or cursor, 409 duplicate, 404 unknown id).
 */
import { z } from "zod";
import type { FakeSubscription, SubscriptionAuthorizer } from "./eventsub-types";
import { helixError, timestamp } from "./wire";

/** Twitch allows this many enabled subscriptions on one WebSocket session. */
const SESSION_SUBSCRIPTION_LIMIT = 300;
/** Subscriptions kept in all; beyond it the oldest that are no longer enabled are forgotten. */
const SUBSCRIPTIONS_KEPT = 10_000;
/** Get EventSub Subscriptions answers at most this many a page, as Twitch does. */
const SUBSCRIPTIONS_PER_PAGE = 100;

/** A subscription and the user whose token created it (null when the fake tracks no users). */
export interface StoredSubscription {
  sub: FakeSubscription;
  owner: string | null;
}

interface Session {
  info: { id: string; connectedAt: string };
}

export interface SubscriptionsApiDeps<S extends Session> {
  subscriptions: Map<string, StoredSubscription>;
  authorize: SubscriptionAuthorizer;
  /** The session if it exists and is not closed. */
  openSession(id: string): S | undefined;
  /** Called once a subscription was created on the session (it is no longer unused). */
  subscribed(session: S): void;
  /** Subscriptions a page of the list holds; default `SUBSCRIPTIONS_PER_PAGE`. */
  perPage?: number;
}

/** Twitch's cursors are opaque; this one is the offset of the page's first subscription. */
const cursorOf = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url");
function offsetOf(cursor: string | null): number | null {
  if (cursor === null) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? Number(match[1]) : null;
}

const CreateBody = z.object({
  type: z.string().min(1),
  version: z.string().min(1),
  condition: z.record(z.string(), z.string()),
  transport: z.object({ method: z.literal("websocket"), session_id: z.string().min(1) }),
});

/** A reconnect moves the old session's enabled subscriptions to the new one. */
export function moveSubscriptions(
  subs: Map<string, StoredSubscription>,
  from: string,
  to: { id: string; connectedAt: string },
): void {
  for (const { sub } of subs.values()) {
    if (sub.transport.session_id !== from || sub.status !== "enabled") continue;
    sub.transport = { ...sub.transport, session_id: to.id, connected_at: to.connectedAt };
  }
}

export function createSubscriptionsApi<S extends Session>(
  deps: SubscriptionsApiDeps<S>,
): (request: Request, url: URL) => Promise<Response> {
  const subs = deps.subscriptions;

  const totals = () => {
    const all = [...subs.values()];
    return {
      total: all.length,
      total_cost: all.reduce((sum, { sub }) => sum + sub.cost, 0),
      max_total_cost: 10,
    };
  };

  const forgetOld = () => {
    const excess = subs.size - SUBSCRIPTIONS_KEPT;
    if (excess <= 0) return;
    const stale = [...subs.values()].filter(({ sub }) => sub.status !== "enabled");
    for (const { sub } of stale.slice(0, excess)) subs.delete(sub.id);
  };

  const create = async (request: Request, owner: string | null): Promise<Response> => {
    const parsed = CreateBody.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return helixError(400, "Bad Request", z.prettifyError(parsed.error));
    const body = parsed.data;
    const session = deps.openSession(body.transport.session_id);
    if (!session) {
      return helixError(
        400,
        "Bad Request",
        "websocket transport session does not exist or has already disconnected",
      );
    }
    const enabled = [...subs.values()]
      .map((stored) => stored.sub)
      .filter((sub) => sub.status === "enabled" && sub.transport.session_id === session.info.id);
    const duplicate = enabled.some(
      (sub) =>
        sub.type === body.type &&
        sub.version === body.version &&
        JSON.stringify(sub.condition) === JSON.stringify(body.condition),
    );
    if (duplicate) return helixError(409, "Conflict", "subscription already exists");
    if (enabled.length >= SESSION_SUBSCRIPTION_LIMIT) {
      return helixError(429, "Too Many Requests", "websocket transport session limit exceeded");
    }
    const sub: FakeSubscription = {
      id: crypto.randomUUID(),
      status: "enabled",
      type: body.type,
      version: body.version,
      condition: body.condition,
      created_at: timestamp(),
      transport: {
        method: "websocket",
        session_id: session.info.id,
        connected_at: session.info.connectedAt,
      },
      cost: 0,
    };
    subs.set(sub.id, { sub, owner });
    forgetOld();
    deps.subscribed(session);
    return Response.json({ data: [sub], ...totals() }, { status: 202 });
  };

  const list = (url: URL): Response => {
    const status = url.searchParams.get("status");
    const type = url.searchParams.get("type");
    const offset = offsetOf(url.searchParams.get("after"));
    if (offset === null) return helixError(400, "Bad Request", "The cursor in after is not valid.");
    const matching = [...subs.values()]
      .map(({ sub }) => sub)
      .filter(
        (sub) => (status === null || sub.status === status) && (type === null || sub.type === type),
      );
    const end = offset + (deps.perPage ?? SUBSCRIPTIONS_PER_PAGE);
    const data = matching.slice(offset, end);
    const pagination = end < matching.length ? { cursor: cursorOf(end) } : {};
    return Response.json({ data, ...totals(), pagination });
  };

  return async (request, url) => {
    const auth = deps.authorize(request);
    if (auth instanceof Response) return auth;
    if (request.method === "GET") return list(url);
    if (request.method === "DELETE") {
      const id = url.searchParams.get("id");
      if (!id) return helixError(400, "Bad Request", "Missing required parameter id");
      if (!subs.delete(id)) return helixError(404, "Not Found", "subscription not found");
      return new Response(null, { status: 204 });
    }
    if (request.method === "POST") return create(request, auth.owner);
    return helixError(405, "Method Not Allowed", "method not allowed");
  };
}
