/** Whole-machine CPU use from /proc/stat, to tell a busy machine from a busy process. */
import { readProc } from "./machine";

/** Jiffies per state, summed over all CPUs (the first line of /proc/stat). */
export interface CpuTimes {
  user: number;
  system: number;
  softirq: number;
  idle: number;
  steal: number;
  total: number;
}

/** Shares (0–100) of the machine's capacity over a span, all CPUs together. */
export interface CpuShares {
  busy: number;
  user: number;
  system: number;
  softirq: number;
  steal: number;
}

/** user nice system idle iowait irq softirq steal: the fields every kernel since 2.6.11 has. */
const STAT_FIELDS = 8;

export async function readCpuTimes(): Promise<CpuTimes | null> {
  const text = await readProc("/proc/stat");
  if (text === null) return null;
  const line = text.split("\n", 1)[0] ?? "";
  const fields = line
    .trim()
    .split(/\s+/)
    .slice(1, STAT_FIELDS + 1)
    .map(Number);
  if (fields.length < STAT_FIELDS || fields.some((value) => !Number.isFinite(value))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    user: user + nice,
    system: system + irq,
    softirq,
    idle: idle + iowait,
    steal,
    total: fields.reduce((sum, value) => sum + value, 0),
  };
}

export function cpuShares(before: CpuTimes | null, after: CpuTimes | null): CpuShares | null {
  if (before === null || after === null) return null;
  const total = after.total - before.total;
  if (total <= 0) return null;
  const share = (key: keyof CpuTimes) => ((after[key] - before[key]) / total) * 100;
  return {
    busy: 100 - share("idle"),
    user: share("user"),
    system: share("system"),
    softirq: share("softirq"),
    steal: share("steal"),
  };
}

/** The machine's CPU over a window, and how much of it went to processes not in the bench. */
export interface CpuWindow {
  machine: CpuShares | null;
  /** Cores' worth of CPU the bench's own processes (driver, server, clients) used. */
  ownCores: number;
  /** Cores' worth the rest of the machine used; null without /proc/stat. */
  foreignCores: number | null;
}

export interface WindowStart {
  machine: CpuTimes | null;
  at: number;
  driverMicros: number;
}

export async function openCpuWindow(): Promise<WindowStart> {
  return { machine: await readCpuTimes(), at: performance.now(), driverMicros: ownMicros() };
}

/** `childMicros`: CPU the server and clients used since the window opened. */
export async function closeCpuWindow(start: WindowStart, childMicros: number): Promise<CpuWindow> {
  const machine = cpuShares(start.machine, await readCpuTimes());
  const elapsedMicros = (performance.now() - start.at) * 1000;
  const ownCores = (childMicros + ownMicros() - start.driverMicros) / elapsedMicros;
  // Process CPU times include the softirq work done in their context, so compare with all of it.
  const machineCores =
    machine === null ? null : (machine.busy / 100) * navigator.hardwareConcurrency;
  return {
    machine,
    ownCores,
    foreignCores: machineCores === null ? null : Math.max(0, machineCores - ownCores),
  };
}

function ownMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

const QUIET_SAMPLE_MS = 1_000;
/** Busy share (all cores = 100) below which the machine counts as quiet. */
const QUIET_BUSY = 10;

/**
 * Waits, at most `maxWaitMs`, until the machine has been quiet for one sample, so a measurement
 * does not start in the middle of someone else's work. False when it never went quiet.
 */
export async function awaitQuietMachine(maxWaitMs: number): Promise<boolean> {
  const deadline = performance.now() + maxWaitMs;
  do {
    const before = await readCpuTimes();
    await Bun.sleep(QUIET_SAMPLE_MS);
    const shares = cpuShares(before, await readCpuTimes());
    if (shares === null || shares.busy < QUIET_BUSY) return true;
  } while (performance.now() < deadline);
  return false;
}
