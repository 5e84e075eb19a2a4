/**
 * A small fake Helix for the client's tests: real HTTP on a free port, Twitch's documented answers
 * and error bodies (`{error, status, message}`), a rate-limit bucket reported in
 * `Ratelimit-Limit/Remaining/Reset` that answers 429 when empty, and 401 for any token it was not
 * told to accept. Its clock is the test's (`now`), so a wait for the reset costs no real time.
 * (To be replaced by the testkit's full fake Twitch.)
 */
import type { Server } from "bun";

export interface HelixRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  token: string | null;
  clientId: string | null;
  body: unknown;
  /** The fake's clock when the request arrived. */
  at: number;
}

export interface FakeHelixOptions {
  /** Bearer tokens answered; any other gets 401. */
  tokens: string[];
  clientId: string;
  /** The clock (ms) the rate-limit bucket follows. */
  now: () => number;
  /** Subscriptions per page of the list. Default 100. */
  pageSize?: number;
}

export interface FakeHelix {
  readonly apiUrl: string;
  requests(): HelixRequestRecord[];
  acceptTokens(tokens: string[]): void;
  /** Sets the bucket: `remaining` of `limit` left until `resetAt` (ms), then full again. */
  setRateLimit(limit: number, remaining: number, resetAt: number): void;
  /** The channel as PATCH left it. */
  channel(): Record<string, unknown>;
  /** The next answer to `path` is this status and JSON body (a refusal, or a malformed answer). */
  answerNext(path: string, status: number, body: unknown): void;
  stop(): Promise<void>;
}

export const BROADCASTER = { id: "141981764", login: "twitchdev", name: "TwitchDev" };

/** Twitch's documented emote template. */
export const EMOTE_TEMPLATE =
  "https://static-cdn.jtvnw.net/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}";

const emote = (id: string, name: string, withImages: boolean) => ({
  id,
  name,
  images: withImages
    ? {
        url_1x: `https://static-cdn.jtvnw.net/emoticons/v2/${id}/static/light/1.0`,
        url_2x: `https://static-cdn.jtvnw.net/emoticons/v2/${id}/static/light/2.0`,
        url_4x: `https://static-cdn.jtvnw.net/emoticons/v2/${id}/static/light/3.0`,
      }
    : {},
  format: ["static", "animated"],
  scale: ["1.0", "2.0", "3.0"],
  theme_mode: ["light", "dark"],
});

const refuse = (status: number, error: string, message: string) =>
  Response.json({ error, status, message }, { status });

export function startFakeHelix(options: FakeHelixOptions): FakeHelix {
  const log: HelixRequestRecord[] = [];
  let tokens = new Set(options.tokens);
  const bucket = { limit: 800, remaining: 800, resetAt: options.now() + 60_000 };
  const scripted = new Map<string, Response>();
  const subscriptions: Record<string, unknown>[] = [];
  let channel: Record<string, unknown> = {
    broadcaster_id: BROADCASTER.id,
    broadcaster_login: BROADCASTER.login,
    broadcaster_name: BROADCASTER.name,
    broadcaster_language: "en",
    game_id: "509670",
    game_name: "Science & Technology",
    title: "TwitchDev Monthly Update // May 6, 2021",
    delay: 0,
    tags: ["DevsInTheKnow"],
    content_classification_labels: [],
    is_branded_content: false,
  };

  const route = (method: string, path: string, url: URL, body: unknown): Response => {
    const key = `${method} ${path}`;
    const broadcaster = url.searchParams.get("broadcaster_id");
    switch (key) {
      case "GET /users":
        return Response.json({
          data: [
            {
              id: BROADCASTER.id,
              login: BROADCASTER.login,
              display_name: BROADCASTER.name,
              type: "",
              broadcaster_type: "partner",
              description: "Supporting third-party developers building Twitch integrations.",
              profile_image_url: "https://static-cdn.jtvnw.net/jtv_user_pictures/twitchdev.png",
              offline_image_url: "",
              view_count: 5980557,
              created_at: "2016-12-14T20:32:28Z",
            },
          ],
        });
      case "GET /channels":
        return Response.json({ data: broadcaster === BROADCASTER.id ? [channel] : [] });
      case "PATCH /channels": {
        const update = body as Record<string, unknown>;
        if (typeof update.title === "string" && update.title.trim() === "") {
          return refuse(400, "Bad Request", "The title field may not contain an empty string.");
        }
        channel = { ...channel, ...update };
        return new Response(null, { status: 204 });
      }
      case "GET /search/categories":
        return Response.json({
          data: [
            {
              id: "33214",
              name: "Fortnite",
              box_art_url: "https://static-cdn.jtvnw.net/ttv-boxart/33214-52x72.jpg",
            },
          ].filter((game) =>
            game.name.toLowerCase().includes((url.searchParams.get("query") ?? "").toLowerCase()),
          ),
          pagination: {},
        });
      case "GET /goals":
        return Response.json({
          data: [
            {
              id: "1woowvbkiNv8BRxEWSqmQz6Zk92",
              broadcaster_id: BROADCASTER.id,
              broadcaster_name: BROADCASTER.name,
              broadcaster_login: BROADCASTER.login,
              type: "follower",
              description: "Follow goal for Helix testing",
              current_amount: 27062,
              target_amount: 30000,
              created_at: "2021-08-16T17:22:23Z",
            },
          ],
        });
      case "GET /chat/emotes":
        return Response.json({
          data: [
            { ...emote("304456832", "twitchdevPitchfork", true), tier: "1000" },
            { ...emote("emotesv2_dc24652ada1e4c84a5e3ceebae4de709", "twitchdevHype", false) },
          ],
          template: EMOTE_TEMPLATE,
        });
      case "GET /chat/emotes/global":
        return Response.json({
          data: [emote("196892", "TwitchUnity", true)],
          template: EMOTE_TEMPLATE,
        });
      case "POST /eventsub/subscriptions": {
        const create = body as Record<string, unknown>;
        const sub = {
          id: crypto.randomUUID(),
          status: "enabled",
          type: create.type,
          version: create.version,
          condition: create.condition,
          created_at: new Date(options.now()).toISOString(),
          transport: create.transport,
          cost: 0,
        };
        subscriptions.push(sub);
        return Response.json(
          { data: [sub], total: subscriptions.length, total_cost: 0, max_total_cost: 10 },
          { status: 202 },
        );
      }
      case "GET /eventsub/subscriptions": {
        const size = options.pageSize ?? 100;
        const start = Number(url.searchParams.get("after") ?? "0");
        const data = subscriptions.slice(start, start + size);
        const next = start + size < subscriptions.length ? { cursor: String(start + size) } : {};
        return Response.json({
          data,
          total: subscriptions.length,
          total_cost: 0,
          max_total_cost: 10,
          pagination: next,
        });
      }
      case "DELETE /eventsub/subscriptions": {
        const at = subscriptions.findIndex((sub) => sub.id === url.searchParams.get("id"));
        if (at < 0) return refuse(404, "Not Found", "subscription not found");
        subscriptions.splice(at, 1);
        return new Response(null, { status: 204 });
      }
      default:
        return refuse(404, "Not Found", "not found");
    }
  };

  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const path = url.pathname.replace(/^\/helix/, "");
      const token = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? null;
      const text = await request.text();
      log.push({
        method: request.method,
        path,
        query: Object.fromEntries(url.searchParams),
        token,
        clientId: request.headers.get("client-id"),
        body: text === "" ? null : JSON.parse(text),
        at: options.now(),
      });
      if (options.now() >= bucket.resetAt) {
        bucket.remaining = bucket.limit;
        bucket.resetAt = options.now() + 60_000;
      }
      const answer = (() => {
        if (token === null || !tokens.has(token))
          return refuse(401, "Unauthorized", "Invalid OAuth token");
        if (request.headers.get("client-id") !== options.clientId)
          return refuse(401, "Unauthorized", "Client ID and OAuth token do not match");
        if (bucket.remaining <= 0) return refuse(429, "Too Many Requests", "Too Many Requests");
        bucket.remaining -= 1;
        const next = scripted.get(path);
        scripted.delete(path);
        return next ?? route(request.method, path, url, text === "" ? null : JSON.parse(text));
      })();
      answer.headers.set("Ratelimit-Limit", String(bucket.limit));
      answer.headers.set("Ratelimit-Remaining", String(bucket.remaining));
      answer.headers.set("Ratelimit-Reset", String(Math.ceil(bucket.resetAt / 1000)));
      return answer;
    },
  });

  return {
    apiUrl: `http://127.0.0.1:${server.port}/helix`,
    requests: () => [...log],
    acceptTokens(list) {
      tokens = new Set(list);
    },
    setRateLimit(limit, remaining, resetAt) {
      Object.assign(bucket, { limit, remaining, resetAt });
    },
    channel: () => ({ ...channel }),
    answerNext(path, status, body) {
      scripted.set(path, Response.json(body, { status }));
    },
    stop: () => server.stop(true),
  };
}
