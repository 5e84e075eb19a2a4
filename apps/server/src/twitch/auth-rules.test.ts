import { describe, expect, it } from "bun:test";
import {
  grantOf,
  missingScopes,
  nextCheckAt,
  nextWakeAt,
  REFRESH_AHEAD_MS,
  RETRY_FIRST_MS,
  RETRY_MAX_MS,
  renewAtOf,
  retryDelay,
  VALIDATE_INTERVAL_MS,
} from "./auth-rules";

const HOUR = 3600_000;

describe("the sign-in's rules", () => {
  it("renews 5 minutes ahead, or half a short token's lifetime ahead", () => {
    expect(renewAtOf(10 * HOUR, 4 * HOUR)).toBe(10 * HOUR - REFRESH_AHEAD_MS);
    expect(renewAtOf(10 * HOUR, null)).toBe(10 * HOUR - REFRESH_AHEAD_MS);
    expect(renewAtOf(10 * HOUR, 60_000)).toBe(10 * HOUR - 30_000);
    expect(renewAtOf(null, null)).toBeNull();
  });

  it("checks at the hourly validation or the renewal, whichever comes first, never in the past", () => {
    const renewable = { expiresAt: 4 * HOUR, refreshToken: "r" };
    expect(nextCheckAt(0, 0, renewable, 4 * HOUR - REFRESH_AHEAD_MS)).toBe(VALIDATE_INTERVAL_MS);
    expect(nextCheckAt(3.5 * HOUR, 3 * HOUR, renewable, 3.6 * HOUR)).toBe(3.6 * HOUR);
    expect(nextCheckAt(5 * HOUR, 3 * HOUR, renewable, 3.6 * HOUR)).toBe(5 * HOUR);
    expect(nextCheckAt(10, null, renewable, HOUR)).toBe(10);
    // Without a refresh token, it is looked at when it expires, to find it dead.
    const pasted = { expiresAt: 1.5 * HOUR, refreshToken: null };
    expect(nextCheckAt(1.2 * HOUR, 1 * HOUR, pasted, null)).toBe(1.5 * HOUR);
    expect(nextCheckAt(0, 0, { expiresAt: null, refreshToken: null }, null)).toBe(HOUR);
  });

  it("backs off after failures, doubling up to a ceiling", () => {
    expect([1, 2, 3].map(retryDelay)).toEqual([
      RETRY_FIRST_MS,
      2 * RETRY_FIRST_MS,
      4 * RETRY_FIRST_MS,
    ]);
    expect(retryDelay(50)).toBe(RETRY_MAX_MS);
  });

  it("wakes to retry after a failure, to check a usable grant, and not at all without one", () => {
    const base = {
      loaded: true,
      grant: null,
      retrying: false,
      failures: 0,
      validatedAt: null,
      renewAt: null,
    };
    expect(nextWakeAt(100, base)).toBeNull();
    expect(nextWakeAt(100, { ...base, loaded: false, failures: 2 })).toBe(100 + 2 * RETRY_FIRST_MS);
    const grant = { expiresAt: 4 * HOUR, refreshToken: "r" };
    expect(nextWakeAt(100, { ...base, grant, retrying: true, failures: 1 })).toBe(
      100 + RETRY_FIRST_MS,
    );
    expect(nextWakeAt(0, { ...base, grant, validatedAt: 0, renewAt: 3 * HOUR })).toBe(HOUR);
  });

  it("lists the required scopes a grant lacks", () => {
    expect(missingScopes(["b", "a", "c"], ["c"])).toEqual(["a", "b"]);
    expect(missingScopes(["a"], ["a", "extra"])).toEqual([]);
  });

  it("makes a grant of a user's token, and refuses an app token", () => {
    const tokens = { accessToken: "a", refreshToken: null, scope: ["x"] };
    const validation = {
      client_id: "c",
      login: "l",
      user_id: "1",
      scopes: ["z", "y"],
      expires_in: 60,
    };
    expect(grantOf(validation, tokens, 1000)).toEqual({
      accessToken: "a",
      refreshToken: null,
      scopes: ["y", "z"],
      expiresAt: 61_000,
      userId: "1",
      login: "l",
    });
    expect(grantOf({ ...validation, scopes: null, expires_in: 0 }, tokens, 0)).toMatchObject({
      scopes: ["x"],
      expiresAt: null,
    });
    const app = { client_id: "c", scopes: [], expires_in: 60 };
    expect(() => grantOf(app, tokens, 0)).toThrow("app access token");
  });
});
