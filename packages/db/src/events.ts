/**
 * Event queries. A batch window is written by `insertEventWindow` in one statement whatever its
 * size: the rows travel as a single JSON parameter expanded by `json_to_recordset`, so there is no
 * bind-parameter limit to stay under, and `ON CONFLICT (id) DO NOTHING` makes a re-sent id
 * harmless. Only the id may conflict: a clash on seq is an error, never a silent skip.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "./connect";
import { type EventRow, events } from "./schema";

export interface NewEvent {
  id: string;
  seq: number;
  type: string;
  source: string;
  ts: string;
  receivedAt: string;
  correlationId: string;
  userId: string | null;
  userLogin: string | null;
  data: unknown;
  /** `data` as JSON, when the caller made it already (ingest validation does): written as it is. */
  dataJson?: string;
  /**
   * True when the hub made the id for this event (a fresh UUIDv7) rather than a producer giving
   * it: no stored row can have it, so a writer need not look for it among the stored ones.
   */
  madeId?: boolean;
}

/** What writing a window needs of the database. */
export type WindowDatabase = Pick<Database, "rows" | "timescale">;

export interface StoredId {
  id: string;
  /** The new event's seq, or for a re-sent id the seq it was stored with. */
  seq: number;
  /** False when the id was already stored (nothing new was written). */
  inserted: boolean;
}

/**
 * Writes one window atomically and answers, in input order, each event's stored seq. Ids must be
 * unique within the window (the batcher folds duplicates).
 */
export async function insertEventWindow(
  database: WindowDatabase,
  window: NewEvent[],
): Promise<StoredId[]> {
  if (window.length === 0) return [];
  const json = windowJson(window);
  // On TimescaleDB the unique keys carry the time column (see migration 0001).
  const conflict = database.timescale ? sql.raw("(id, ts)") : sql.raw("(id)");
  const stored = await database.rows<{
    id: string;
    seq: string | number | null;
    inserted: boolean;
  }>(sql`
    WITH input AS (
      SELECT * FROM json_to_recordset(${json}::json) AS x(
        id text, seq bigint, type text, source text, ts timestamptz, received_at timestamptz,
        correlation_id text, user_id text, user_login text, data jsonb
      )
    ), inserted AS (
      INSERT INTO events (id, seq, type, source, ts, received_at, correlation_id, user_id, user_login, data)
      SELECT id, seq, type, source, ts, received_at, correlation_id, user_id, user_login, data
      FROM input ORDER BY seq
      ON CONFLICT ${conflict} DO NOTHING
      RETURNING id, seq
    )
    SELECT input.id, COALESCE(inserted.seq, stored.seq) AS seq, inserted.id IS NOT NULL AS inserted
    FROM input
    LEFT JOIN inserted ON inserted.id = input.id
    LEFT JOIN events stored ON inserted.id IS NULL AND stored.id = input.id
    ORDER BY input.seq
  `);
  const missing = stored.find((row) => row.seq === null);
  if (missing !== undefined)
    throw new Error(`event ${missing.id} was neither inserted nor found stored`);
  return stored.map((row) => ({ id: row.id, seq: Number(row.seq), inserted: row.inserted }));
}

/**
 * The window as the JSON array `json_to_recordset` reads. Each event's `data` is written as the
 * JSON validation already made of it (`dataJson`) where there is one, not serialised again: at
 * ~1 KB an event it is most of the window's bytes and most of the cost of encoding it.
 */
function windowJson(window: readonly NewEvent[]): string {
  const rows = new Array<string>(window.length);
  for (let i = 0; i < window.length; i++) {
    const event = window[i] as NewEvent;
    const rest = JSON.stringify({
      id: event.id,
      seq: event.seq,
      type: event.type,
      source: event.source,
      ts: event.ts,
      received_at: event.receivedAt,
      correlation_id: event.correlationId,
      user_id: event.userId,
      user_login: event.userLogin,
    });
    const data = event.dataJson ?? JSON.stringify(event.data) ?? "null";
    rows[i] = `${rest.slice(0, -1)},"data":${data}}`;
  }
  return `[${rows.join(",")}]`;
}

/** Events with seq above `afterSeq`, oldest first. */
export function eventsAfter(
  database: Database,
  afterSeq: number,
  limit: number,
): Promise<EventRow[]> {
  return database.db
    .select()
    .from(events)
    .where(gt(events.seq, afterSeq))
    .orderBy(events.seq)
    .limit(limit);
}

/**
 * The newest `limit` events with seq above `afterSeq` received since `receivedSince`, oldest first:
 * what a reconnecting client missed, bounded in count and age.
 */
export async function latestEventsAfter(
  database: Database,
  afterSeq: number,
  receivedSince: Date,
  limit: number,
): Promise<EventRow[]> {
  const rows = await database.db
    .select()
    .from(events)
    .where(and(gt(events.seq, afterSeq), gte(events.receivedAt, receivedSince)))
    .orderBy(desc(events.seq))
    .limit(limit);
  return rows.reverse();
}

export interface EventQuery {
  types?: string[];
  source?: string;
  /** Matches user_id or user_login. */
  user?: string;
  since?: Date;
  until?: Date;
  /** Keyset cursor: only events with a smaller seq. */
  beforeSeq?: number;
  /** Only events with a greater seq, and then oldest first: paging forward from a known seq. */
  afterSeq?: number;
  limit: number;
}

/** Newest first by seq, or oldest first when `afterSeq` is given. */
export function listEvents(database: Database, query: EventQuery): Promise<EventRow[]> {
  const conditions: (SQL | undefined)[] = [
    query.types && query.types.length > 0 ? inArray(events.type, query.types) : undefined,
    query.source === undefined ? undefined : eq(events.source, query.source),
    query.user === undefined ? undefined : userMatches(query.user),
    query.since === undefined ? undefined : gte(events.ts, query.since),
    query.until === undefined ? undefined : lte(events.ts, query.until),
    query.beforeSeq === undefined ? undefined : lt(events.seq, query.beforeSeq),
    query.afterSeq === undefined ? undefined : gt(events.seq, query.afterSeq),
  ];
  return database.db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(query.afterSeq === undefined ? desc(events.seq) : asc(events.seq))
    .limit(query.limit);
}

/**
 * Events whose user id is `user` or whose login is `user` lowercased. The overlap is what the
 * `events_user_idx` GIN index answers; the exact test then keeps only true matches.
 */
function userMatches(user: string): SQL {
  const login = user.toLowerCase();
  return sql`(${events.userId} IS NOT NULL
    AND ARRAY[${events.userId}, ${events.userLogin}] && ARRAY[${user}, ${login}]::text[]
    AND (${events.userId} = ${user} OR ${events.userLogin} = ${login}))`;
}

export async function eventById(database: Database, id: string): Promise<EventRow | null> {
  const [row] = await database.db.select().from(events).where(eq(events.id, id)).limit(1);
  return row ?? null;
}

export async function maxEventSeq(database: Database): Promise<number> {
  const [row] = await database.rows<{ max: string | number | null }>(
    sql`SELECT max(seq) AS max FROM events`,
  );
  return row?.max == null ? 0 : Number(row.max);
}

export interface TypeCount {
  bucket: Date;
  type: string;
  count: number;
}

/** Hourly counts by type, from the continuous aggregate where TimescaleDB keeps one. */
export async function hourlyCounts(
  database: Database,
  since: Date,
  until: Date,
): Promise<TypeCount[]> {
  const rows = database.timescale
    ? await database.rows<{ bucket: Date; type: string; count: string | number }>(sql`
        SELECT bucket, type, count FROM events_hourly
        WHERE bucket >= date_trunc('hour', ${since.toISOString()}::timestamptz) AND bucket <= ${until.toISOString()}::timestamptz
        ORDER BY bucket, type`)
    : await database.rows<{ bucket: Date; type: string; count: string | number }>(sql`
        SELECT date_trunc('hour', ts) AS bucket, type, count(*) AS count FROM events
        WHERE ts >= ${since.toISOString()}::timestamptz AND ts <= ${until.toISOString()}::timestamptz
        GROUP BY 1, 2 ORDER BY 1, 2`);
  return rows.map((row) => ({
    bucket: new Date(row.bucket),
    type: row.type,
    count: Number(row.count),
  }));
}

/** Deletes at most `limit` events older than `cutoff` (retention without TimescaleDB). */
export async function deleteEventsBefore(
  database: Database,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const rows = await database.rows<{ id: string }>(sql`
    DELETE FROM events WHERE id IN (
      SELECT id FROM events WHERE ts < ${cutoff.toISOString()}::timestamptz ORDER BY ts LIMIT ${limit}
    ) RETURNING id`);
  return rows.length;
}

/** Sets the TimescaleDB retention policy on events (a no-op without TimescaleDB). */
export async function applyRetentionPolicy(database: Database, days: number): Promise<void> {
  if (!database.timescale) return;
  await database.rows(sql`SELECT remove_retention_policy('events', if_exists => true)`);
  await database.rows(sql`SELECT add_retention_policy('events', make_interval(days => ${days}))`);
}
