import { describe, expect, it } from "bun:test";
import type { WorkerStatus } from "@landale/shared";
import { WORKER_UNWELL_MS, workersHealth } from "./health";

const NOW = Date.parse("2026-01-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();

const worker = (overrides: Partial<WorkerStatus> = {}): WorkerStatus => ({
  name: "phononmaser",
  state: "running",
  pid: 42,
  started_at: ago(600_000),
  uptime_ms: 600_000,
  restarts: 0,
  restart_in_ms: null,
  last_error: null,
  health: "healthy",
  problems: [],
  health_since: ago(590_000),
  health_url: "http://127.0.0.1:8890/health",
  logs: [],
  ...overrides,
});

const problemOf = (overrides: Partial<WorkerStatus>) =>
  workersHealth({ workers: [worker(overrides)] }, NOW)[0]?.problem;

describe("workersHealth", () => {
  it("lists each worker's state and health, none counting against the hub while well", () => {
    const seed = worker({ name: "seed", health: "unknown", health_since: null });
    expect(workersHealth({ workers: [worker(), seed] }, NOW)).toEqual([
      { name: "phononmaser", state: "running", health: "healthy", problem: null },
      { name: "seed", state: "running", health: "unknown", problem: null },
    ]);
    expect(workersHealth(null, NOW)).toEqual([]);
  });

  it("names a worker the hub gave up on, with why", () => {
    const lastError = "exited with code 3; gave up after 5 restarts in 600 s";
    const failed = {
      state: "failed",
      pid: null,
      health: "unknown",
      last_error: lastError,
    } as const;
    expect(problemOf(failed)).toBe(`phononmaser failed: ${lastError}`);
  });

  it("names a worker unhealthy or degraded for WORKER_UNWELL_MS in a row, not one just started or stopped", () => {
    const unhealthy = (forMs: number): Partial<WorkerStatus> => ({
      health: "unhealthy",
      problems: ["no answer within 1.5 s"],
      health_since: ago(forMs),
    });
    expect(problemOf(unhealthy(WORKER_UNWELL_MS - 1))).toBeNull();
    expect(problemOf(unhealthy(WORKER_UNWELL_MS))).toBe(
      "phononmaser has been unhealthy for 30 s: no answer within 1.5 s",
    );
    expect(
      problemOf({
        health: "degraded",
        problems: ["engine whisper-cpp: no model", "the link to the hub is down"],
        health_since: ago(120_000),
      }),
    ).toBe(
      "phononmaser has been degraded for 120 s: engine whisper-cpp: no model; the link to the hub is down",
    );
    const down: Partial<WorkerStatus> = { pid: null, health: "unknown", health_since: null };
    expect(problemOf({ ...down, state: "stopped" })).toBeNull();
    expect(problemOf({ ...down, state: "backoff", last_error: "exited with code 1" })).toBeNull();
    // A worker not checked yet (or without a health URL) is not unwell.
    expect(problemOf({ ...down, state: "running", pid: 42 })).toBeNull();
  });
});
