/**
 * The drizzle schema: one definition for embedded PGlite, Postgres and TimescaleDB. `seq` is
 * assigned by the hub's batcher (the single writer), so an event spooled while the database is away
 * already has its place in the order.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    type: text("type").notNull(),
    source: text("source").notNull(),
    ts: timestamptz("ts").notNull(),
    receivedAt: timestamptz("received_at").notNull(),
    correlationId: text("correlation_id").notNull(),
    userId: text("user_id"),
    userLogin: text("user_login"),
    data: jsonb("data").notNull(),
  },
  (table) => [
    uniqueIndex("events_seq_idx").on(table.seq),
    index("events_ts_idx").on(table.ts.desc()),
    // Listing is newest-first by seq (keyset pagination), filtered by type or user.
    index("events_type_seq_idx").on(table.type, table.seq.desc()),
    index("events_user_seq_idx")
      .on(table.userId, table.seq.desc())
      .where(sql`${table.userId} IS NOT NULL`),
    index("events_correlation_idx").on(table.correlationId),
  ],
);

export const transcriptions = pgTable(
  "transcriptions",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    ts: timestamptz("ts").notNull(),
    durationMs: integer("duration_ms").notNull(),
    text: text("text").notNull(),
    sourceId: text("source_id"),
    confidence: real("confidence"),
    meta: jsonb("meta").notNull().default({}),
  },
  (table) => [
    index("transcriptions_ts_idx").on(table.ts.desc()),
    index("transcriptions_session_ts_idx").on(table.sessionId, table.ts),
    // Full-text search (`GET /api/transcriptions/search`) matches this very expression.
    index("transcriptions_text_search_idx").using(
      "gin",
      sql`to_tsvector('english', ${table.text})`,
    ),
  ],
);

/** The stream state engine's state, one row per engine (`main`), written before it is published. */
export const streamState = pgTable("stream_state", {
  id: text("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull(),
  state: jsonb("state").notNull(),
  updatedAt: timestamptz("updated_at").notNull(),
});

/**
 * The Twitch grant the hub signed in with, one row (`main`). `sealed` holds the tokens, sealed by
 * the hub with its secret key; the other columns are what may be read without it.
 */
export const twitchGrants = pgTable("twitch_grants", {
  id: text("id").primaryKey(),
  sealed: text("sealed").notNull(),
  userId: text("user_id").notNull(),
  login: text("login").notNull(),
  scopes: text("scopes").array().notNull(),
  expiresAt: timestamptz("expires_at"),
  updatedAt: timestamptz("updated_at").notNull(),
});

export type EventRow = typeof events.$inferSelect;
export type TranscriptionRow = typeof transcriptions.$inferSelect;
export type TwitchGrantRow = typeof twitchGrants.$inferSelect;
