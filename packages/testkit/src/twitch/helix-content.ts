/**
 * Helix's read-only content endpoints in the fake: Search Categories, Get Games, Get Creator
 * Goals, Get Channel Emotes and Get Global Emotes, answered from `catalog.ts`.
 */
import {
  boxArtUrl,
  CATEGORIES,
  channelEmotes,
  emoteTemplate,
  type FakeEmote,
  type FakeGoal,
  globalEmotes,
} from "./catalog";
import type { FakeTwitchUser } from "./state";
import { helixError } from "./wire";

/** Who is calling: the token's scopes (the user is the fake's one user). */
export interface Caller {
  scopes: string[];
}

export type HelixRoute = (
  url: URL,
  caller: Caller,
  request: Request,
) => Response | Promise<Response>;

export interface ContentDeps {
  user: FakeTwitchUser;
  /** The fake's base URL (`http://127.0.0.1:<port>`), read when an image URL is built. */
  base: () => string;
  goals: () => FakeGoal[];
  /** Emotes that replace the built-in ones. */
  emotes?: { channel?: FakeEmote[]; global?: FakeEmote[] };
}

const SEARCH_FIRST_DEFAULT = 20;
const SEARCH_FIRST_MAX = 100;

export function missingParameter(name: string): Response {
  return helixError(400, "Bad Request", `Missing required parameter "${name}"`);
}

export function missingScope(scope: string): Response {
  return helixError(401, "Unauthorized", `Missing scope: ${scope}`);
}

export function notTheBroadcaster(): Response {
  return helixError(
    401,
    "Unauthorized",
    "The ID in broadcaster_id must match the user ID found in the OAuth token.",
  );
}

export function contentRoutes(deps: ContentDeps): Record<string, HelixRoute> {
  const searchCategories: HelixRoute = (url) => {
    const query = url.searchParams.get("query")?.trim().toLowerCase();
    if (!query) return missingParameter("query");
    const first = Number(url.searchParams.get("first") ?? SEARCH_FIRST_DEFAULT);
    if (!Number.isInteger(first) || first < 1 || first > SEARCH_FIRST_MAX) {
      return helixError(400, "Bad Request", `first must be between 1 and ${SEARCH_FIRST_MAX}`);
    }
    const data = CATEGORIES.filter((c) => c.name.toLowerCase().includes(query))
      .slice(0, first)
      .map(({ id, name }) => ({ id, name, box_art_url: boxArtUrl(deps.base(), id, "52x72") }));
    return Response.json({ data, pagination: {} });
  };

  const games: HelixRoute = (url) => {
    const ids = url.searchParams.getAll("id");
    const names = url.searchParams.getAll("name").map((name) => name.toLowerCase());
    const igdbIds = url.searchParams.getAll("igdb_id");
    if (ids.length + names.length + igdbIds.length === 0) {
      return helixError(400, "Bad Request", 'Missing required parameter "id", "name" or "igdb_id"');
    }
    const data = CATEGORIES.filter(
      (c) =>
        ids.includes(c.id) ||
        names.includes(c.name.toLowerCase()) ||
        (c.igdb_id !== "" && igdbIds.includes(c.igdb_id)),
    ).map((c) => ({ ...c, box_art_url: boxArtUrl(deps.base(), c.id) }));
    return Response.json({ data });
  };

  const goals: HelixRoute = (url, caller) => {
    if (!caller.scopes.includes("channel:read:goals")) return missingScope("channel:read:goals");
    const broadcaster = url.searchParams.get("broadcaster_id");
    if (!broadcaster) return missingParameter("broadcaster_id");
    if (broadcaster !== deps.user.id) return notTheBroadcaster();
    return Response.json({ data: deps.goals() });
  };

  const channelEmoteList: HelixRoute = (url) => {
    const broadcaster = url.searchParams.get("broadcaster_id");
    if (!broadcaster) return missingParameter("broadcaster_id");
    const own = deps.emotes?.channel ?? channelEmotes(deps.base(), deps.user);
    const data = broadcaster === deps.user.id ? own : [];
    return Response.json({ data, template: emoteTemplate(deps.base()) });
  };

  const globalEmoteList: HelixRoute = () => {
    const data = deps.emotes?.global ?? globalEmotes(deps.base());
    return Response.json({ data, template: emoteTemplate(deps.base()) });
  };

  return {
    "GET /search/categories": searchCategories,
    "GET /games": games,
    "GET /goals": goals,
    "GET /chat/emotes": channelEmoteList,
    "GET /chat/emotes/global": globalEmoteList,
  };
}
