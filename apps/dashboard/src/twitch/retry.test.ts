import { afterEach, beforeEach, describe, expect, it, jest } from "bun:test";
import type { TwitchStatus } from "@landale/shared";
import { sampleTwitchStatus } from "@landale/shared/fixtures/twitch-status";
import { createRoot } from "solid-js";
import { createRetry, passes, reachesTwitch } from "./retry";

function status(change: Partial<TwitchStatus> = {}, eventsub = "connected"): TwitchStatus {
  return sampleTwitchStatus(
    { state: "connected", user: { id: "1", login: "landale" }, ...change },
    { state: eventsub as TwitchStatus["eventsub"]["state"] },
  );
}

describe("passes", () => {
  it("tries again when Twitch, the hub or the link was away", () => {
    for (const code of ["twitch_unreachable", "twitch_unavailable", "twitch_rate_limited"]) {
      expect(passes(code)).toBe(true);
    }
    expect(passes("timeout")).toBe(true);
  });

  it("leaves a refusal or a sign-in problem to the streamer", () => {
    for (const code of ["twitch_refused", "twitch_unauthorized", "twitch_not_connected"]) {
      expect(passes(code)).toBe(false);
    }
    expect(passes("invalid_reply")).toBe(false);
  });
});

describe("reachesTwitch", () => {
  it("is true while signed in with the EventSub session connected", () => {
    expect(reachesTwitch(status())).toBe(true);
    const scopes = { code: "missing_scopes", message: "lacks", action: "sign in" };
    expect(reachesTwitch(status({ problem: scopes }))).toBe(true);
  });

  it("is false through an outage: the session reconnecting, or Twitch unreachable", () => {
    expect(reachesTwitch(status({}, "reconnecting"))).toBe(false);
    const away = { code: "twitch_unreachable", message: "refused", action: "wait" };
    expect(reachesTwitch(status({ problem: away }))).toBe(false);
  });

  it("is false before the status is known and without a usable grant", () => {
    expect(reachesTwitch(null)).toBe(false);
    expect(reachesTwitch(status({ state: "invalid" }))).toBe(false);
  });
});

describe("createRetry", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  // No jitter: each delay is the whole ceiling.
  const options = { baseMs: 1_000, maxMs: 4_000, random: () => 1 };

  it("tries again after a delay that doubles up to the cap, one try at a time", () => {
    createRoot((dispose) => {
      const retry = createRetry(options);
      const runs: number[] = [];
      for (const [index, delay] of [1_000, 2_000, 4_000, 4_000].entries()) {
        retry.schedule(() => runs.push(delay));
        jest.advanceTimersByTime(delay - 1);
        expect(runs).toHaveLength(index);
        jest.advanceTimersByTime(1);
        expect(runs).toHaveLength(index + 1);
      }
      // A try scheduled while one waits replaces it.
      retry.schedule(() => runs.push(-1));
      retry.schedule(() => runs.push(-2));
      jest.advanceTimersByTime(4_000);
      expect(runs.slice(4)).toEqual([-2]);
      dispose();
    });
  });

  it("starts over after a reset, and drops a waiting try on cancel", () => {
    createRoot((dispose) => {
      const retry = createRetry(options);
      let runs = 0;
      retry.schedule(() => runs++);
      jest.advanceTimersByTime(1_000);
      retry.schedule(() => runs++);
      retry.cancel();
      jest.advanceTimersByTime(10_000);
      expect(runs).toBe(1);
      retry.reset();
      retry.schedule(() => runs++);
      jest.advanceTimersByTime(1_000);
      expect(runs).toBe(2);
      dispose();
    });
  });

  it("leaves no timer behind once its owner is disposed", () => {
    let runs = 0;
    createRoot((dispose) => {
      createRetry(options).schedule(() => runs++);
      dispose();
    });
    jest.advanceTimersByTime(10_000);
    expect(runs).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
