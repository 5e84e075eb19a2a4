import { describe, expect, it } from "bun:test";
import { CircuitBreaker } from "./breaker";

function breaker() {
  const clock = { now: 0 };
  const subject = new CircuitBreaker({ threshold: 3, cooldownMs: 1000, now: () => clock.now });
  return { clock, subject };
}

describe("CircuitBreaker", () => {
  it("opens after N consecutive failures", () => {
    const { subject } = breaker();
    subject.failure();
    subject.failure();
    expect(subject.allow()).toBe(true);
    subject.failure();
    expect(subject.state()).toBe("open");
    expect(subject.allow()).toBe(false);
    expect(subject.status()).toEqual({
      state: "open",
      consecutiveFailures: 3,
      opened: 1,
      retryAt: 1000,
    });
  });

  it("counts only failures in a row", () => {
    const { subject } = breaker();
    subject.failure();
    subject.failure();
    subject.success();
    subject.failure();
    subject.failure();
    expect(subject.state()).toBe("closed");
  });

  it("lets one trial through once the cooldown has passed", () => {
    const { clock, subject } = breaker();
    for (let i = 0; i < 3; i++) subject.failure();
    clock.now = 999;
    expect(subject.allow()).toBe(false);
    clock.now = 1000;
    expect(subject.state()).toBe("half_open");
    expect(subject.allow()).toBe(true);
    expect(subject.allow()).toBe(false);
  });

  it("closes when the trial succeeds", () => {
    const { clock, subject } = breaker();
    for (let i = 0; i < 3; i++) subject.failure();
    clock.now = 1000;
    subject.allow();
    subject.success();
    expect(subject.status()).toEqual({
      state: "closed",
      consecutiveFailures: 0,
      opened: 1,
      retryAt: null,
    });
  });

  it("opens again for a whole cooldown when the trial fails", () => {
    const { clock, subject } = breaker();
    for (let i = 0; i < 3; i++) subject.failure();
    clock.now = 1500;
    subject.allow();
    subject.failure();
    expect(subject.state()).toBe("open");
    expect(subject.status().retryAt).toBe(2500);
    clock.now = 2500;
    expect(subject.allow()).toBe(true);
  });
});
