/** Snapshots of everything a phase is judged by — the hub's counters, RSS and CPU, Postgres's and the subscribers' CPU, the machine's — and the span between two. */
import type { HubHealth } from "@landale/shared";
import { processCpuMicros, totalCpuMicros } from "../lib/process-stats";
import { type CpuShares, type CpuTimes, cpuShares, readCpuTimes } from "../lib/system-cpu";
import type { HubHandle } from "./hub";
import type { BenchDatabase } from "./postgres";
import type { Subscribers } from "./subscribers";

const MICROS_PER_S = 1_000_000;

/** Who is measured: the hub, and when present the Postgres server and the subscriber process. */
export interface Subjects {
  hub: HubHandle;
  database: BenchDatabase | null;
  subscribers: Subscribers | null;
}

export interface Snapshot {
  at: number;
  health: HubHealth;
  streamVersion: number | null;
  rss: number;
  cpu: { hub: number; subscribers: number; driver: number; postgres: Map<number, number> };
  machine: CpuTimes | null;
}

/** What happened between two snapshots; CPU in cores (1 = one core busy the whole span). */
export interface Span {
  seconds: number;
  committed: number;
  windows: number;
  refusedBackpressure: number;
  /** Frames the hub dropped for subscribers past their back-pressure limit. */
  dropped: number;
  /** Stream-state changes the hub saved to the database (one write each); null without the route. */
  stateSaves: number | null;
  cores: { hub: number; postgres: number; subscribers: number; driver: number };
  machine: CpuShares | null;
  /** Cores' worth of CPU other processes used (the machine less the four above); null without /proc/stat. */
  foreignCores: number | null;
}

export async function snapshot(subjects: Subjects): Promise<Snapshot> {
  const [health, streamVersion, rss, hub, subscribers, postgres, machine] = await Promise.all([
    subjects.hub.health(),
    subjects.hub.streamVersion(),
    subjects.hub.rss(),
    subjects.hub.cpuMicros(),
    totalCpuMicros(subjects.subscribers?.pids ?? []),
    postgresCpu(subjects.database),
    readCpuTimes(),
  ]);
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    health,
    streamVersion,
    rss,
    cpu: { hub, subscribers, driver: usage.user + usage.system, postgres },
    machine,
  };
}

export function span(before: Snapshot, after: Snapshot): Span {
  const seconds = (after.at - before.at) / 1000;
  const cores = (micros: number) => micros / MICROS_PER_S / seconds;
  const own = {
    hub: cores(after.cpu.hub - before.cpu.hub),
    postgres: cores(postgresDelta(before.cpu.postgres, after.cpu.postgres)),
    subscribers: cores(after.cpu.subscribers - before.cpu.subscribers),
    driver: cores(after.cpu.driver - before.cpu.driver),
  };
  const machine = cpuShares(before.machine, after.machine);
  const machineCores =
    machine === null ? null : (machine.busy / 100) * navigator.hardwareConcurrency;
  const ownCores = own.hub + own.postgres + own.subscribers + own.driver;
  return {
    seconds,
    committed: after.health.events.committed - before.health.events.committed,
    windows: after.health.events.windows - before.health.events.windows,
    refusedBackpressure:
      after.health.events.refused_backpressure - before.health.events.refused_backpressure,
    dropped: after.health.sockets.dropped - before.health.sockets.dropped,
    stateSaves:
      after.streamVersion === null || before.streamVersion === null
        ? null
        : after.streamVersion - before.streamVersion,
    cores: own,
    machine,
    foreignCores: machineCores === null ? null : Math.max(0, machineCores - ownCores),
  };
}

/** CPU time (µs) of each server process working for the bench database. */
export async function postgresCpu(database: BenchDatabase | null): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  if (database === null) return times;
  for (const pid of await database.serverPids()) {
    const micros = await processCpuMicros(pid);
    if (micros !== null) times.set(pid, micros);
  }
  return times;
}

/** CPU the server processes used between two snapshots; a process new since the first counts in full. */
export function postgresDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}
