/** How a child process ended: one exit code as a shell gives it, and the same in words. */
import { constants } from "node:os";
import type { Subprocess } from "bun";

/** A child's exit as one code: its own, or 128 + the signal that killed it, as a shell says. */
export function exitCodeOf(child: Pick<Subprocess, "exitCode" | "signalCode">): number {
  if (child.exitCode !== null) return child.exitCode;
  const signal = child.signalCode as keyof typeof constants.signals | null;
  return 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
}

/** How a child ended, in words: "exited with code 1", or "killed by SIGKILL" (code 137). */
export function describeExit(child: Pick<Subprocess, "exitCode" | "signalCode">): string {
  const code = exitCodeOf(child);
  return child.exitCode === null && child.signalCode !== null
    ? `killed by ${child.signalCode} (code ${code})`
    : `exited with code ${code}`;
}
