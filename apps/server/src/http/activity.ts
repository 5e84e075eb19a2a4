/**
 * The activity API: stored events newest first with filters and keyset pagination (or oldest first
 * after a seq, which is how a client fills a gap), one event by id, and hourly counts by type (from
 * TimescaleDB's continuous aggregate where there is one).
 */
import { type Database, eventById, hourlyCounts, listEvents } from "@landale/db";
import {
  type ActivityPage,
  ActivityQuery,
  type ActivityStats,
  ActivityStatsQuery,
  EventId,
} from "@landale/shared";
import { Hono } from "hono";
import type { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { toEnvelope } from "../events/envelope";

const DEFAULT_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

export function activityRoutes(database: Database): Hono {
  const routes = new Hono();

  routes.get("/events", async (c) => {
    const query = parseQuery(ActivityQuery, c.req.query());
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const afterSeq = cursor === undefined ? query.after_seq : cursor.after;
    const rows = await listEvents(database, {
      types: query.type,
      source: query.source,
      user: query.user,
      since: query.since === undefined ? undefined : new Date(query.since),
      until: query.until === undefined ? undefined : new Date(query.until),
      beforeSeq: cursor?.before,
      afterSeq,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const more = rows.length > query.limit && last !== undefined;
    const body: ActivityPage = {
      events: page.map(toEnvelope),
      next_cursor: more ? encodeCursor(last.seq, afterSeq === undefined ? "s" : "a") : null,
    };
    return c.json(body);
  });

  routes.get("/events/:id", async (c) => {
    const id = c.req.param("id");
    if (!EventId.safeParse(id).success)
      throw new AppError(400, "invalid_id", `"${id}" is not an event id`);
    const row = await eventById(database, id);
    if (row === null) throw new AppError(404, "not_found", `no event with id "${id}"`);
    return c.json(toEnvelope(row));
  });

  routes.get("/stats", async (c) => {
    const query = parseQuery(ActivityStatsQuery, c.req.query());
    const until = query.until === undefined ? new Date() : new Date(query.until);
    const since =
      query.since === undefined
        ? new Date(until.getTime() - DEFAULT_STATS_WINDOW_MS)
        : new Date(query.since);
    const counts = await hourlyCounts(database, since, until);
    const totals: Record<string, number> = {};
    for (const { type, count } of counts) totals[type] = (totals[type] ?? 0) + count;
    const body: ActivityStats = {
      since: since.toISOString(),
      until: until.toISOString(),
      from: database.timescale ? "aggregate" : "events",
      buckets: counts.map(({ bucket, type, count }) => ({
        bucket: bucket.toISOString(),
        type,
        count,
      })),
      totals,
    };
    return c.json(body);
  });

  return routes;
}

/** Validates a query string against its schema, naming every bad parameter. */
export function parseQuery<T extends z.ZodType>(
  schema: T,
  query: Record<string, string>,
): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw invalidInput(400, "invalid_query", parsed.error);
}

/** Cursors are opaque to clients: the seq to continue below (`s`) or above (`a`), base64url. */
function encodeCursor(seq: number, direction: "s" | "a"): string {
  return Buffer.from(`${direction}${seq}`).toString("base64url");
}

function decodeCursor(cursor: string): { before?: number; after?: number } {
  const text = Buffer.from(cursor, "base64url").toString();
  const [, direction, seq] = /^([sa])(\d{1,16})$/.exec(text) ?? [];
  if (seq === undefined)
    throw new AppError(400, "invalid_query", "cursor: must be a next_cursor from an earlier page");
  return direction === "a" ? { after: Number(seq) } : { before: Number(seq) };
}
