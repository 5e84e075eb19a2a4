/**
 * A worker run as a user or the launcher runs it, for the workers' process tests: `command` in an
 * empty directory of its own (no `.env` to read), with only PATH, HOME and the settings given; its
 * output kept; killed, with its directory removed, when the test ends. It waits for nothing by
 * itself: a test gives the worker free ports (`freePort`) and waits on what it serves (`until`).
 */
import { onTestFinished } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capture, until } from "./child";

const UNTIL_TIMEOUT_MS = 30_000;
const ANSWER_TIMEOUT_MS = 2_000;

export interface Program {
  child: Bun.Subprocess<"ignore", "pipe", "pipe">;
  /** Settles once stdout and stderr are read to their end. */
  drained: Promise<void>;
  stdout(): string;
  stderr(): string;
  /** Polls `probe` until it holds; fails naming `what`, with the output, if the program exits first. */
  until(what: string, probe: () => boolean | Promise<boolean>): Promise<void>;
  /** The processes this one started, killed too when the test ends (they may outlive it). */
  adoptChildren(): number[];
}

export function spawnProgram(
  command: string[],
  options: { name: string; env?: Record<string, string> },
): Program {
  const cwd = mkdtempSync(join(tmpdir(), `${options.name}-process-`));
  const child = Bun.spawn(command, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const adopted: number[] = [];
  onTestFinished(() => {
    for (const pid of [child.pid, ...adopted]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already, as it should be.
      }
    }
    rmSync(cwd, { recursive: true, force: true });
  });
  const output = () => `${stdout.text()}\n${stderr.text()}`;
  return {
    child,
    drained: Promise.all([stdout.ended, stderr.ended]).then(() => {}),
    stdout: stdout.text,
    stderr: stderr.text,
    until(what, probe) {
      const exited = child.exited.then((code) => {
        throw new Error(`${command.join(" ")} exited (${code}) before ${what}:\n${output()}`);
      });
      return until(what, probe, exited, UNTIL_TIMEOUT_MS, output);
    },
    adoptChildren() {
      const pids = Bun.spawnSync(["pgrep", "-P", String(child.pid)])
        .stdout.toString()
        .split("\n")
        .filter((pid) => pid !== "")
        .map(Number);
      adopted.push(...pids);
      return pids;
    },
  };
}

/** Whether anything answers HTTP at `url`. */
export async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
