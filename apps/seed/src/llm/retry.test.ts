import { describe, expect, it } from "bun:test";
import { isRetryable, parseRetryAfter, retryDelay } from "./retry";

const policy = { retries: 3, baseMs: 500, maxMs: 10_000 };

describe("retryDelay", () => {
  it("doubles the step with each retry, waiting between half and all of it", () => {
    expect(retryDelay(policy, 1, null, () => 0)).toBe(250);
    expect(retryDelay(policy, 1, null, () => 1)).toBe(500);
    expect(retryDelay(policy, 2, null, () => 0)).toBe(500);
    expect(retryDelay(policy, 3, null, () => 1)).toBe(2000);
  });

  it("caps the step", () => {
    const long = { retries: 10, baseMs: 500, maxMs: 3000 };
    expect(retryDelay(long, 8, null, () => 1)).toBe(3000);
  });

  it("never retries sooner than Retry-After", () => {
    expect(retryDelay(policy, 1, 2000, () => 1)).toBe(2000);
    expect(retryDelay(policy, 3, 100, () => 1)).toBe(2000);
  });

  it("gives up when the server asks for a longer wait than allowed", () => {
    expect(retryDelay(policy, 1, 10_001, () => 0)).toBeNull();
  });

  it("gives up once the retries are spent", () => {
    expect(retryDelay(policy, 4, null, () => 0)).toBeNull();
    expect(retryDelay({ ...policy, retries: 0 }, 1, null, () => 0)).toBeNull();
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("3", 0)).toBe(3000);
    expect(parseRetryAfter(" 0 ", 0)).toBe(0);
  });

  it("reads an HTTP date relative to now", () => {
    const now = Date.parse("Sun, 01 Jun 2025 12:00:00 GMT");
    expect(parseRetryAfter("Sun, 01 Jun 2025 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Sun, 01 Jun 2025 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores an absent or unreadable header", () => {
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter("soon", 0)).toBeNull();
  });
});

describe("isRetryable", () => {
  it("retries rate limits and server errors, not client errors", () => {
    expect([429, 500, 502, 503].every(isRetryable)).toBe(true);
    expect([400, 401, 404, 422].some(isRetryable)).toBe(false);
  });
});
