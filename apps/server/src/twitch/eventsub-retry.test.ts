import { describe, expect, test } from "bun:test";
import { backoffDelay, CREATE_RETRY_BACKOFF, isTransient } from "./eventsub-retry";
import { TwitchUnreachableError } from "./failures";
import { HelixError } from "./helix";
import { TwitchOAuthError } from "./oauth";

describe("isTransient", () => {
  test("Twitch not reached, a 5xx and a 429 may pass", () => {
    expect(isTransient(new TwitchUnreachableError("Twitch did not answer POST /x in time"))).toBe(
      true,
    );
    expect(isTransient(new TwitchOAuthError("network", null, "refused"))).toBe(true);
    for (const status of [500, 502, 503, 504, 429]) {
      expect(isTransient(new HelixError(status, "Error", "try again"))).toBe(true);
    }
    expect(isTransient(new TwitchOAuthError("refused", 503, "Service Unavailable"))).toBe(true);
  });

  test("another refusal is Twitch's answer for good, and so is anything not from Twitch", () => {
    for (const status of [400, 401, 403, 404, 422]) {
      expect(isTransient(new HelixError(status, "Error", "no"))).toBe(false);
    }
    expect(isTransient(new TwitchOAuthError("refused", 400, "invalid refresh token"))).toBe(false);
    expect(isTransient(new Error("a bug"))).toBe(false);
    expect(isTransient("nothing")).toBe(false);
  });
});

describe("backoffDelay", () => {
  test("doubles from the first wait up to the longest, each between half and all of its step", () => {
    const top = { ...CREATE_RETRY_BACKOFF, random: () => 1 };
    const bottom = { ...CREATE_RETRY_BACKOFF, random: () => 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((tries) => backoffDelay(top, tries))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect([1, 2, 7].map((tries) => backoffDelay(bottom, tries))).toEqual([500, 1_000, 30_000]);
    expect(backoffDelay(top, 1_000)).toBe(60_000);
  });
});
