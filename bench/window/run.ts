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
import { connect, type Database, insertEventWindow, type NewEvent } from "@landale/db";
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
    name: "the engine's window writer (Postgres: COPY in a transaction)",
    write: async (database, window) => (await database.windows.begin(window)).commit(),
  },
  {
    name: "the window writer, one id already stored (COPY fails, conflict-aware insert)",
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

let seq = 0;
function nextWindow(): NewEvent[] {
  const receivedAt = new Date().toISOString();
  return Array.from({ length: WINDOW }, () => {
    const event = ordinaryEvent(seq, Date.now());
    const user = userOf(event.type, event.data);
    seq++;
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

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "landale-bench-window-"));
  const bench = await createBenchDatabase(ADMIN_URL);
  const rows: Row[] = [];
  try {
    // Server CPU: the backends of the bench database and the cluster's WAL and data writers.
    // One connection, opened by a first write, so every statement runs on a backend it counts.
    const postgres = await connect({ url: bench.url, dataDir, maxConnections: 1 });
    await insertEventWindow(postgres, nextWindow());
    rows.push(...(await measure("Postgres", postgres, await bench.serverPids())));
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
  const machine = await describeMachine();
  const path = `${ROOT}bench/results/window-${machine.date.replaceAll(":", "-")}.json`;
  await writeJson(path, { machine, revision: await sourceRevision(ROOT), rows });
  process.stdout.write(`results: ${path}\n`);
}

await main();
