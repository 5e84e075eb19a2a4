/**
 * `connect()` opens the database Landale runs on: embedded PGlite in `dataDir` when no URL is
 * given, else Postgres through postgres.js. Both run the same drizzle migrations at connect, and
 * the handle says which engine it is, whether TimescaleDB is active and which migration is applied.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import journal from "../migrations/meta/_journal.json";
import * as schema from "./schema";

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
    return {
      engine: opened.engine,
      db: opened.db,
      timescale: extension?.present === true,
      migration: await appliedMigration(rows),
      rows,
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
  migrate(): Promise<void>;
  close(): Promise<void>;
}

function openPglite(dataDir: string): Opened {
  const directory = join(dataDir, "pglite");
  mkdirSync(directory, { recursive: true });
  const client = new PGlite(directory);
  const db = drizzlePglite(client, { schema });
  return {
    engine: "pglite",
    db: db as unknown as Drizzle,
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

function openPostgres({ url, maxConnections = 10 }: ConnectOptions): Opened {
  const client = postgres(url ?? "", {
    max: maxConnections,
    onnotice: () => {},
    connect_timeout: 10,
  });
  const db = drizzlePostgres(client, { schema });
  return {
    engine: "postgres",
    db: db as unknown as Drizzle,
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
