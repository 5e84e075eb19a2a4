/**
 * `connect()` opens the database Landale runs on: embedded PGlite in `dataDir` when no URL is
 * given (on a thread of its own, `pglite-client.ts`), else Postgres through postgres.js. Both run
 * the same drizzle migrations at connect, and the handle says which engine it is, whether
 * TimescaleDB is active and which migration is applied.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import journal from "../migrations/meta/_journal.json";
import { pgliteWindowWriter, postgresWindowWriter, type WindowWriter } from "./event-window";
import type { WindowDatabase } from "./events";
import { PgliteThread } from "./pglite-client";
import * as schema from "./schema";
import { guardAbandonedSockets } from "./socket-guard";

export const MIGRATIONS_FOLDER = new URL("../migrations", import.meta.url).pathname;
/** The tag of the newest migration this code ships; `connect()` applies up to it. */
export const LATEST_MIGRATION = journal.entries[journal.entries.length - 1]?.tag ?? null;

export type Schema = typeof schema;
export type Drizzle = PgDatabase<PgQueryResultHKT, Schema>;
export type Engine = "pglite" | "postgres";

export interface ConnectOptions {
  /** A postgres:// URL, or null for embedded PGlite. */
  url: string | null;
  /** Where PGlite keeps its files (`<dataDir>/pglite`). */
  dataDir: string;
  /** Postgres pool size. */
  maxConnections?: number;
}

export interface Database {
  readonly engine: Engine;
  readonly db: Drizzle;
  /** True when the `timescaledb` extension is installed in this database. */
  readonly timescale: boolean;
  /** The tag of the last applied migration, e.g. `0001_timescale`. */
  readonly migration: string | null;
  /** Runs raw SQL and returns its rows, whatever the engine. */
  rows<T>(query: SQL): Promise<T[]>;
  /** Writes event windows the cheapest way this engine offers (`event-window.ts`). */
  readonly windows: WindowWriter;
  close(): Promise<void>;
}

export async function connect(options: ConnectOptions): Promise<Database> {
  const opened = options.url === null ? openPglite(options.dataDir) : openPostgres(options);
  try {
    await opened.migrate();
    const rows = <T>(query: SQL) =>
      opened.db.execute(query).then((result) => resultRows<T>(result));
    const [extension] = await rows<{ present: boolean }>(
      sql`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS present`,
    );
    const timescale = extension?.present === true;
    return {
      engine: opened.engine,
      db: opened.db,
      timescale,
      migration: await appliedMigration(rows),
      rows,
      windows: opened.windows(timescale, rows),
      close: opened.close,
    };
  } catch (err) {
    await opened.close().catch(() => {});
    throw err;
  }
}

interface Opened {
  engine: Engine;
  db: Drizzle;
  /** The engine's window writer (`event-window.ts`). */
  windows: (timescale: boolean, rows: WindowDatabase["rows"]) => WindowWriter;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Where PGlite keeps its files inside a hub's data dir. */
export function pgliteDirectory(dataDir: string): string {
  return join(dataDir, "pglite");
}

function openPglite(dataDir: string): Opened {
  const directory = pgliteDirectory(dataDir);
  mkdirSync(directory, { recursive: true });
  const thread = new PgliteThread();
  // Drizzle's PGlite session calls only `query` and `transaction`, which the thread provides.
  const db = drizzlePglite(thread as unknown as PGlite, { schema });
  return {
    engine: "pglite",
    db: db as unknown as Drizzle,
    windows: (timescale, rows) =>
      pgliteWindowWriter({ rows, timescale }, (statement, data, guard) =>
        thread.copy(statement, data, guard),
      ),
    // The thread migrates as it opens: the whole migration runs there in one go.
    migrate: () => thread.open(directory, MIGRATIONS_FOLDER),
    close: () => thread.close(),
  };
}

function openPostgres({ url, maxConnections = 10 }: ConnectOptions): Opened {
  guardAbandonedSockets();
  const client = postgres(url ?? "", {
    max: maxConnections,
    onnotice: () => {},
    connect_timeout: 10,
  });
  const db = drizzlePostgres(client, { schema });
  return {
    engine: "postgres",
    db: db as unknown as Drizzle,
    windows: (timescale) => postgresWindowWriter(client, timescale),
    migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    // Callers close after their work is done; the short timeout only bounds the wait for a pooled
    // connection that died while idle (postgres.js can wait on it until the timeout).
    close: () => client.end({ timeout: 1 }),
  };
}

/** postgres.js returns the rows array itself; PGlite returns `{rows}`. */
function resultRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

async function appliedMigration(rows: <T>(query: SQL) => Promise<T[]>): Promise<string | null> {
  const [last] = await rows<{ created_at: string | number }>(
    sql`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`,
  );
  if (last === undefined) return null;
  const when = Number(last.created_at);
  return journal.entries.find((entry) => entry.when === when)?.tag ?? String(when);
}

/** What `classifyConnectError` makes of a failed `connect()`. */
export interface ConnectFailure {
  /** True when no retry can help: the hub should stop and say why. */
  permanent: boolean;
  /** The underlying error's message and code, e.g. `database "x" does not exist (3D000)`. */
  cause: string;
}

/** SQLSTATE classes no retry fixes (Postgres manual, appendix "Error Codes"). */
const PERMANENT_SQLSTATE_CLASSES = new Set([
  "28", // invalid authorization specification: unknown role, wrong password, pg_hba refusal
  "3D", // invalid catalog name: the database does not exist
  "42", // syntax error or access rule violation: permission denied (42501) and the like
]);
/** Error codes of a host name that does not resolve and of a URL that does not parse. */
const PERMANENT_CODES = new Set(["ENOTFOUND", "ERR_INVALID_URL"]);
/** Drizzle wraps the driver's error ("Failed query: …"); the cause is a few links down at most. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Whether retrying `connect()` after `err` can help. A server that is down, starting (57P03) or
 * unreachable comes back: transient. A database that does not exist, a role that may not log in
 * or may not create the schema, a host that does not resolve or a URL that does not parse stays
 * so however long the hub waits: permanent. Anything not recognised counts as transient.
 */
export function classifyConnectError(err: unknown): ConnectFailure {
  let error: unknown = err;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && codeOf(error) === ""; depth++) {
    const cause = (error as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    error = cause;
  }
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const sqlState = /^[0-9A-Z]{5}$/.test(code) ? code : "";
  return {
    permanent: PERMANENT_SQLSTATE_CLASSES.has(sqlState.slice(0, 2)) || PERMANENT_CODES.has(code),
    cause: code === "" ? message : `${message} (${code})`,
  };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}
