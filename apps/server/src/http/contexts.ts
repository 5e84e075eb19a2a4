/**
 * The stream contexts API (control or worker scope): stored contexts newest window first, of a
 * session, with a keyset cursor; full-text search over what was said and the analysis' context,
 * best match first; and, over the last hours, how many there were by sentiment and their energy,
 * in all and by hour.
 */
import { contextStats, type Database, listContexts, searchContexts } from "@landale/db";
import {
  type ContextPage,
  ContextQuery,
  ContextSearchQuery,
  type ContextSearchResults,
  type ContextStats,
  ContextStatsQuery,
} from "@landale/shared";
import { Hono } from "hono";
import { decodeContextCursor, encodeContextCursor, toStreamContext } from "../context/rows";
import { parseQuery } from "./activity";

const HOUR_MS = 60 * 60 * 1000;

export function contextRoutes(database: Database, now: () => number = Date.now): Hono {
  const routes = new Hono();

  routes.get("/", async (c) => {
    const query = parseQuery(ContextQuery, c.req.query());
    const rows = await listContexts(database, {
      sessionId: query.session,
      before: query.cursor === undefined ? undefined : decodeContextCursor(query.cursor),
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const body: ContextPage = {
      contexts: page.map(toStreamContext),
      next_cursor:
        rows.length > query.limit && last !== undefined ? encodeContextCursor(last) : null,
    };
    return c.json(body);
  });

  routes.get("/search", async (c) => {
    const query = parseQuery(ContextSearchQuery, c.req.query());
    const hits = await searchContexts(database, {
      query: query.q,
      sessionId: query.session,
      limit: query.limit,
    });
    const body: ContextSearchResults = {
      query: query.q,
      results: hits.map((hit) => ({ ...toStreamContext(hit), rank: hit.rank })),
    };
    return c.json(body);
  });

  routes.get("/stats", async (c) => {
    const query = parseQuery(ContextStatsQuery, c.req.query());
    const until = new Date(now());
    const since = new Date(until.getTime() - query.hours * HOUR_MS);
    const totals = await contextStats(database, { since, until, sessionId: query.session });
    const body: ContextStats = {
      since: since.toISOString(),
      until: until.toISOString(),
      count: totals.count,
      sentiment: {
        positive: totals.sentiments.positive ?? 0,
        negative: totals.sentiments.negative ?? 0,
        neutral: totals.sentiments.neutral ?? 0,
        mixed: totals.sentiments.mixed ?? 0,
      },
      energy: {
        average: totals.energyAverage,
        series: totals.buckets.map((bucket) => ({
          bucket: bucket.bucket.toISOString(),
          count: bucket.count,
          average: bucket.energyAverage,
        })),
      },
    };
    return c.json(body);
  });

  return routes;
}
