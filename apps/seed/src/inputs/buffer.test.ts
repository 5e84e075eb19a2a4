import { describe, expect, it } from "bun:test";
import type { EpochMs } from "../time";
import { TimedBuffer } from "./buffer";

const at = (ms: number) => ms as EpochMs;

describe("TimedBuffer", () => {
  it("drops the oldest arrival past its capacity and counts it", () => {
    const buffer = new TimedBuffer<{ at: EpochMs; n: number }>(2);
    buffer.add({ at: at(10), n: 1 });
    buffer.add({ at: at(20), n: 2 });
    buffer.add({ at: at(30), n: 3 });
    expect(buffer.between(at(0), at(100)).map((item) => item.n)).toEqual([2, 3]);
    expect(buffer.stats()).toEqual({ size: 2, capacity: 2, dropped: 1, pruned: 0 });
  });

  it("reads a window by time, oldest first, whatever the arrival order", () => {
    const buffer = new TimedBuffer<{ at: EpochMs }>(10);
    for (const ms of [50, 10, 30, 70]) buffer.add({ at: at(ms) });
    expect(buffer.between(at(10), at(70)).map((item) => Number(item.at))).toEqual([10, 30, 50]);
  });

  it("prunes only what is older than the horizon", () => {
    const buffer = new TimedBuffer<{ at: EpochMs }>(10);
    for (const ms of [10, 20, 30]) buffer.add({ at: at(ms) });
    expect(buffer.prune(at(20))).toBe(1);
    expect(buffer.between(at(0), at(100)).map((item) => Number(item.at))).toEqual([20, 30]);
    expect(buffer.stats().pruned).toBe(1);
  });

  it("refuses a capacity that bounds nothing", () => {
    expect(() => new TimedBuffer(0)).toThrow(RangeError);
  });
});
