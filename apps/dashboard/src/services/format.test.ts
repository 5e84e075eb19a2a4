import { describe, expect, it } from "bun:test";
import type { WorkerStatus } from "@landale/shared";
import { describeHealth, describeState, formatUptime, uptimeOf } from "./format";

const worker: WorkerStatus = {
  name: "seed",
  state: "running",
  pid: 42,
  started_at: "2026-01-01T00:00:00.000Z",
  uptime_ms: 0,
  restarts: 0,
  restart_in_ms: null,
  last_error: null,
  health: "healthy",
  problems: [],
  health_since: "2026-01-01T00:00:02.000Z",
  health_url: null,
  logs: [],
};

describe("formatUptime", () => {
  it("words seconds, minutes, hours and days", () => {
    expect([3_400, 245_000, 7_620_000, 273_600_000].map(formatUptime)).toEqual([
      "3 s",
      "4 min 05 s",
      "2 h 07 min",
      "3 d 04 h",
    ]);
  });
});

describe("uptimeOf and describeState", () => {
  it("counts from the start, and says a dash and the countdown while it is down", () => {
    expect(uptimeOf(worker, Date.parse("2026-01-01T00:01:00.000Z"))).toBe("1 min 00 s");
    const down = { ...worker, state: "backoff" as const, started_at: null, restart_in_ms: 2_000 };
    expect(uptimeOf(down, 0)).toBe("—");
    expect(describeState(down)).toBe("restarting in 2 s");
    expect(describeState(worker)).toBe("running");
  });
});

describe("describeHealth", () => {
  it("says how long a worker has been unwell, and just the word while it is well or unchecked", () => {
    const at = Date.parse("2026-01-01T00:02:07.000Z");
    expect(describeHealth(worker, at)).toBe("healthy");
    const degraded = { ...worker, health: "degraded" as const, problems: ["no model"] };
    expect(describeHealth(degraded, at)).toBe("degraded for 2 min 05 s");
    expect(describeHealth({ ...degraded, health: "unhealthy" }, at)).toBe(
      "unhealthy for 2 min 05 s",
    );
    expect(describeHealth({ ...worker, health: "unknown", health_since: null }, at)).toBe(
      "unknown",
    );
  });
});
