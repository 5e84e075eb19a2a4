import { describe, expect, it } from "bun:test";
import {
  crashesInARow,
  EXIT_CONFIG,
  RESTART_DEFAULTS,
  restartDelay,
  restartsInWindow,
} from "./restarts";

describe("restartDelay", () => {
  it("doubles from half a second and stops growing at 30 s", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 40].map((crashes) => restartDelay(crashes, 1));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("never restarts a worker that refused its configuration", () => {
    expect(restartDelay(1, EXIT_CONFIG)).toBeNull();
  });

  it("restarts one killed by a signal (no exit code) like any crash", () => {
    expect(restartDelay(1, null)).toBe(500);
  });
});

describe("crashesInARow", () => {
  it("counts crashes that follow short runs, and starts over after a healthy one", () => {
    expect(crashesInARow(0, 10)).toBe(1);
    expect(crashesInARow(3, RESTART_DEFAULTS.stableMs - 1)).toBe(4);
    expect(crashesInARow(6, RESTART_DEFAULTS.stableMs)).toBe(1);
  });
});

describe("restartsInWindow", () => {
  it("keeps only the restarts inside the window", () => {
    const window = RESTART_DEFAULTS.windowMs;
    expect(restartsInWindow([0, 10, window + 5], window + 10)).toEqual([window + 5]);
  });
});
