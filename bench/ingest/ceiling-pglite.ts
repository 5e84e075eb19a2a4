/**
 * The PGlite ceiling, in a process of its own (the hub's PGlite gets a thread of its own too): per
 * command, a fresh data dir (a copy of the migrated template, as the bench's hubs get) brought to
 * the newest migration by `connect()` from `@landale/db` (so schema and indexes are the hub's),
 * closed, reopened as a bare PGlite, then one batched write path in a closed loop — each window
 * one statement, so one transaction — measured after a warm-up.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { connect, pgliteDirectory } from "@landale/db";
import { seedPgliteDataDir } from "@landale/db/testing";
import { type CpuTimes, cpuShares, readCpuTimes } from "../lib/system-cpu";
import type { AckReply, FailureReply } from "../lib/worker";
import { serveDriver } from "../lib/worker";
import type { CeilingCommand, CeilingReply, PgliteMethod } from "./messages";
import { EVENT_COLUMNS, RECORDSET_TYPES, RowSource } from "./rows";

const DEFAULT_LIFETIME_MS = 15 * 60_000;
const MICROS_PER_S = 1_000_000;

type Reply = CeilingReply | AckReply | FailureReply;

serveDriver<CeilingCommand, Reply>(measure, DEFAULT_LIFETIME_MS);

async function measure(command: CeilingCommand): Promise<CeilingReply> {
  const dataDir = await mkdtemp(join(tmpdir(), "landale-ceiling-"));
  try {
    await seedPgliteDataDir(dataDir);
    const migrated = await connect({ url: null, dataDir });
    await migrated.close();
    const client = new PGlite(pgliteDirectory(dataDir));
    try {
      return await closedLoop(client, command);
    } finally {
      await client.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function closedLoop(client: PGlite, command: CeilingCommand): Promise<CeilingReply> {
  const source = new RowSource();
  const write = writer(client, command.method);
  const warmupEnds = performance.now() + command.warmupS * 1000;
  let rows = 0;
  // The measured span starts between windows, and lasts `durationS` however slow the warm-up was.
  let started: { at: number; cpu: number; machine: CpuTimes | null } | null = null;
  for (;;) {
    const now = performance.now();
    if (started === null && now >= warmupEnds) {
      started = { at: now, cpu: cpuMicros(), machine: await readCpuTimes() };
    }
    if (started !== null && now - started.at >= command.durationS * 1000) break;
    const window = source.window(command.window, command.method === "copy-blob" ? "copy" : "json");
    await write(window.copyText, window.json);
    if (started !== null) rows += window.rows;
  }
  const seconds = (performance.now() - started!.at) / 1000;
  const used = cpuMicros() - started!.cpu;
  const machine = cpuShares(started!.machine, await readCpuTimes());
  const ownCores = used / MICROS_PER_S / seconds;
  return {
    type: "ceiling",
    id: command.id,
    rows,
    seconds,
    cpuMicros: used,
    foreignCores:
      machine === null
        ? null
        : Math.max(0, (machine.busy / 100) * navigator.hardwareConcurrency - ownCores),
  };
}

function writer(
  client: PGlite,
  method: PgliteMethod,
): (copyText: string, json: string) => Promise<unknown> {
  if (method === "copy-blob") {
    const statement = `COPY events (${EVENT_COLUMNS}) FROM '/dev/blob'`;
    return (copyText) => client.query(statement, [], { blob: new Blob([copyText]) });
  }
  const statement = `INSERT INTO events (${EVENT_COLUMNS})
    SELECT ${EVENT_COLUMNS} FROM json_to_recordset($1::json) AS x(${RECORDSET_TYPES})`;
  return (_, json) => client.query(statement, [json]);
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}
