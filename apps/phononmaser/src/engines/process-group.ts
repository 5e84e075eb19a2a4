/**
 * Engine executables run as children in a process group of their own (`detached`: setsid), so an
 * abort, a timeout or `stop()` can end the child and everything it started: SIGTERM to the group,
 * SIGKILL after a grace period. A run settles only once the leader has exited and the group has
 * had its SIGKILL, so a caller may delete the child's files as soon as it returns.
 *
 * A worker killed outright (SIGKILL) runs none of that, so on Linux the child is started through
 * util-linux's `setpriv --pdeathsig KILL`: the kernel kills it the moment the worker dies; and
 * the reaper (`./reaper.ts`) kills what it started, as it sees the worker's pipe close.
 */

import { EngineStoppedError } from "./backend";
import { createReaper } from "./reaper";

/** Output kept per stream; the rest is read and dropped so a chatty child never blocks. */
const OUTPUT_LIMIT_BYTES = 1 << 20;
const DEFAULT_GRACE_MS = 2_000;
/** The prefix that ties a child's life to the worker's, where the system has it (Linux). */
const PDEATHSIG: readonly string[] | null =
  process.platform === "linux" && Bun.which("setpriv") !== null
    ? ["setpriv", "--pdeathsig", "KILL", "--"]
    : null;

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface ProcessGroups {
  /** Rejects with `signal.reason` when aborted (the group killed first). */
  run(cmd: string[], signal: AbortSignal): Promise<ProcessResult>;
  /** How many groups are running now. */
  running(): number;
  /** Kills every running group and waits for them; later runs are refused. */
  stop(): Promise<void>;
}

export function createProcessGroups(options: { graceMs?: number } = {}): ProcessGroups {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const runs = new Map<number, { abort: AbortController; done: Promise<unknown> }>();
  const reaper = createReaper();
  let stopped = false;

  async function run(cmd: string[], signal: AbortSignal): Promise<ProcessResult> {
    if (stopped) throw new EngineStoppedError();
    signal.throwIfAborted();
    const own = new AbortController();
    const combined = AbortSignal.any([signal, own.signal]);
    const child = Bun.spawn(PDEATHSIG === null ? cmd : [...PDEATHSIG, ...cmd], {
      detached: true,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const group = child.pid;
    reaper.watch(group);
    let grace: ReturnType<typeof setTimeout> | undefined;
    const terminate = () => {
      signalGroup(group, "SIGTERM");
      grace = setTimeout(() => signalGroup(group, "SIGKILL"), graceMs);
    };
    combined.addEventListener("abort", terminate, { once: true });
    const outputs = Promise.all([readCapped(child.stdout), readCapped(child.stderr)]);
    const done = (async () => {
      try {
        await child.exited;
        // The leader is gone; whatever it left behind in its group goes too.
        signalGroup(group, "SIGKILL");
        return await outputs;
      } finally {
        clearTimeout(grace);
        combined.removeEventListener("abort", terminate);
        reaper.release(group);
      }
    })();
    runs.set(group, { abort: own, done: done.catch(() => undefined) });
    try {
      const [stdout, stderr] = await done;
      if (combined.aborted) throw signal.aborted ? signal.reason : new EngineStoppedError();
      const signalCode = child.signalCode === null ? null : String(child.signalCode);
      return { exitCode: child.exitCode, signal: signalCode, stdout, stderr };
    } finally {
      runs.delete(group);
    }
  }

  return {
    run,
    running: () => runs.size,
    async stop() {
      stopped = true;
      const pending = [...runs.values()];
      for (const entry of pending) entry.abort.abort();
      await Promise.all(pending.map((entry) => entry.done));
      await reaper.stop();
    },
  };
}

function signalGroup(group: number, signal: "SIGTERM" | "SIGKILL"): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: nobody is left in the group.
  }
}

async function readCapped(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  for await (const chunk of stream) {
    if (kept >= OUTPUT_LIMIT_BYTES) continue;
    const part = chunk.subarray(0, OUTPUT_LIMIT_BYTES - kept);
    chunks.push(part);
    kept += part.length;
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The last lines of a child's stderr, for an error message a person can act on. */
export function tail(text: string, maxChars = 300): string {
  const trimmed = text.trim();
  return trimmed.length <= maxChars ? trimmed : `…${trimmed.slice(-maxChars)}`;
}
