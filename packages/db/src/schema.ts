/**
 * The drizzle schema: one definition for embedded PGlite, Postgres and TimescaleDB. `seq` is
 * assigned by the hub's batcher (the single writer), so an event spooled while the database is away
 * already has its place in the order.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
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
  // Every index costs every write: each is here for a query in events.ts, with its plan in
  // docs/DATABASE.md. Listing is newest-first by seq (keyset pagination).
  (table) => [
    uniqueIndex("events_seq_idx").on(table.seq),
    // Time ranges: hourly counts, since/until, retention's oldest first.
    index("events_ts_idx").on(table.ts.desc()),
    // A type filter, when the type is rare among the events (alerts amid chat).
    index("events_type_seq_idx").on(table.type, table.seq.desc()),
    // The user filter matches the id or the login: one index for both.
    index("events_user_idx")
      .using("gin", sql`(ARRAY[${table.userId}, ${table.userLogin}])`)
      .where(sql`${table.userId} IS NOT NULL`),
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

/**
 * Stream contexts: one window of speech and chat with the AI worker's analysis of it. The figures
 * and the analysis are kept whole as JSON; sentiment and energy are copied out of the analysis into
 * columns of their own for the charts and counts.
 */
export const contexts = pgTable(
  "contexts",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    startedAt: timestamptz("started_at").notNull(),
    endedAt: timestamptz("ended_at").notNull(),
    transcript: text("transcript").notNull(),
    chat: jsonb("chat").notNull().$type<Record<string, unknown>>(),
    interactions: jsonb("interactions").notNull().$type<Record<string, number>>(),
    emotes: jsonb("emotes").notNull().$type<Record<string, unknown>>(),
    analysis: jsonb("analysis").notNull().$type<Record<string, unknown>>(),
    /** `model` or `fallback`. */
    source: text("source").notNull(),
    /** The model's name, or why the fallback ran. */
    sourceDetail: text("source_detail").notNull(),
    sentiment: text("sentiment").notNull(),
    /** The analysis' energy level, 0…1. */
    energy: doublePrecision("energy").notNull(),
  },
  (table) => [
    // Lists are newest first by (ended_at, id), paged by keyset: a backward scan of this index.
    index("contexts_ended_id_idx").on(table.endedAt, table.id),
    index("contexts_session_ended_idx").on(table.sessionId, table.endedAt),
    // Full-text search (`GET /api/contexts/search`) matches this very expression.
    index("contexts_search_idx").using(
      "gin",
      sql`to_tsvector('english', ${table.transcript} || ' ' || (${table.analysis} ->> 'context'))`,
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
 * What the streamer chose for an integration in the dashboard, one row per integration (e.g.
 * `rainwave`: `{enabled, station}`), kept across restarts. The integration owns the document's
 * shape and parses it when it reads it back.
 */
export const integrationSettings = pgTable("integration_settings", {
  integration: text("integration").primaryKey(),
  settings: jsonb("settings").notNull(),
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

/**
 * IronMON challenges (a rule set for one game, e.g. "Kaizo IronMON" on FireRed/LeafGreen) and their
 * checkpoints in order, seeded by migration 0006; the tracker's checkpoint ids are the orders.
 */
export const ironmonChallenges = pgTable("ironmon_challenges", {
  id: integer("id").primaryKey(),
  name: text("name").notNull().unique(),
  // the tracker's game number: 1 Ruby/Sapphire, 2 Emerald, 3 FireRed/LeafGreen
  game: integer("game").notNull(),
});

export const ironmonCheckpoints = pgTable(
  "ironmon_checkpoints",
  {
    id: integer("id").primaryKey(),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => ironmonChallenges.id),
    name: text("name").notNull(),
    trainer: text("trainer").notNull(),
    order: integer("order").notNull(),
  },
  (table) => [
    uniqueIndex("ironmon_checkpoints_order_idx").on(table.challengeId, table.order),
    uniqueIndex("ironmon_checkpoints_name_idx").on(table.challengeId, table.name),
  ],
);

/**
 * One run: a seed of a challenge. The active run is the newest without `ended_at`; it ends
 * `failed` when a new seed comes before its next checkpoint, `completed` when the last is cleared.
 */
export const ironmonRuns = pgTable(
  "ironmon_runs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => ironmonChallenges.id),
    // the tracker's attempt counter
    seed: integer("seed").notNull(),
    startedAt: timestamptz("started_at").notNull(),
    endedAt: timestamptz("ended_at"),
    outcome: text("outcome", { enum: ["failed", "completed"] }),
  },
  (table) => [index("ironmon_runs_started_idx").on(table.startedAt, table.id)],
);

/** A checkpoint's outcome in one run: cleared, or the one the run failed at. One per pair. */
export const ironmonResults = pgTable(
  "ironmon_results",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    runId: integer("run_id")
      .notNull()
      .references(() => ironmonRuns.id),
    checkpointId: integer("checkpoint_id")
      .notNull()
      .references(() => ironmonCheckpoints.id),
    cleared: boolean("cleared").notNull(),
    at: timestamptz("at").notNull(),
  },
  (table) => [
    uniqueIndex("ironmon_results_run_checkpoint_idx").on(table.runId, table.checkpointId),
    index("ironmon_results_checkpoint_idx").on(table.checkpointId),
    index("ironmon_results_at_idx").on(table.at, table.id),
  ],
);

export type EventRow = typeof events.$inferSelect;
export type TranscriptionRow = typeof transcriptions.$inferSelect;
export type ContextRow = typeof contexts.$inferSelect;
export type TwitchGrantRow = typeof twitchGrants.$inferSelect;
export type IronmonChallengeRow = typeof ironmonChallenges.$inferSelect;
export type IronmonCheckpointRow = typeof ironmonCheckpoints.$inferSelect;
export type IronmonRunRow = typeof ironmonRuns.$inferSelect;
export type IronmonResultRow = typeof ironmonResults.$inferSelect;
