/**
 * The hub's supervised workers (`LANDALE_WORKERS`), as the dashboard's Services view sees them:
 * pushed as `services_status` on `dashboard:main` and `dashboard:services`, and the commands that
 * start, stop and restart them (`worker:*` on `dashboard:main`; `start`/`stop`/`restart`/
 * `get_status` on `dashboard:services`, the older system's names).
 */
import { z } from "zod";

/**
 * - `running`: up (healthy or not: see `health`).
 * - `backoff`: it exited; it is started again after `restart_in_ms`.
 * - `stopped`: stopped from the dashboard, or the hub is stopping.
 * - `failed`: not restarted any more: it refused its configuration (exit 78), or it crashed too
 *   often in the window (`last_error` says which); `worker:start` tries again.
 */
export const WORKER_STATES = ["running", "backoff", "stopped", "failed"] as const;
export const WorkerState = z.enum(WORKER_STATES);
export type WorkerState = z.infer<typeof WorkerState>;

/**
 * What a worker's `GET /health` must answer, and how the hub reads it (every 2 s): 200 with JSON
 * that has `status` — `ok`, or `degraded` when it runs but something is wrong — and, optionally,
 * `problems`, one line for each thing wrong (none when absent). Anything else the worker reports
 * is its own (`docs/AUDIO.md`, `apps/seed/README.md`). Any other answer, or none, makes it
 * `unhealthy`.
 */
export const WorkerHealthReport = z.looseObject({
  status: z.enum(["ok", "degraded"]),
  problems: z.array(z.string()).default([]),
});
export type WorkerHealthReport = z.infer<typeof WorkerHealthReport>;

/**
 * The last check's verdict: `unknown` until the first (or without a health URL); `healthy` (it
 * answered `ok`); `degraded` (it answered `degraded`: `problems` are its own); `unhealthy` (no
 * answer within 1.5 s, another status than 200, or not a `WorkerHealthReport`: `problems` says
 * which). A worker is never restarted for its health: its problems say what to fix.
 */
export const WorkerHealth = z.enum(["unknown", "healthy", "degraded", "unhealthy"]);
export type WorkerHealth = z.infer<typeof WorkerHealth>;

export const WorkerStatus = z.object({
  name: z.string(),
  state: WorkerState,
  pid: z.int().positive().nullable(),
  /** When the current run started (ISO 8601), null while not running. */
  started_at: z.string().nullable(),
  uptime_ms: z.int().nonnegative().nullable(),
  /** Restarts after a crash since the hub started (a start from the dashboard is not one). */
  restarts: z.int().nonnegative(),
  restart_in_ms: z.int().nonnegative().nullable(),
  last_error: z.string().nullable(),
  health: WorkerHealth,
  /** What is wrong, with `degraded` or `unhealthy` (at most 10 lines and a count); else empty. */
  problems: z.array(z.string()).default([]),
  /** Since when `health` has been what it is (ISO 8601); null while `unknown`. */
  health_since: z.string().nullable().default(null),
  health_url: z.string().nullable(),
  /** The last lines it wrote (stdout and stderr), oldest first, bounded. */
  logs: z.array(z.string()),
});
export type WorkerStatus = z.infer<typeof WorkerStatus>;

export const ServicesStatus = z.object({ workers: z.array(WorkerStatus) });
export type ServicesStatus = z.infer<typeof ServicesStatus>;

/** Names a worker; `service` is the older clients' key. */
export const WorkerCommand = z.union([
  z.object({ name: z.string().min(1) }),
  z.object({ service: z.string().min(1) }).transform(({ service }) => ({ name: service })),
]);
export type WorkerCommand = z.infer<typeof WorkerCommand>;

/** The `worker:*` commands on `dashboard:main`; each answers the `ServicesStatus`. */
export const WORKER_COMMANDS = [
  "worker:get_status",
  "worker:start",
  "worker:stop",
  "worker:restart",
] as const;
export type WorkerCommandName = (typeof WORKER_COMMANDS)[number];

/** `dashboard:services`' commands (the older system's), the same as `worker:*` without the prefix. */
export const SERVICES_COMMANDS = ["get_status", "start", "stop", "restart"] as const;
export type ServicesCommandName = (typeof SERVICES_COMMANDS)[number];
