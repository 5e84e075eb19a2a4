/**
 * The activity API: stored events newest first with filters and keyset pagination, one event by
 * id, and hourly counts by type (from TimescaleDB's continuous aggregate where there is one).
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
import { AppError } from "../errors";
import { rowToEnvelope } from "../events/envelope";

const DEFAULT_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

export function activityRoutes(database: Database): Hono {
  const routes = new Hono();

  routes.get("/events", async (c) => {
    const query = parseQuery(ActivityQuery, c.req.query());
    const rows = await listEvents(database, {
      types: query.type,
      source: query.source,
      user: query.user,
      since: query.since === undefined ? undefined : new Date(query.since),
      until: query.until === undefined ? undefined : new Date(query.until),
      beforeSeq: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const body: ActivityPage = {
      events: page.map(rowToEnvelope),
      next_cursor: rows.length > query.limit && last !== undefined ? encodeCursor(last.seq) : null,
    };
    return c.json(body);
  });

  routes.get("/events/:id", async (c) => {
    const id = c.req.param("id");
    if (!EventId.safeParse(id).success)
      throw new AppError(400, "invalid_id", `"${id}" is not an event id`);
    const row = await eventById(database, id);
    if (row === null) throw new AppError(404, "not_found", `no event with id "${id}"`);
    return c.json(rowToEnvelope(row));
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
function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  const [first] = details;
  throw new AppError(400, "invalid_query", `${first?.path}: ${first?.message}`, details);
}

/** Cursors are opaque to clients: the seq to continue below, base64url-encoded. */
function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString();
  const seq = /^s(\d{1,16})$/.exec(text)?.[1];
  if (seq === undefined)
    throw new AppError(400, "invalid_query", "cursor: must be a next_cursor from an earlier page");
  return Number(seq);
}
