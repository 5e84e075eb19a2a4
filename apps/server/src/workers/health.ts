/**
 * What the supervised workers mean for the hub's own health (`GET /api/health`): each worker in
 * brief, and a problem naming the ones that make the hub degraded — one the hub gave up on
 * (`failed`: whatever it did, captions or contexts, is not being done), or one running whose
 * checks have not said `healthy` for WORKER_UNWELL_MS in a row (long past a start-up or a
 * passing hiccup). A worker stopped from the dashboard, or waiting to be restarted, does not
 * count: the first is the streamer's choice, the second ends running or `failed`. Pure.
 */
import type { HubHealth, ServicesStatus, WorkerStatus } from "@landale/shared";

/** How long a running worker may be `unhealthy` or `degraded` before the hub is degraded too. */
export const WORKER_UNWELL_MS = 30_000;

export function workersHealth(status: ServicesStatus | null, now: number): HubHealth["workers"] {
  return (status?.workers ?? []).map((worker) => ({
    name: worker.name,
    state: worker.state,
    health: worker.health,
    problem: problemOf(worker, now),
  }));
}

function problemOf(worker: WorkerStatus, now: number): string | null {
  if (worker.state === "failed") return `${worker.name} failed: ${worker.last_error ?? "gave up"}`;
  const unwell = worker.health === "unhealthy" || worker.health === "degraded";
  if (worker.state !== "running" || !unwell || worker.health_since === null) return null;
  const forMs = now - Date.parse(worker.health_since);
  if (!(forMs >= WORKER_UNWELL_MS)) return null;
  const why = worker.problems.length > 0 ? worker.problems.join("; ") : "no reason given";
  return `${worker.name} has been ${worker.health} for ${Math.floor(forMs / 1000)} s: ${why}`;
}
