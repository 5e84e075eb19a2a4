/**
 * The transcriptions API (control or worker scope): stored transcriptions newest first with a
 * time range, a session and a keyset cursor; full-text search ranked by relevance; and counts,
 * speech time and sessions over a range with hourly buckets.
 */
import {
  type Database,
  listTranscriptions,
  searchTranscriptions,
  transcriptionStats,
} from "@landale/db";
import {
  STATS_MAX_RANGE_MS,
  type TranscriptionPage,
  TranscriptionQuery,
  TranscriptionSearchQuery,
  type TranscriptionSearchResults,
  type TranscriptionStats,
  TranscriptionStatsQuery,
} from "@landale/shared";
import { Hono } from "hono";
import { invalidInput } from "../errors";
import { decodeCursor, encodeCursor, toTranscription } from "../transcription/rows";
import { parseQuery } from "./activity";

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_STATS_WINDOW_MS = DAY_MS;

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/** `since` after `until` can match nothing: say so rather than answer an empty page. */
function orderedRange(since: Date | undefined, until: Date | undefined): void {
  if (since !== undefined && until !== undefined && since.getTime() > until.getTime()) {
    throw invalidInput(400, "invalid_query", [
      { path: "since", message: "must not be after until" },
    ]);
  }
}

export function transcriptionRoutes(database: Database): Hono {
  const routes = new Hono();

  routes.get("/", async (c) => {
    const query = parseQuery(TranscriptionQuery, c.req.query());
    const since = date(query.since);
    const until = date(query.until);
    orderedRange(since, until);
    const rows = await listTranscriptions(database, {
      sessionId: query.session,
      since,
      until,
      before: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const body: TranscriptionPage = {
      transcriptions: page.map(toTranscription),
      next_cursor: rows.length > query.limit && last !== undefined ? encodeCursor(last) : null,
    };
    return c.json(body);
  });

  routes.get("/search", async (c) => {
    const query = parseQuery(TranscriptionSearchQuery, c.req.query());
    const since = date(query.since);
    const until = date(query.until);
    orderedRange(since, until);
    const hits = await searchTranscriptions(database, {
      query: query.q,
      sessionId: query.session,
      since,
      until,
      limit: query.limit,
    });
    const body: TranscriptionSearchResults = {
      query: query.q,
      results: hits.map((hit) => ({ ...toTranscription(hit), rank: hit.rank })),
    };
    return c.json(body);
  });

  routes.get("/stats", async (c) => {
    const query = parseQuery(TranscriptionStatsQuery, c.req.query());
    const until = date(query.until) ?? new Date();
    const since = date(query.since) ?? new Date(until.getTime() - DEFAULT_STATS_WINDOW_MS);
    orderedRange(since, until);
    if (until.getTime() - since.getTime() > STATS_MAX_RANGE_MS) {
      throw invalidInput(400, "invalid_query", [
        {
          path: "since",
          message: `the range may cover at most ${STATS_MAX_RANGE_MS / DAY_MS} days`,
        },
      ]);
    }
    const totals = await transcriptionStats(database, { since, until, sessionId: query.session });
    const body: TranscriptionStats = {
      since: since.toISOString(),
      until: until.toISOString(),
      count: totals.count,
      total_duration_ms: totals.durationMs,
      sessions: totals.sessions,
      buckets: totals.buckets.map((bucket) => ({
        bucket: bucket.bucket.toISOString(),
        count: bucket.count,
        duration_ms: bucket.durationMs,
      })),
    };
    return c.json(body);
  });

  return routes;
}
