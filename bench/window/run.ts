/**
 * `bun run bench:window`: what one 1,000-event window costs to write, by each way the hub could
 * write it, on a fresh Postgres database migrated by the hub's own migrations (same schema, same
 * indexes) and on a fresh PGlite. The rows are the ingest bench's Twitch-shaped events. Per window:
 * wall time, and CPU time of the Postgres server processes and of this process (the hub's side). Prints a
 * table and writes JSON to bench/results/; docs/DATABASE.md quotes it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type Database, insertEventWindow, type NewEvent, sql } from "@landale/db";
import { userOf } from "@landale/shared";
import { ordinaryEvent } from "../ingest/payloads";
import { createBenchDatabase } from "../ingest/postgres";
import { describeMachine, sourceRevision } from "../lib/machine";
import { totalCpuMicros } from "../lib/process-stats";
import { markdownTable, writeJson } from "../lib/report";

const ROOT = new URL("../../", import.meta.url).pathname;
const WINDOW = 1_000;
const WARMUP_WINDOWS = 5;
const MEASURED_WINDOWS = 40;
const ADMIN_URL = process.argv[2] ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface Way {
  name: string;
  write(database: Database, window: NewEvent[]): Promise<unknown>;
}

const WAYS: readonly Way[] = [
  {
    name: "one statement, json_to_recordset (before issue 17)",
    write: (database, window) => insertEventWindow(database, window),
  },
  {
    name: "the window writer: one COPY (Postgres: in a transaction of its own; PGlite: from a blob)",
    write: async (database, window) => (await database.windows.begin(window)).commit(),
  },
  {
    name: "the window writer, one id already stored (Postgres: COPY fails; PGlite: found first), then the conflict-aware insert",
    write: async (database, window) => {
      const first = window[0] as NewEvent;
      await insertEventWindow(database, [first]);
      await (await database.windows.begin(window)).commit();
    },
  },
];

interface Row {
  engine: string;
  way: string;
  wallMs: number;
  serverCpuMs: number | null;
  clientCpuMs: number;
  eventsPerS: number;
}

/** Events are spread 100 ms apart from a day ago, so time ranges select as they would live. */
const EPOCH = Date.now() - 86_400_000;
const SPACING_MS = 100;
let seq = 0;
function nextWindow(): NewEvent[] {
  return Array.from({ length: WINDOW }, () => {
    const event = ordinaryEvent(seq, Date.now());
    const user = userOf(event.type, event.data);
    seq++;
    const receivedAt = new Date(EPOCH + seq * SPACING_MS).toISOString();
    return {
      id: Bun.randomUUIDv7(),
      seq,
      type: event.type,
      source: event.source,
      ts: receivedAt,
      receivedAt,
      correlationId: Bun.randomUUIDv7(),
      userId: user?.user_id ?? null,
      userLogin: user?.user_login ?? null,
      data: event.data,
    };
  });
}

async function measure(engine: string, database: Database, serverPids: number[] | null) {
  const rows: Row[] = [];
  for (const way of WAYS) {
    for (let i = 0; i < WARMUP_WINDOWS; i++) await way.write(database, nextWindow());
    const windows = Array.from({ length: MEASURED_WINDOWS }, nextWindow);
    const serverBefore = serverPids === null ? null : await totalCpuMicros(serverPids);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    for (const window of windows) await way.write(database, window);
    const wallMs = (performance.now() - started) / MEASURED_WINDOWS;
    const client = process.cpuUsage(clientBefore);
    const serverAfter = serverPids === null ? null : await totalCpuMicros(serverPids);
    rows.push({
      engine,
      way: way.name,
      wallMs,
      serverCpuMs:
        serverBefore === null || serverAfter === null
          ? null
          : (serverAfter - serverBefore) / 1000 / MEASURED_WINDOWS,
      clientCpuMs: (client.user + client.system) / 1000 / MEASURED_WINDOWS,
      eventsPerS: (WINDOW * 1000) / wallMs,
    });
    process.stdout.write(`${engine}: ${way.name}: ${wallMs.toFixed(1)} ms per window\n`);
  }
  return rows;
}

/**
 * The plans of the queries in packages/db/src/events.ts (their SQL as drizzle renders it, with
 * sample values), on the table the measurement filled: each index must show up in one of them.
 */
async function explain(database: Database): Promise<Record<string, string>> {
  await database.rows(sql`ANALYZE events`);
  const [row] = await database.rows<{ seq: string | number; ts: string }>(
    sql`SELECT seq, ts::text AS ts FROM events ORDER BY seq LIMIT 1 OFFSET 1000`,
  );
  const since = row?.ts ?? new Date().toISOString();
  const queries: Record<string, string> = {
    "listEvents (activity feed)": "SELECT * FROM events ORDER BY seq DESC LIMIT 50",
    "listEvents, a common type": `SELECT * FROM events WHERE type IN ('channel.chat.message') ORDER BY seq DESC LIMIT 50`,
    "listEvents, a rare type": `SELECT * FROM events WHERE type IN ('channel.cheer') ORDER BY seq DESC LIMIT 50`,
    "listEvents, a user (id or login)": `SELECT * FROM events WHERE (user_id IS NOT NULL AND ARRAY[user_id, user_login] && ARRAY['viewer_42', 'viewer_42']::text[] AND (user_id = 'viewer_42' OR user_login = 'viewer_42')) ORDER BY seq DESC LIMIT 50`,
    "listEvents, since/until": `SELECT * FROM events WHERE ts >= '${since}' AND ts <= '${since}'::timestamptz + interval '1 minute' ORDER BY seq DESC LIMIT 50`,
    "eventById (and the conflict rule)": "SELECT * FROM events WHERE id = 'x' LIMIT 1",
    "latestEventsAfter (replay)": `SELECT * FROM events WHERE seq > ${Number(row?.seq ?? 0) + 100_000} AND received_at >= '${since}' ORDER BY seq DESC LIMIT 1000`,
    hourlyCounts: `SELECT date_trunc('hour', ts) AS bucket, type, count(*) FROM events WHERE ts >= '${since}' AND ts <= '${since}'::timestamptz + interval '1 hour' GROUP BY 1, 2`,
    "deleteEventsBefore (retention)": `SELECT id FROM events WHERE ts < '${since}' ORDER BY ts LIMIT 1000`,
  };
  const plans: Record<string, string> = {};
  for (const [name, query] of Object.entries(queries)) {
    const lines = await database.rows<{ "QUERY PLAN": string }>(
      sql.raw(`EXPLAIN (COSTS OFF) ${query}`),
    );
    plans[name] = lines.map((line) => line["QUERY PLAN"]).join("\n");
  }
  return plans;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "landale-bench-window-"));
  const bench = await createBenchDatabase(ADMIN_URL);
  const rows: Row[] = [];
  let plans: Record<string, string> = {};
  try {
    // Server CPU: the backends of the bench database and the cluster's WAL and data writers.
    // One connection, opened by a first write, so every statement runs on a backend it counts.
    const postgres = await connect({ url: bench.url, dataDir, maxConnections: 1 });
    await insertEventWindow(postgres, nextWindow());
    rows.push(...(await measure("Postgres", postgres, await bench.serverPids())));
    plans = await explain(postgres);
    await postgres.close();
    const pglite = await connect({ url: null, dataDir });
    rows.push(...(await measure("PGlite", pglite, null)));
    await pglite.close();
  } finally {
    await bench.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const table = markdownTable(
    ["engine", "way", "wall ms / window", "server CPU ms", "client CPU ms", "events/s (serial)"],
    rows.map((row) => [
      row.engine,
      row.way,
      row.wallMs.toFixed(1),
      row.serverCpuMs === null ? "(in the process)" : row.serverCpuMs.toFixed(1),
      row.clientCpuMs.toFixed(1),
      Math.round(row.eventsPerS).toLocaleString("en-US"),
    ]),
  );
  process.stdout.write(`\n${table}\n`);
  for (const [query, plan] of Object.entries(plans))
    process.stdout.write(`\n-- ${query}\n${plan}\n`);
  const machine = await describeMachine();
  const path = `${ROOT}bench/results/window-${machine.date.replaceAll(":", "-")}.json`;
  await writeJson(path, { machine, revision: await sourceRevision(ROOT), rows, plans });
  process.stdout.write(`results: ${path}\n`);
}

await main();
