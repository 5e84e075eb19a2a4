/**
 * The lifecycle the hub and its workers share as processes: a setting no retry can fix exits 78,
 * SIGTERM/SIGINT or the launcher gone stops the process once and lets it end with exit 0, a real
 * second Ctrl+C exits at once, and a stop that leaves a handle open still ends (exit 1, said so).
 */
import type { Logger } from "@landale/logger";

/** sysexits' EX_CONFIG: what a supervisor should not restart in a loop. */
export const EXIT_CONFIG = 78;
/** If a handle still keeps the process alive this long after a stop, exit anyway and say so. */
export const EXIT_WATCHDOG_MS = 10_000;
/**
 * How often a process looks for its launcher. Nothing tells a process its parent died (Linux's
 * PR_SET_PDEATHSIG is out of Bun's reach), but the orphan is re-parented, so its ppid changes.
 */
export const PARENT_POLL_MS = 500;
/**
 * A terminal's Ctrl+C reaches a process twice under `bun start`: from the terminal (the whole
 * foreground process group) and forwarded by its launcher, milliseconds apart. A repeat this soon
 * is that same press, not a second one asking to exit at once.
 */
export const SAME_SIGNAL_MS = 1_000;

/** The part of `process` the lifecycle touches, so a test can hand in its own. */
export interface ProcessPort {
  readonly ppid: number;
  exitCode?: number | string | null | undefined;
  exit(code: number): never;
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** A class whose instances mean "a setting is wrong" (the app's ConfigError and the like). */
export type ConfigErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `load`; an error of one of `configErrors` is printed and exits 78, so a supervisor does not
 * restart the process in a loop. Any other error is thrown on.
 */
export function loadOrExit<T>(
  load: () => T,
  configErrors: readonly ConfigErrorClass[],
  proc: ProcessPort = process,
): T {
  try {
    return load();
  } catch (err) {
    if (!configErrors.some((kind) => err instanceof kind)) throw err;
    console.error((err as Error).message);
    return proc.exit(EXIT_CONFIG);
  }
}

export interface LifecycleOptions {
  logger: Logger;
  /** What the log lines call this process: "the hub", "the worker". */
  name: string;
  /** LANDALE_EXIT_WITH_PARENT: end when the launcher is gone. */
  exitWithParent: boolean;
  process?: ProcessPort;
  pollMs?: number;
  sameSignalMs?: number;
  watchdogMs?: number;
}

export interface Lifecycle {
  /**
   * From now on a signal or the launcher gone runs `stop` once, then leaves the process to end
   * with exit 0. Until then nothing was accepted, so a launcher gone just exits 1.
   */
  stopWith(stop: () => Promise<void>): void;
  /** Stops watching the launcher: for a start that failed and exits on its own. */
  release(): void;
}

export type StopReason = NodeJS.Signals | "launcher gone";

export function startLifecycle(options: LifecycleOptions): Lifecycle {
  const { logger, name } = options;
  const proc = options.process ?? process;
  const sameSignalMs = options.sameSignalMs ?? SAME_SIGNAL_MS;
  const watchdogMs = options.watchdogMs ?? EXIT_WATCHDOG_MS;

  let parentGone = () => {
    logger.warn(`the process that started ${name} is gone: exiting`);
    proc.exit(1);
  };
  const parentWatch = options.exitWithParent
    ? watchParent(proc, options.pollMs ?? PARENT_POLL_MS, () => parentGone())
    : undefined;

  return {
    stopWith(stop) {
      let signalledAt: number | null = null;
      const shutdown = (reason: StopReason) => {
        if (signalledAt !== null) {
          if (performance.now() - signalledAt < sameSignalMs) return;
          logger.warn({ signal: reason }, "second signal: exiting now");
          proc.exit(1);
        }
        signalledAt = performance.now();
        clearInterval(parentWatch);
        logger.info({ signal: reason }, "shutting down");
        stop().then(
          () => {
            proc.exitCode = 0;
            // Unref'd: a clean stop ends the process before this fires.
            setTimeout(() => {
              logger.error("still running after shutdown: a handle was left open");
              proc.exit(1);
            }, watchdogMs).unref();
          },
          (err: unknown) => {
            logger.error({ err }, "shutdown failed");
            proc.exit(1);
          },
        );
      };
      proc.on("SIGTERM", shutdown);
      proc.on("SIGINT", shutdown);
      parentGone = () => {
        logger.warn(`the process that started ${name} is gone: stopping`);
        shutdown("launcher gone");
      };
    },
    release() {
      clearInterval(parentWatch);
    },
  };
}

/** Calls `gone` once the parent process has died (this process was re-parented). */
function watchParent(
  proc: ProcessPort,
  pollMs: number,
  gone: () => void,
): ReturnType<typeof setInterval> {
  const parent = proc.ppid;
  const timer = setInterval(() => {
    if (proc.ppid === parent) return;
    clearInterval(timer);
    gone();
  }, pollMs);
  // The watch alone must not keep a stopped process alive.
  timer.unref();
  return timer;
}

export { ConfigError, envProblems } from "./config-error";
export { type HealthServer, startHealthServer } from "./health";
