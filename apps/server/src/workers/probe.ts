/**
 * One check of a worker's health: `GET` its health URL and read the answer with
 * `WorkerHealthReport` (`packages/shared`) — `ok` is healthy, `degraded` brings the worker's own
 * problems — and anything else is unhealthy, with a line saying what came back. The problems kept
 * are bounded, in number and in length.
 */
import { type WorkerHealth, WorkerHealthReport } from "@landale/shared";

/** The most problems kept from one answer; past it, one more line counts the rest. */
export const MAX_PROBLEMS = 10;
/** The longest problem line kept; a longer one is cut, ending with an ellipsis. */
export const MAX_PROBLEM_CHARS = 300;

export interface HealthCheck {
  health: Exclude<WorkerHealth, "unknown">;
  problems: string[];
}

/** Asks `url`; an answer not in time, or no answer, is unhealthy. */
export async function probeHealth(url: string, timeoutMs: number): Promise<HealthCheck> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return readHealthAnswer(response.status, await response.text());
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    const why = err instanceof Error ? err.message : String(err);
    return unhealthy(timedOut ? `no answer within ${timeoutMs / 1000} s` : `no answer: ${why}`);
  }
}

/** What an answer with `status` and `body` says of the worker. Pure. */
export function readHealthAnswer(status: number, body: string): HealthCheck {
  if (status !== 200) return unhealthy(`answered ${status} instead of 200`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return unhealthy("answered something that is not JSON");
  }
  const report = WorkerHealthReport.safeParse(json);
  if (!report.success) {
    const issues = report.error.issues.map(
      (issue) => `${issue.path.join(".") || "the answer"}: ${issue.message}`,
    );
    return unhealthy(`answered no worker health report (${issues.join("; ")})`);
  }
  const { status: verdict, problems } = report.data;
  return { health: verdict === "ok" ? "healthy" : "degraded", problems: bounded(problems) };
}

function unhealthy(problem: string): HealthCheck {
  return { health: "unhealthy", problems: [cut(problem)] };
}

function bounded(problems: string[]): string[] {
  const kept = problems.slice(0, MAX_PROBLEMS).map(cut);
  const left = problems.length - kept.length;
  return left > 0 ? [...kept, `and ${left} more`] : kept;
}

function cut(line: string): string {
  return line.length <= MAX_PROBLEM_CHARS ? line : `${line.slice(0, MAX_PROBLEM_CHARS - 1)}…`;
}
