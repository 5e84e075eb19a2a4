/**
 * How the hub keeps trying to reach OBS, as pure decisions: what a failed attempt means for the
 * streamer (`problemFor`), how long to wait before the next (capped backoff with jitter; a
 * password OBS refused is retried slowly, since it may be changed in OBS), and which failures
 * become an `obs.connection.failed` event — the first after a success, then ever more rarely.
 */
import type { ObsProblem } from "@landale/shared";
import { OBS_CLOSE } from "./protocol";

export interface ObsTimings {
  /** One attempt (socket, Hello, Identify) gives up after this. */
  connectTimeoutMs: number;
  /** The wait after the first failure; it doubles up to `retryMaxMs`. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** The wait after OBS refused the password or the protocol version. */
  refusedRetryMs: number;
  /** The least time between two `obs.connection.failed` events. */
  failureReportMs: number;
}

export const DEFAULT_OBS_TIMINGS: ObsTimings = {
  connectTimeoutMs: 10_000,
  retryInitialMs: 1_000,
  retryMaxMs: 15_000,
  refusedRetryMs: 60_000,
  failureReportMs: 60_000,
};

/** However long OBS stays closed, a failure is recorded at least this often. */
export const MAX_FAILURE_REPORT_MS = 60 * 60 * 1000;

/** Why an attempt failed: its close code (obs-websocket's 4xxx, or -1 for the network) and words. */
export interface ConnectFailure {
  code: number | null;
  reason: string;
  timedOut?: boolean;
}

export const AUTH_ACTION =
  "Set OBS_WEBSOCKET_PASSWORD to the password in OBS → Tools → WebSocket Server Settings, and restart.";

/** Problems only the streamer can fix (a password, a version); OBS merely closed is not one. */
const STREAMER_PROBLEMS: ReadonlySet<string> = new Set(["obs_auth_failed", "obs_unsupported"]);

export function isStreamerProblem(problem: ObsProblem | null): boolean {
  return problem !== null && STREAMER_PROBLEMS.has(problem.code);
}

/** Whether only the streamer can fix it (a password, a version): retried slowly. */
export function needsStreamer(failure: ConnectFailure): boolean {
  return (
    failure.code === OBS_CLOSE.AuthenticationFailed ||
    failure.code === OBS_CLOSE.UnsupportedRpcVersion
  );
}

export function problemFor(
  failure: ConnectFailure,
  context: { url: string; hasPassword: boolean; connectTimeoutMs: number },
): ObsProblem {
  if (failure.code === OBS_CLOSE.AuthenticationFailed) {
    return {
      code: "obs_auth_failed",
      message: context.hasPassword
        ? "OBS refused the password in OBS_WEBSOCKET_PASSWORD."
        : "OBS asks for a password, and OBS_WEBSOCKET_PASSWORD is not set.",
      action: AUTH_ACTION,
    };
  }
  if (failure.code === OBS_CLOSE.UnsupportedRpcVersion) {
    return {
      code: "obs_unsupported",
      message: `OBS at ${context.url} does not speak obs-websocket 5: ${failure.reason}`,
      action: "Update OBS to version 28 or later (obs-websocket 5 comes with it).",
    };
  }
  const why = failure.timedOut
    ? `no answer within ${context.connectTimeoutMs} ms`
    : failure.reason || `closed (${failure.code ?? "no code"})`;
  return {
    code: "obs_unreachable",
    message: `OBS is not answering at ${context.url}: ${why}`,
    action:
      "Start OBS and tick Tools → WebSocket Server Settings → Enable WebSocket server; its port must match OBS_WEBSOCKET_URL. Landale keeps trying.",
  };
}

/** The wait before attempt `attempt + 1`, after `attempt` failures in a row. */
export function retryDelay(
  attempt: number,
  failure: ConnectFailure,
  timings: ObsTimings,
  random: () => number = Math.random,
): number {
  const base = needsStreamer(failure)
    ? timings.refusedRetryMs
    : Math.min(
        timings.retryMaxMs,
        timings.retryInitialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 20),
      );
  // ±20%: hubs restarted together do not knock on OBS in step.
  return Math.max(1, Math.round(base * (0.8 + 0.4 * random())));
}

/**
 * Whether a failed attempt may become an event at all. OBS not running before the hub ever
 * reached it is normal (OBS is optional, and the status says so); a problem only the streamer can
 * fix, or OBS gone after it was there, is news.
 */
export function worthRecording(connectedBefore: boolean, problem: ObsProblem): boolean {
  return connectedBefore || isStreamerProblem(problem);
}

/** Failures recorded since the last success. */
export interface FailureReports {
  count: number;
  lastAt: number | null;
  lastCode: string | null;
}

export const NO_REPORTS: FailureReports = { count: 0, lastAt: null, lastCode: null };

/**
 * Whether this failure becomes an event: the first since a success; then one once the interval
 * has passed (it doubles with each, from `failureReportMs` up to an hour), or once a different
 * problem appears, never closer than `failureReportMs`.
 */
export function reportFailure(
  reports: FailureReports,
  problemCode: string,
  now: number,
  failureReportMs: number,
): { report: boolean; reports: FailureReports } {
  const recorded = { count: reports.count + 1, lastAt: now, lastCode: problemCode };
  if (reports.lastAt === null) return { report: true, reports: recorded };
  const elapsed = now - reports.lastAt;
  const interval = Math.min(MAX_FAILURE_REPORT_MS, failureReportMs * 2 ** (reports.count - 1));
  const changed = problemCode !== reports.lastCode && elapsed >= failureReportMs;
  return elapsed >= interval || changed
    ? { report: true, reports: recorded }
    : { report: false, reports };
}
