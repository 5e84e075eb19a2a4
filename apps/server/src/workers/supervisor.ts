/**
 * The hub's workers as its child processes: each is started once, started again after a capped
 * backoff when it exits (`./restarts`), given up on (state `failed`, reported) when it refused
 * its configuration or crashed too often in the window, health-checked over HTTP (`./probe`:
 * healthy, degraded with the worker's problems, or unhealthy saying why; never restarted for it),
 * and stopped with SIGTERM, then SIGKILL after a grace period. Their output is logged by the hub
 * under the worker's name, and the last lines are kept for the dashboard (`./output`).
 *
 * No worker outlives the hub: each runs in a process group of its own (a terminal's Ctrl+C
 * reaches it once, through the hub's stop), under `setpriv --pdeathsig KILL` where there is one
 * (the kernel kills it the moment the hub dies, even by SIGKILL), and with
 * LANDALE_EXIT_WITH_PARENT=1 (it stops by itself once re-parented, where setpriv is missing).
 */
import { existsSync } from "node:fs";
import type { Logger } from "@landale/logger";
import type { ServicesStatus, WorkerHealth, WorkerState, WorkerStatus } from "@landale/shared";
import type { Subprocess } from "bun";
import { AppError } from "../errors";
import type { WorkerSpec } from "./config";
import { describeExit, exitCodeOf } from "./exit";
import { type LogRing, logRing, pipeLines } from "./output";
import { type HealthCheck, probeHealth } from "./probe";
import {
  crashesInARow,
  RESTART_DEFAULTS,
  type RestartPolicy,
  restartDelay,
  restartsInWindow,
} from "./restarts";

/** How long a worker gets to stop after SIGTERM before it is killed. */
export const KILL_AFTER_MS = 10_000;
export const HEALTH_CHECK_MS = 2_000;
const HEALTH_TIMEOUT_MS = 1_500;
const PDEATHSIG: readonly string[] =
  process.platform === "linux" && Bun.which("setpriv") !== null
    ? ["setpriv", "--pdeathsig", "KILL", "--"]
    : [];

export interface WorkerSupervisorOptions {
  workers: WorkerSpec[];
  cwd: string;
  logger: Logger;
  policy?: RestartPolicy;
}

export interface WorkerSupervisor {
  /**
   * Starts every worker with `env` (and LANDALE_EXIT_WITH_PARENT=1), once the hub knows its port;
   * a worker started from the dashboard before then gets the same.
   */
  begin(env: Record<string, string | undefined>): void;
  status(): ServicesStatus;
  /** Starts a stopped or failed worker (its crash count starts over); a running one is left. */
  start(name: string): ServicesStatus;
  stop(name: string): Promise<ServicesStatus>;
  restart(name: string): Promise<ServicesStatus>;
  /** Calls `listener` whenever a worker's state or health changes; returns the unsubscribe. */
  onChange(listener: (status: ServicesStatus) => void): () => void;
  /** Stops every worker (SIGTERM, then SIGKILL) and resolves once all have exited. */
  stopAll(): Promise<void>;
}

interface Slot {
  spec: WorkerSpec;
  state: WorkerState;
  child: Subprocess | null;
  startedAt: number | null;
  crashes: number;
  restarts: number;
  restartTimes: number[];
  timer: ReturnType<typeof setTimeout> | null;
  restartAt: number | null;
  lastError: string | null;
  health: WorkerHealth;
  /** The last check's problems; `healthSince`: when its verdict became `health`. */
  problems: string[];
  healthSince: number | null;
  logs: LogRing;
}

/** Not checked yet: a worker (re)started or gone. */
const unchecked = (): Pick<Slot, "health" | "problems" | "healthSince"> => ({
  health: "unknown",
  problems: [],
  healthSince: null,
});

export function startWorkerSupervisor(options: WorkerSupervisorOptions): WorkerSupervisor {
  const { logger } = options;
  const policy = options.policy ?? RESTART_DEFAULTS;
  const listeners = new Set<(status: ServicesStatus) => void>();
  let stopping = false;
  let env: Record<string, string | undefined> = process.env;
  const slots = new Map<string, Slot>();
  for (const spec of options.workers) {
    if (!existsSync(spec.entry)) {
      logger.info({ worker: spec.name }, `${spec.name} is not here (no ${spec.entry}): skipped`);
      continue;
    }
    slots.set(spec.name, {
      spec,
      state: "stopped",
      child: null,
      startedAt: null,
      crashes: 0,
      restarts: 0,
      restartTimes: [],
      timer: null,
      restartAt: null,
      lastError: null,
      ...unchecked(),
      logs: logRing(),
    });
  }

  const status = (): ServicesStatus => ({ workers: [...slots.values()].map(statusOf) });
  const changed = () => {
    const now = status();
    for (const listener of listeners) listener(now);
  };

  function spawn(slot: Slot): void {
    const { spec } = slot;
    const child = Bun.spawn([...PDEATHSIG, "bun", spec.entry], {
      cwd: options.cwd,
      env: { ...env, LANDALE_EXIT_WITH_PARENT: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    Object.assign(slot, { child, state: "running", startedAt: Date.now(), ...unchecked() });
    Object.assign(slot, { timer: null, restartAt: null });
    const log = logger.child({ worker: spec.name });
    const onLine = (line: string) => slot.logs.add(line, log);
    void pipeLines(child.stdout, onLine);
    void pipeLines(child.stderr, onLine);
    log.info({ pid: child.pid }, `started ${spec.name}`);
    void child.exited.then(() => exited(slot, child));
    changed();
  }

  function exited(slot: Slot, child: Subprocess): void {
    const ranMs = Date.now() - (slot.startedAt ?? Date.now());
    Object.assign(slot, { child: null, startedAt: null, ...unchecked() });
    if (slot.state === "stopped" || stopping) {
      slot.state = "stopped";
      changed();
      return;
    }
    const { name } = slot.spec;
    const code = exitCodeOf(child);
    slot.crashes = crashesInARow(slot.crashes, ranMs, policy);
    const delay = restartDelay(slot.crashes, child.exitCode, policy);
    slot.restartTimes = restartsInWindow(slot.restartTimes, Date.now(), policy);
    const log = logger.child({ worker: name });
    if (delay === null) {
      slot.state = "failed";
      slot.lastError = `refused its configuration (exit ${code}): fix the setting it names, then start it`;
      log.error({ code }, `${name} refused its configuration: not restarting it`);
    } else if (slot.restartTimes.length >= policy.maxRestarts) {
      slot.state = "failed";
      slot.lastError = `${describeExit(child)}; gave up after ${slot.restartTimes.length} restarts in ${Math.round(policy.windowMs / 1000)} s`;
      log.error({ code }, `${name} keeps crashing: gave up restarting it`);
    } else {
      slot.state = "backoff";
      slot.lastError = describeExit(child);
      slot.restartAt = Date.now() + delay;
      log.warn({ code, restart_in_ms: delay }, `${name} exited: restarting`);
      slot.timer = setTimeout(() => {
        slot.restarts += 1;
        slot.restartTimes.push(Date.now());
        spawn(slot);
      }, delay);
    }
    changed();
  }

  async function halt(slot: Slot): Promise<void> {
    if (slot.timer !== null) clearTimeout(slot.timer);
    Object.assign(slot, { timer: null, restartAt: null, state: "stopped" });
    const child = slot.child;
    if (child === null) {
      changed();
      return;
    }
    child.kill("SIGTERM");
    const kill = setTimeout(() => {
      logger.error(
        { worker: slot.spec.name },
        `${slot.spec.name} did not stop in time: killing it`,
      );
      child.kill("SIGKILL");
    }, KILL_AFTER_MS);
    await child.exited;
    clearTimeout(kill);
  }

  function slotOf(name: string): Slot {
    const slot = slots.get(name);
    if (slot === undefined) throw new AppError(404, "unknown_worker", `no worker named "${name}"`);
    return slot;
  }

  function start(name: string): ServicesStatus {
    const slot = slotOf(name);
    if (stopping || slot.child !== null) return status();
    if (slot.timer !== null) clearTimeout(slot.timer);
    Object.assign(slot, { crashes: 0, restartTimes: [], lastError: null });
    spawn(slot);
    return status();
  }

  let checking = false;
  async function checkHealth(): Promise<void> {
    if (checking) return;
    checking = true;
    await Promise.all(
      [...slots.values()].map(async (slot) => {
        const child = slot.child;
        if (child === null || slot.spec.healthUrl === null) return;
        const check = await probeHealth(slot.spec.healthUrl, HEALTH_TIMEOUT_MS);
        if (slot.child !== child || sameCheck(slot, check)) return;
        if (slot.health !== check.health) slot.healthSince = Date.now();
        Object.assign(slot, check);
        changed();
      }),
    );
    checking = false;
  }
  let healthTimer: ReturnType<typeof setInterval> | undefined;

  return {
    begin(given) {
      env = given;
      healthTimer ??= setInterval(() => void checkHealth(), HEALTH_CHECK_MS);
      for (const slot of slots.values()) if (slot.child === null && !stopping) spawn(slot);
    },
    status,
    start,
    async stop(name) {
      await halt(slotOf(name));
      return status();
    },
    async restart(name) {
      await halt(slotOf(name));
      return start(name);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stopAll() {
      stopping = true;
      clearInterval(healthTimer);
      await Promise.all([...slots.values()].map(halt));
      listeners.clear();
    },
  };
}

function sameCheck(slot: Slot, check: HealthCheck): boolean {
  const { problems } = slot;
  return (
    slot.health === check.health &&
    problems.length === check.problems.length &&
    problems.every((problem, i) => problem === check.problems[i])
  );
}

function statusOf(slot: Slot): WorkerStatus {
  const now = Date.now();
  return {
    name: slot.spec.name,
    state: slot.state,
    pid: slot.child?.pid ?? null,
    started_at: slot.startedAt === null ? null : new Date(slot.startedAt).toISOString(),
    uptime_ms: slot.startedAt === null ? null : Math.max(0, now - slot.startedAt),
    restarts: slot.restarts,
    restart_in_ms: slot.restartAt === null ? null : Math.max(0, slot.restartAt - now),
    last_error: slot.lastError,
    health: slot.health,
    problems: slot.problems,
    health_since: slot.healthSince === null ? null : new Date(slot.healthSince).toISOString(),
    health_url: slot.spec.healthUrl,
    logs: slot.logs.lines(),
  };
}
