/**
 * Transcription queries: one row per segment of speech, idempotent by id. Lists are newest first
 * by (ts, id), paged by keyset; search is Postgres full-text (`websearch_to_tsquery` against the
 * `to_tsvector('english', text)` the GIN index of migration 0004 holds); stats are counts and
 * durations with hourly buckets in UTC.
 */
import { and, desc, eq, getTableColumns, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Database, Drizzle } from "./connect";
import { type TranscriptionRow, transcriptions } from "./schema";

export type NewTranscription = typeof transcriptions.$inferInsert;

/** Stores one transcription; false when its id was already stored (nothing written). */
export async function insertTranscription(
  database: Database,
  row: NewTranscription,
): Promise<boolean> {
  const conflict = database.timescale
    ? [transcriptions.id, transcriptions.ts]
    : [transcriptions.id];
  const inserted = await database.db
    .insert(transcriptions)
    .values(row)
    .onConflictDoNothing({ target: conflict })
    .returning({ id: transcriptions.id });
  return inserted.length > 0;
}

/** The latest transcriptions, newest first; of one session when given. */
export function latestTranscriptions(
  database: Database,
  limit: number,
  sessionId?: string,
): Promise<TranscriptionRow[]> {
  return listTranscriptions(database, { sessionId, limit });
}

/** Where a page ended: the next one starts below this (ts, id). */
export interface TranscriptionKey {
  ts: Date;
  id: string;
}

export interface TranscriptionFilter {
  sessionId?: string;
  since?: Date;
  until?: Date;
}

export interface TranscriptionListQuery extends TranscriptionFilter {
  /** Keyset cursor: only rows before this one in newest-first order. */
  before?: TranscriptionKey;
  limit: number;
}

function filterConditions(filter: TranscriptionFilter): (SQL | undefined)[] {
  return [
    filter.sessionId === undefined ? undefined : eq(transcriptions.sessionId, filter.sessionId),
    filter.since === undefined ? undefined : gte(transcriptions.ts, filter.since),
    filter.until === undefined ? undefined : lte(transcriptions.ts, filter.until),
  ];
}

/** Newest first by (ts, id); ties on ts are broken by id, so a cursor never skips or repeats. */
export function listTranscriptions(
  database: Database,
  query: TranscriptionListQuery,
): Promise<TranscriptionRow[]> {
  const { before } = query;
  return database.db
    .select()
    .from(transcriptions)
    .where(
      and(
        ...filterConditions(query),
        before === undefined
          ? undefined
          : sql`(${transcriptions.ts}, ${transcriptions.id}) < (${before.ts.toISOString()}::timestamptz, ${before.id})`,
      ),
    )
    .orderBy(desc(transcriptions.ts), desc(transcriptions.id))
    .limit(query.limit);
}

export interface TranscriptionSearch extends TranscriptionFilter {
  /** Web-search syntax: words, `"a phrase"`, `or`, `-excluded`. */
  query: string;
  limit: number;
}

export type RankedTranscription = TranscriptionRow & { rank: number };

/**
 * The best matches first (then the newest). The document expression must stay exactly the
 * index's, `to_tsvector('english', text)` with the configuration as a literal, or the planner
 * cannot use the index.
 */
export function searchTranscriptions(
  database: Database,
  search: TranscriptionSearch,
): Promise<RankedTranscription[]> {
  return searchTranscriptionsQuery(database.db, search);
}

/** The search as a query builder, so a test can `EXPLAIN` exactly what runs. */
export function searchTranscriptionsQuery(db: Drizzle, search: TranscriptionSearch) {
  const document = sql`to_tsvector('english', ${transcriptions.text})`;
  const query = sql`websearch_to_tsquery('english', ${search.query})`;
  const rank = sql<number>`ts_rank(${document}, ${query})`.mapWith(Number);
  return db
    .select({ ...getTableColumns(transcriptions), rank })
    .from(transcriptions)
    .where(and(sql`${document} @@ ${query}`, ...filterConditions(search)))
    .orderBy(desc(rank), desc(transcriptions.ts), desc(transcriptions.id))
    .limit(search.limit);
}

export interface HourBucket {
  /** The hour's start, UTC. */
  bucket: Date;
  count: number;
  durationMs: number;
}

export interface TranscriptionTotals {
  count: number;
  durationMs: number;
  /** Distinct sessions. */
  sessions: number;
  /** Hours with at least one transcription, oldest first. */
  buckets: HourBucket[];
}

/** Counts and speech time in `[since, until]`, in all and by UTC hour. */
export async function transcriptionStats(
  database: Database,
  filter: TranscriptionFilter & { since: Date; until: Date },
): Promise<TranscriptionTotals> {
  const where = and(...filterConditions(filter));
  const [totals] = await database.db
    .select({
      count: sql<number>`count(*)`.mapWith(Number),
      durationMs: sql<number>`coalesce(sum(${transcriptions.durationMs}), 0)`.mapWith(Number),
      sessions: sql<number>`count(distinct ${transcriptions.sessionId})`.mapWith(Number),
    })
    .from(transcriptions)
    .where(where);
  // Epoch seconds rather than a timestamp: drivers differ in how they hand back a bare expression.
  const hour = sql<number>`extract(epoch from date_trunc('hour', ${transcriptions.ts}, 'UTC'))`;
  const buckets = await database.db
    .select({
      epoch: hour.mapWith(Number),
      count: sql<number>`count(*)`.mapWith(Number),
      durationMs: sql<number>`sum(${transcriptions.durationMs})`.mapWith(Number),
    })
    .from(transcriptions)
    .where(where)
    .groupBy(hour)
    .orderBy(hour);
  return {
    count: totals?.count ?? 0,
    durationMs: totals?.durationMs ?? 0,
    sessions: totals?.sessions ?? 0,
    buckets: buckets.map((row) => ({
      bucket: new Date(row.epoch * 1000),
      count: row.count,
      durationMs: row.durationMs,
    })),
  };
}
