/** Another process's RSS and CPU time from /proc, for processes that have no stats endpoint (the hub, Postgres). */
import { readProc } from "./machine";

const BYTES_PER_KIB = 1024;
/** /proc reports CPU times in USER_HZ ticks, which Linux fixes at 100 a second. */
const MICROS_PER_TICK = 10_000;
/** utime and stime are fields 14 and 15 of /proc/<pid>/stat; after the `(comm)` field, 12 and 13. */
const UTIME_AFTER_COMM = 11;
const STIME_AFTER_COMM = 12;

/** Resident set size in bytes, or null when the process is gone. */
export async function processRss(pid: number): Promise<number | null> {
  const status = await readProc(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status ?? "");
  return match?.[1] === undefined ? null : Number(match[1]) * BYTES_PER_KIB;
}

/** User + system CPU time in microseconds since the process started, or null when it is gone. */
export async function processCpuMicros(pid: number): Promise<number | null> {
  const stat = await readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name may hold spaces and parentheses; the fields after its last ")" do not.
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .trim()
    .split(" ");
  const user = Number(fields[UTIME_AFTER_COMM]);
  const system = Number(fields[STIME_AFTER_COMM]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) return null;
  return (user + system) * MICROS_PER_TICK;
}

/** Summed CPU time of several processes; those that have exited count as 0 from then on. */
export async function totalCpuMicros(pids: readonly number[]): Promise<number> {
  const times = await Promise.all(pids.map(processCpuMicros));
  return times.reduce<number>((sum, time) => sum + (time ?? 0), 0);
}
