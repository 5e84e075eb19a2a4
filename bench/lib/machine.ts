/** What the figures were measured on, and whether this machine allows enough open files. */
import { readFile } from "node:fs/promises";
import { cpus, release, totalmem } from "node:os";

export interface Machine {
  cpus: number;
  cpuModel: string;
  ramGiB: number;
  bun: string;
  kernel: string;
  date: string;
}

const BYTES_PER_GIB = 1024 ** 3;
/** Descriptors a process needs besides its sockets: stdio, the listener, Bun's own. */
const FD_MARGIN = 256;

export async function describeMachine(): Promise<Machine> {
  return {
    cpus: navigator.hardwareConcurrency,
    cpuModel: await cpuModel(),
    ramGiB: Math.round((totalmem() / BYTES_PER_GIB) * 10) / 10,
    bun: Bun.version,
    kernel: release(),
    date: new Date().toISOString(),
  };
}

async function cpuModel(): Promise<string> {
  const text = await readProc("/proc/cpuinfo");
  const match = /^model name\s*:\s*(.+)$/m.exec(text ?? "");
  return match?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
}

/**
 * The server process holds every socket. Bun raises its soft RLIMIT_NOFILE to the hard limit at
 * start-up, and children inherit it, so the limit seen here is what the server will have.
 * Returns an explanation when it is too low, or null.
 */
export async function checkFileLimit(maxSockets: number): Promise<string | null> {
  const limits = await readProc("/proc/self/limits");
  if (limits === null) return null;
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  if (match?.[1] === undefined || match[1] === "unlimited") return null;
  const limit = Number(match[1]);
  const needed = maxSockets + FD_MARGIN;
  if (limit >= needed) return null;
  return (
    `open-file limit is ${limit}, but ${maxSockets} sockets need about ${needed} in the server ` +
    `process. Raise it (e.g. \`ulimit -n ${needed}\`, or the hard limit in ` +
    "/etc/security/limits.conf or your container's --ulimit nofile) and run again."
  );
}

/** Reads a /proc file with node:fs: Bun.file trusts the size the kernel reports, which is often 0. */
export function readProc(path: string): Promise<string | null> {
  return readFile(path, "utf8").catch(() => null);
}

/** The commit the code under test was at, noting uncommitted changes to apps/ or packages/; null outside git. */
export async function sourceRevision(root: string): Promise<string | null> {
  const head = await Bun.$`git -C ${root} rev-parse --short HEAD`.quiet().nothrow();
  if (head.exitCode !== 0) return null;
  const dirty = await Bun.$`git -C ${root} status --porcelain -- apps packages`.quiet().nothrow();
  const changed = dirty.exitCode === 0 && dirty.stdout.toString().trim() !== "";
  return `${head.stdout.toString().trim()}${changed ? " with uncommitted changes" : ""}`;
}
