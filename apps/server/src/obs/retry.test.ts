import { describe, expect, it } from "bun:test";
import {
  AUTH_ACTION,
  DEFAULT_OBS_TIMINGS,
  type FailureReports,
  MAX_FAILURE_REPORT_MS,
  NO_REPORTS,
  problemFor,
  reportFailure,
  retryDelay,
  worthRecording,
} from "./retry";

const refused = { code: -1, reason: "connect ECONNREFUSED 127.0.0.1:4455" };
const wrongPassword = { code: 4009, reason: "Authentication failed." };
const context = { url: "ws://127.0.0.1:4455", hasPassword: true, connectTimeoutMs: 10_000 };

describe("retryDelay", () => {
  it("doubles from the first wait up to the cap, whatever the jitter", () => {
    const low = (attempt: number) => retryDelay(attempt, refused, DEFAULT_OBS_TIMINGS, () => 0);
    const high = (attempt: number) => retryDelay(attempt, refused, DEFAULT_OBS_TIMINGS, () => 1);
    expect([1, 2, 3].map(low)).toEqual([800, 1600, 3200]);
    expect([1, 2, 3].map(high)).toEqual([1200, 2400, 4800]);
    expect(low(50)).toBe(12_000);
    expect(high(50)).toBe(18_000);
  });

  it("waits the slow retry after OBS refused the password", () => {
    expect(retryDelay(1, wrongPassword, DEFAULT_OBS_TIMINGS, () => 0.5)).toBe(60_000);
  });
});

describe("problemFor", () => {
  it("says the password was refused, or missing, and what to do", () => {
    expect(problemFor(wrongPassword, context)).toEqual({
      code: "obs_auth_failed",
      message: "OBS refused the password in OBS_WEBSOCKET_PASSWORD.",
      action: AUTH_ACTION,
    });
    expect(problemFor(wrongPassword, { ...context, hasPassword: false }).message).toContain(
      "OBS_WEBSOCKET_PASSWORD is not set",
    );
  });

  it("names the address and what went wrong when OBS is not there", () => {
    const problem = problemFor(refused, context);
    expect(problem.code).toBe("obs_unreachable");
    expect(problem.message).toBe(
      "OBS is not answering at ws://127.0.0.1:4455: connect ECONNREFUSED 127.0.0.1:4455",
    );
    expect(problem.action).toContain("Enable WebSocket server");
    expect(problemFor({ code: null, reason: "", timedOut: true }, context).message).toContain(
      "no answer within 10000 ms",
    );
  });

  it("asks for a newer OBS when it does not speak obs-websocket 5", () => {
    expect(problemFor({ code: 4010, reason: "rpc" }, context).code).toBe("obs_unsupported");
  });
});

describe("worthRecording", () => {
  const unreachable = problemFor(refused, context);
  const password = problemFor(wrongPassword, context);

  it("keeps quiet about OBS not running when the hub never reached it", () => {
    expect(worthRecording(false, unreachable)).toBe(false);
    expect(worthRecording(false, password)).toBe(true);
  });

  it("records OBS gone once it had been there", () => {
    expect(worthRecording(true, unreachable)).toBe(true);
  });
});

describe("reportFailure", () => {
  const MINUTE = 60_000;
  const run = (failures: { at: number; code?: string }[]) => {
    let reports: FailureReports = NO_REPORTS;
    const reported: number[] = [];
    for (const { at, code } of failures) {
      const decision = reportFailure(reports, code ?? "obs_unreachable", at, MINUTE);
      reports = decision.reports;
      if (decision.report) reported.push(at);
    }
    return reported;
  };

  it("reports the first failure, then ever more rarely, never closer than a minute", () => {
    const everySecond = Array.from({ length: 10 * 60 }, (_, i) => ({ at: i * 1000 }));
    expect(run(everySecond)).toEqual([0, MINUTE, 3 * MINUTE, 7 * MINUTE]);
  });

  it("reports at least hourly however long OBS stays closed", () => {
    const everyMinute = Array.from({ length: 5 * 60 }, (_, i) => ({ at: i * MINUTE }));
    const reported = run(everyMinute);
    const gaps = reported.slice(1).map((at, i) => at - (reported[i] ?? 0));
    expect(Math.max(...gaps)).toBe(MAX_FAILURE_REPORT_MS);
  });

  it("reports a different problem once a minute has passed", () => {
    expect(
      run([
        { at: 0 },
        { at: 30_000, code: "obs_auth_failed" },
        { at: 61_000, code: "obs_auth_failed" },
        { at: 62_000, code: "obs_auth_failed" },
      ]),
    ).toEqual([0, 61_000]);
  });
});
