import { describe, expect, it } from "bun:test";
import {
  advanceClock,
  clockMs,
  formatElapsed,
  freezeClock,
  type OutputClock,
  parseTimecode,
} from "./clock";

const OFF = { active: false, paused: false, reconnecting: false, timecode: null };
const running = (timecode: string, paused = false) => ({ ...OFF, active: true, paused, timecode });

describe("parseTimecode", () => {
  it("reads OBS's HH:MM:SS.mmm, and refuses anything else", () => {
    expect(parseTimecode("01:02:03.456")).toBe(3_723_456);
    expect(parseTimecode("00:00:07.5")).toBe(7_500);
    expect(parseTimecode("00:10:00")).toBe(600_000);
    expect(parseTimecode("10:99:00.000")).toBeNull();
    expect(parseTimecode("soon")).toBeNull();
  });
});

describe("advanceClock", () => {
  it("counts on from the timecode told, from the time it arrived", () => {
    const clock = advanceClock(null, running("00:01:00.000"), 1_000);
    expect(clock).not.toBeNull();
    expect(clockMs(clock as OutputClock, 6_000)).toBe(65_000);
  });

  it("keeps counting when a push repeats an old timecode, and re-sets on a new one", () => {
    const first = advanceClock(null, running("00:01:00.000"), 1_000);
    const again = advanceClock(first, running("00:01:00.000"), 31_000);
    expect(clockMs(again as OutputClock, 31_000)).toBe(90_000);
    const fresh = advanceClock(again, running("00:01:29.000"), 31_000);
    expect(clockMs(fresh as OutputClock, 31_000)).toBe(89_000);
  });

  it("stops while paused and goes on from there once resumed", () => {
    const rec = advanceClock(null, running("00:00:10.000"), 0);
    const paused = advanceClock(rec, running("00:00:10.000", true), 5_000);
    expect(clockMs(paused as OutputClock, 60_000)).toBe(15_000);
    const resumed = advanceClock(paused, running("00:00:10.000"), 60_000);
    expect(clockMs(resumed as OutputClock, 62_000)).toBe(17_000);
  });

  it("holds a recording paused when first told", () => {
    const clock = advanceClock(null, running("00:00:42.000", true), 0);
    expect(clockMs(clock as OutputClock, 99_000)).toBe(42_000);
  });

  it("has no clock for a stopped output or an unknown timecode", () => {
    const clock = advanceClock(null, running("00:00:01.000"), 0);
    expect(advanceClock(clock, OFF, 0)).toBeNull();
    expect(advanceClock(null, { ...OFF, active: true }, 0)).toBeNull();
    expect(advanceClock(null, running("?"), 0)).toBeNull();
  });

  it("never reads a time before it was set", () => {
    const clock = advanceClock(null, running("00:01:00.000"), 6_000);
    expect(clockMs(clock as OutputClock, 1_000)).toBe(60_000);
  });
});

describe("formatElapsed", () => {
  it("writes elapsed time as a clock, hours only when there are some", () => {
    expect(formatElapsed(7_999)).toBe("0:07");
    expect(formatElapsed(725_000)).toBe("12:05");
    expect(formatElapsed(3_723_456)).toBe("1:02:03");
    expect(formatElapsed(-5)).toBe("0:00");
  });
});

describe("freezeClock", () => {
  it("stops a running clock where it reads, and leaves a stopped one as it is", () => {
    const clock = advanceClock(null, running("00:00:17.000"), 1_000) as OutputClock;
    const frozen = freezeClock(clock, 4_000) as OutputClock;
    expect(clockMs(frozen, 60_000)).toBe(20_000);
    expect(freezeClock(frozen, 90_000)).toBe(frozen);
    expect(freezeClock(null, 90_000)).toBeNull();
  });
});
