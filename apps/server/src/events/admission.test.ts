import { describe, expect, it } from "bun:test";
import { ByteAdmission } from "./admission";

describe("ByteAdmission", () => {
  it("admits while what is read plus what is pending stays within the budget", () => {
    let pending = 0;
    const admission = new ByteAdmission(1000, () => pending);
    const first = admission.reserve(600);
    expect(first).not.toBeNull();
    expect(admission.reserve(500)).toBeNull();
    const second = admission.reserve(400);
    expect(admission.stats()).toEqual({ readingBytes: 1000, refused: 1 });

    first?.release();
    second?.release();
    pending = 700;
    expect(admission.reserve(400)).toBeNull();
    expect(admission.reserve(300)).not.toBeNull();
    expect(admission.stats()).toEqual({ readingBytes: 300, refused: 2 });
  });

  it("gives a reservation's bytes back once, however often it is released", () => {
    const admission = new ByteAdmission(1000, () => 0);
    const held = admission.reserve(800);
    const other = admission.reserve(200);
    held?.release();
    held?.release();
    expect(admission.stats().readingBytes).toBe(200);
    other?.release();
    expect(admission.stats().readingBytes).toBe(0);
  });
});
