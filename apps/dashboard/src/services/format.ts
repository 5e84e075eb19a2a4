/** How the Services view words a worker's numbers. Pure. */
import type { WorkerStatus } from "@landale/shared";

/** `3 s`, `4 min 05 s`, `2 h 07 min`, `3 d 04 h`. */
export function formatUptime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (minutes < 60) return `${minutes} min ${pad(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${pad(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${pad(hours % 24)} h`;
}

/** The uptime at `now`, from when the run started; a dash while it is not running. */
export function uptimeOf(worker: WorkerStatus, now: number): string {
  if (worker.started_at === null) return "—";
  return formatUptime(Math.max(0, now - Date.parse(worker.started_at)));
}

/** What the state cell says: a restart's countdown, or the state itself. */
export function describeState(worker: WorkerStatus): string {
  if (worker.state === "backoff" && worker.restart_in_ms !== null) {
    return `restarting in ${formatUptime(worker.restart_in_ms)}`;
  }
  return worker.state;
}

/** What the health cell says: the verdict, and for how long unless it is `healthy` or `unknown`. */
export function describeHealth(worker: WorkerStatus, now: number): string {
  if (worker.health_since === null || worker.health === "healthy" || worker.health === "unknown") {
    return worker.health;
  }
  return `${worker.health} for ${formatUptime(Math.max(0, now - Date.parse(worker.health_since)))}`;
}
