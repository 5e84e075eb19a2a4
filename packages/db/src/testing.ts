/**
 * Test databases for every engine a test should run on: PGlite always, and Postgres too when
 * `TEST_DATABASE_URL` is set (CI sets it). Each Postgres test database is created fresh and
 * dropped on dispose, so suites never see each other's rows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { connect, type Database, type Engine } from "./connect";
import type { NewEvent } from "./events";

/** The time `sampleEvent(seq)` events happen at: seq seconds after this. */
export const SAMPLE_EPOCH = Date.parse("2026-11-21T12:00:00.000Z");

/** A follow event numbered `seq`, a second after the one before; fields can be overridden. */
export function sampleEvent(seq: number, overrides: Partial<NewEvent> = {}): NewEvent {
  const ts = new Date(SAMPLE_EPOCH + seq * 1000).toISOString();
  return {
    id: `evt-${seq}`,
    seq,
    type: "channel.follow",
    source: "twitch",
    ts,
    receivedAt: ts,
    correlationId: `corr-${seq}`,
    userId: `${1000 + seq}`,
    userLogin: `viewer${seq}`,
    data: { user_id: `${1000 + seq}`, user_login: `viewer${seq}`, n: seq },
    ...overrides,
  };
}

export interface TestDatabase {
  database: Database;
  /** The URL a separate process (a hub under test) can connect with; null for PGlite. */
  url: string | null;
  /** The data dir PGlite uses (a fresh temp dir). */
  dataDir: string;
  dispose(): Promise<void>;
}

export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

let counter = 0;

/** A fresh, migrated database on `engine`. */
export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "landale-test-"));
  const url = engine === "postgres" ? await createPostgresDatabase() : null;
  const database = await connect({ url, dataDir, maxConnections: 4 });
  return {
    database,
    url,
    dataDir,
    async dispose() {
      await database.close();
      if (url !== null) await dropPostgresDatabase(url);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  return url;
}

async function createPostgresDatabase(): Promise<string> {
  const name = `landale_test_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
