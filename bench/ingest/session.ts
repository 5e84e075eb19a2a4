/**
 * One hub session: a fresh database (Postgres) or data dir (PGlite), a fresh hub on it, the
 * subscribers when asked for, whatever is measured, a check that every acknowledged event was
 * stored, and a teardown that stops everything and drops the database — whatever happens.
 */
import type { HubHealth } from "@landale/shared";
import type { Cleanups } from "../lib/cleanups";
import type { ProcessGroup } from "../lib/processes";
import { startHub } from "./hub";
import type { Engine, Options } from "./options";
import { SENT_TYPES } from "./payloads";
import type { Context } from "./phases";
import { createBenchDatabase } from "./postgres";
import { Subscribers } from "./subscribers";

const SETTLE_MS = 1_000;
/** The stats query spans the session generously; every event of it is stored with today's ts. */
const STATS_MARGIN_MS = 60 * 60_000;
const STATS_TIMEOUT_MS = 30_000;

export type Progress = (text: string) => void;

/** What every session of one engine's run shares. */
export interface SessionEnv {
  group: ProcessGroup;
  options: Options;
  engine: Engine;
  cleanups: Cleanups;
  progress: Progress;
}

export interface SessionEnd<T> {
  value: T;
  startupMs: number;
  /** RSS of the hub once started, and once the subscribers (if any) joined. */
  rss: { idle: number; withSubscribers: number | null };
  connectMs: number | null;
  /** Events the hub acknowledged in this session, and events of the bench's types it stored. */
  stored: { acknowledged: number; stored: number };
  health: HubHealth;
  /** What the hub logged, by message. */
  logged: Record<string, number>;
}

/** Runs `measure` on a fresh hub with `subscribers` joined to `events:all`, then tears it all down. */
export async function withSession<T>(
  env: SessionEnv,
  subscribers: number,
  profileName: string | null,
  measure: (context: Context) => Promise<T>,
): Promise<SessionEnd<T>> {
  const { group, options, engine, cleanups } = env;
  try {
    const database = engine === "postgres" ? await createBenchDatabase(options.postgresUrl) : null;
    if (database !== null) cleanups.add(`drop ${database.name}`, () => database.drop());
    const started = performance.now();
    const startedAt = new Date();
    const hub = await startHub(group, {
      databaseUrl: database?.url ?? null,
      profile: profileOf(options, profileName),
    });
    cleanups.add("stop the hub", () => hub.stop());
    const startupMs = performance.now() - started;
    await Bun.sleep(SETTLE_MS);
    const idle = await hub.rss();
    const context: Context = {
      group,
      subjects: { hub, database, subscribers: null },
      load: options.load,
      acknowledged: 0,
    };
    const joined = subscribers > 0 ? await joinSubscribers(env, context, subscribers) : null;
    const value = await measure(context);
    return {
      value,
      startupMs,
      rss: { idle, withSubscribers: joined?.rss ?? null },
      connectMs: joined?.connectMs ?? null,
      stored: {
        acknowledged: context.acknowledged,
        stored: await storedEvents(hub.url, startedAt),
      },
      health: await hub.health(),
      logged: hub.logged(),
    };
  } finally {
    await cleanups.run();
  }
}

function profileOf(options: Options, name: string | null) {
  return options.profileDir === null || name === null ? null : { dir: options.profileDir, name };
}

async function joinSubscribers(
  env: SessionEnv,
  context: Context,
  sockets: number,
): Promise<{ connectMs: number; rss: number }> {
  const started = performance.now();
  const { hub } = context.subjects;
  const subscribers = await Subscribers.start(
    env.group,
    hub.url,
    sockets,
    env.options.load.sampleEvery,
  );
  env.cleanups.add("stop the subscribers", () => subscribers.stop());
  const connectMs = performance.now() - started;
  context.subjects.subscribers = subscribers;
  await Bun.sleep(SETTLE_MS);
  return { connectMs, rss: await hub.rss() };
}

/** The events of the types the bench sends, counted in the database through the hub's activity API. */
async function storedEvents(hubUrl: string, since: Date): Promise<number> {
  const from = new Date(since.getTime() - STATS_MARGIN_MS).toISOString();
  const until = new Date(Date.now() + STATS_MARGIN_MS).toISOString();
  const response = await fetch(`${hubUrl}/api/activity/stats?since=${from}&until=${until}`, {
    signal: AbortSignal.timeout(STATS_TIMEOUT_MS),
  });
  const body = (await response.json()) as { totals: Record<string, number> };
  return SENT_TYPES.reduce((sum, type) => sum + (body.totals[type] ?? 0), 0);
}
