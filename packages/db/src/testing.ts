/**
 * Test databases for every engine a test should run on: PGlite always, and Postgres too when
 * `TEST_DATABASE_URL` is set (CI sets it). Each Postgres test database is created fresh and
 * dropped on dispose, so suites never see each other's rows. A PGlite one is a copy of a template
 * migrated once per machine: creating and migrating PGlite costs seconds, copying it a fraction.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { connect, type Database, type Engine, MIGRATIONS_FOLDER, pgliteDirectory } from "./connect";
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
  if (url === null) await seedPgliteDataDir(dataDir);
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

let template: Promise<string> | null = null;

/**
 * The directory of a PGlite database migrated to the newest migration, made once per machine
 * and code version (its name hashes the migrations and the PGlite build) and shared by every
 * test process: it is built aside and renamed into place, so a reader never sees half of it.
 */
export function pgliteTemplate(): Promise<string> {
  template ??= buildPgliteTemplate();
  return template;
}

async function buildPgliteTemplate(): Promise<string> {
  const hash = new Bun.CryptoHasher("sha256");
  hash.update(Bun.resolveSync("@electric-sql/pglite", import.meta.dir));
  for (const name of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    const path = join(MIGRATIONS_FOLDER, name);
    if (name.endsWith(".sql") || name.endsWith(".json")) {
      hash.update(name);
      hash.update(readFileSync(path));
    }
  }
  const directory = join(tmpdir(), `landale-pglite-template-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(directory)) return directory;
  const build = mkdtempSync(join(tmpdir(), "landale-pglite-build-"));
  try {
    const database = await connect({ url: null, dataDir: build });
    await database.close();
    try {
      renameSync(pgliteDirectory(build), directory);
    } catch (err) {
      // Another test process renamed its template into place first: use that one.
      if (!existsSync(directory)) throw err;
    }
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  return directory;
}

/**
 * Gives `dataDir` a migrated PGlite database, copied from the template, unless it has one
 * already (a hub restarted on the same data dir keeps its events).
 */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  const target = pgliteDirectory(dataDir);
  if (existsSync(target)) return;
  cpSync(await pgliteTemplate(), target, { recursive: true });
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
