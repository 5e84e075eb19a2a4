/**
 * Stream context queries: one row per analysed window, idempotent by id. Lists are newest first by
 * (ended_at, id), paged by keyset; search is Postgres full-text (`websearch_to_tsquery` against the
 * transcript and the analysis' context together, the expression the GIN index of migration 0005
 * holds); stats count sentiments and average energy, in all and by UTC hour.
 */
import { and, desc, eq, getTableColumns, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Database, Drizzle } from "./connect";
import { type ContextRow, contexts } from "./schema";

export type NewContext = typeof contexts.$inferInsert;

/** Stores one context; false when its id was already stored (nothing written). */
export async function insertContext(database: Database, row: NewContext): Promise<boolean> {
  const inserted = await database.db
    .insert(contexts)
    .values(row)
    .onConflictDoNothing({ target: contexts.id })
    .returning({ id: contexts.id });
  return inserted.length > 0;
}

/** Where a page ended: the next one starts below this (ended_at, id). */
export interface ContextKey {
  endedAt: Date;
  id: string;
}

export interface ContextFilter {
  sessionId?: string;
  /** Windows that ended at or after this. */
  since?: Date;
  /** Windows that ended at or before this. */
  until?: Date;
}

export interface ContextListQuery extends ContextFilter {
  /** Keyset cursor: only rows before this one in newest-first order. */
  before?: ContextKey;
  limit: number;
}

function filterConditions(filter: ContextFilter): (SQL | undefined)[] {
  return [
    filter.sessionId === undefined ? undefined : eq(contexts.sessionId, filter.sessionId),
    filter.since === undefined ? undefined : gte(contexts.endedAt, filter.since),
    filter.until === undefined ? undefined : lte(contexts.endedAt, filter.until),
  ];
}

/** Newest first by (ended_at, id); ties on ended_at are broken by id, so a cursor never skips or repeats. */
export function listContexts(database: Database, query: ContextListQuery): Promise<ContextRow[]> {
  const { before } = query;
  return database.db
    .select()
    .from(contexts)
    .where(
      and(
        ...filterConditions(query),
        before === undefined
          ? undefined
          : sql`(${contexts.endedAt}, ${contexts.id}) < (${before.endedAt.toISOString()}::timestamptz, ${before.id})`,
      ),
    )
    .orderBy(desc(contexts.endedAt), desc(contexts.id))
    .limit(query.limit);
}

export interface ContextSearch extends ContextFilter {
  /** Web-search syntax: words, `"a phrase"`, `or`, `-excluded`. */
  query: string;
  limit: number;
}

export type RankedContext = ContextRow & { rank: number };

/**
 * The best matches first (then the newest), over what was said and what the analysis made of it.
 * The document expression must stay exactly the index's, or the planner cannot use the index.
 */
export function searchContexts(
  database: Database,
  search: ContextSearch,
): Promise<RankedContext[]> {
  return searchContextsQuery(database.db, search);
}

/** The search as a query builder, so a test can `EXPLAIN` exactly what runs. */
export function searchContextsQuery(db: Drizzle, search: ContextSearch) {
  const document = sql`to_tsvector('english', ${contexts.transcript} || ' ' || (${contexts.analysis} ->> 'context'))`;
  const query = sql`websearch_to_tsquery('english', ${search.query})`;
  const rank = sql<number>`ts_rank(${document}, ${query})`.mapWith(Number);
  return db
    .select({ ...getTableColumns(contexts), rank })
    .from(contexts)
    .where(and(sql`${document} @@ ${query}`, ...filterConditions(search)))
    .orderBy(desc(rank), desc(contexts.endedAt), desc(contexts.id))
    .limit(search.limit);
}

export interface ContextHour {
  /** The hour's start, UTC. */
  bucket: Date;
  count: number;
  energyAverage: number;
}

export interface ContextTotals {
  count: number;
  /** Contexts by sentiment; a sentiment no context had is absent. */
  sentiments: Record<string, number>;
  /** Null when there is no context to average. */
  energyAverage: number | null;
  /** Hours with at least one context, oldest first. */
  buckets: ContextHour[];
}

/** Counts by sentiment and average energy of the windows that ended in `[since, until]`, in all and by UTC hour. */
export async function contextStats(
  database: Database,
  filter: ContextFilter & { since: Date; until: Date },
): Promise<ContextTotals> {
  const where = and(...filterConditions(filter));
  const count = sql<number>`count(*)`.mapWith(Number);
  const energy = sql<number>`avg(${contexts.energy})`.mapWith(Number);
  const bySentiment = await database.db
    .select({ sentiment: contexts.sentiment, count, energy })
    .from(contexts)
    .where(where)
    .groupBy(contexts.sentiment);
  // Epoch seconds rather than a timestamp: drivers differ in how they hand back a bare expression.
  const hour = sql<number>`extract(epoch from date_trunc('hour', ${contexts.endedAt}, 'UTC'))`;
  const buckets = await database.db
    .select({ epoch: hour.mapWith(Number), count, energy })
    .from(contexts)
    .where(where)
    .groupBy(hour)
    .orderBy(hour);
  const total = bySentiment.reduce((sum, row) => sum + row.count, 0);
  const energySum = bySentiment.reduce((sum, row) => sum + row.energy * row.count, 0);
  return {
    count: total,
    sentiments: Object.fromEntries(bySentiment.map((row) => [row.sentiment, row.count])),
    energyAverage: total === 0 ? null : energySum / total,
    buckets: buckets.map((row) => ({
      bucket: new Date(row.epoch * 1000),
      count: row.count,
      energyAverage: row.energy,
    })),
  };
}
