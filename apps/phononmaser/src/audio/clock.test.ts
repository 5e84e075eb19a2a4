import { describe, expect, it } from "bun:test";
import { ConnectionClock, RELATIVE_BELOW_US } from "./clock";

describe("ConnectionClock", () => {
  it("keeps epoch timestamps as they are", () => {
    const clock = new ConnectionClock(() => 5);
    expect(clock.toWallMs(1_700_000_000_000_000)).toBe(1_700_000_000_000);
    expect(clock.toWallMs(RELATIVE_BELOW_US)).toBe(RELATIVE_BELOW_US / 1000);
  });

  it("pins OBS-relative timestamps to the wall clock once, at the first frame", () => {
    let now = 1_700_000_000_000;
    const clock = new ConnectionClock(() => now);
    expect(clock.toWallMs(3_600_000_000)).toBe(1_700_000_000_000);
    // The wall clock moved on by more than the stream did: the frames keep their own spacing.
    now += 5_000;
    expect(clock.toWallMs(3_600_021_333)).toBeCloseTo(1_700_000_000_021.333, 6);
    expect(clock.toWallMs(3_601_000_000)).toBe(1_700_000_001_000);
  });

  it("pins each connection on its own", () => {
    const first = new ConnectionClock(() => 1_000_000);
    const second = new ConnectionClock(() => 2_000_000);
    expect(first.toWallMs(10_000)).toBe(1_000_000);
    expect(second.toWallMs(10_000)).toBe(2_000_000);
  });
});
