/**
 * Runs the hub and the workers as child processes and keeps the workers running: a worker that
 * exits is started again after a capped backoff (`./restarts`); the hub is not — when it exits,
 * the workers are stopped and `done` resolves with the hub's exit code. `stop(signal)` sends the
 * signal to every child (again, on a repeat), kills what is still running after a grace period,
 * and `done` resolves once every child is gone.
 *
 * Each child runs in a process group of its own, so a terminal's Ctrl+C reaches it once, through
 * the launcher, and has LANDALE_EXIT_WITH_PARENT=1, so it stops by itself should the launcher be
 * killed outright.
 */
import { existsSync } from "node:fs";
import { constants } from "node:os";
import type { Logger } from "@landale/logger";
import type { Subprocess } from "bun";
import type { WorkerSpec } from "./config";
import { crashesInARow, RESTART_DEFAULTS, type RestartPolicy, restartDelay } from "./restarts";

/** How long children get to stop after a signal before they are killed. */
export const KILL_AFTER_MS = 30_000;

export interface SupervisorOptions {
  hubEntry: string;
  workers: WorkerSpec[];
  /** The environment every child starts with; the supervisor adds LANDALE_EXIT_WITH_PARENT. */
  hubEnv: Record<string, string | undefined>;
  workerEnv: Record<string, string | undefined>;
  cwd: string;
  logger: Logger;
  policy?: RestartPolicy;
}

export interface Supervisor {
  /** Resolves with the hub's exit code once every child has exited. */
  readonly done: Promise<number>;
  /** Sends `signal` to every child and stops restarting workers; a repeat sends it again. */
  stop(signal: NodeJS.Signals): void;
}

interface Running {
  name: string;
  child: Subprocess;
  startedAt: number;
}

/** A child's exit as one code: its own, or 128 + the signal that killed it, as a shell says. */
export function exitCodeOf(child: Pick<Subprocess, "exitCode" | "signalCode">): number {
  if (child.exitCode !== null) return child.exitCode;
  const signal = child.signalCode as keyof typeof constants.signals | null;
  return 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
}

export function startSupervisor(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  const policy = options.policy ?? RESTART_DEFAULTS;
  const running = new Set<Running>();
  const restartTimers = new Set<ReturnType<typeof setTimeout>>();
  let stopping = false;
  let killTimer: ReturnType<typeof setTimeout> | null = null;
  let hubCode: number | null = null;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  function spawn(name: string, entry: string, env: Record<string, string | undefined>): Running {
    const child = Bun.spawn(["bun", entry], {
      cwd: options.cwd,
      env: { ...env, LANDALE_EXIT_WITH_PARENT: "1" },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    const run: Running = { name, child, startedAt: performance.now() };
    running.add(run);
    logger.info({ child: name, pid: child.pid }, `started ${name}`);
    return run;
  }

  function settleIfIdle(): void {
    if (!stopping || running.size > 0) return;
    if (killTimer !== null) clearTimeout(killTimer);
    resolveDone(hubCode ?? 1);
  }

  function startHub(): void {
    const run = spawn("hub", options.hubEntry, options.hubEnv);
    void run.child.exited.then(() => {
      running.delete(run);
      hubCode = exitCodeOf(run.child);
      if (!stopping) {
        logger.warn({ code: hubCode }, "the hub exited: stopping the workers");
        stop("SIGTERM");
      }
      settleIfIdle();
    });
  }

  function startWorker(worker: WorkerSpec, crashes: number): void {
    if (stopping) return;
    const run = spawn(worker.name, worker.entry, options.workerEnv);
    void run.child.exited.then(() => {
      running.delete(run);
      if (stopping) return settleIfIdle();
      const code = exitCodeOf(run.child);
      const inARow = crashesInARow(crashes, performance.now() - run.startedAt, policy);
      const delay = restartDelay(inARow, run.child.exitCode, policy);
      if (delay === null) {
        logger.error(
          { child: worker.name, code },
          `${worker.name} refused its configuration: not restarting it (fix the setting it names, then restart)`,
        );
        return;
      }
      logger.warn(
        { child: worker.name, code, restart_in_ms: delay },
        `${worker.name} exited: restarting`,
      );
      const timer = setTimeout(() => {
        restartTimers.delete(timer);
        startWorker(worker, inARow);
      }, delay);
      restartTimers.add(timer);
    });
  }

  function stop(signal: NodeJS.Signals): void {
    stopping = true;
    for (const timer of restartTimers) clearTimeout(timer);
    restartTimers.clear();
    for (const run of running) run.child.kill(signal);
    killTimer ??= setTimeout(() => {
      for (const run of running) {
        logger.error({ child: run.name }, `${run.name} did not stop in time: killing it`);
        run.child.kill("SIGKILL");
      }
    }, KILL_AFTER_MS);
    settleIfIdle();
  }

  startHub();
  for (const worker of options.workers) {
    if (existsSync(worker.entry)) startWorker(worker, 0);
    else
      logger.info(
        { child: worker.name, entry: worker.entry },
        `${worker.name} is not here (no ${worker.entry}): skipped`,
      );
  }
  return { done, stop };
}
