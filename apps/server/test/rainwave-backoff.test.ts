/**
 * The Rainwave poller's waits, on a clock that moves only when told (the hub's other parts keep
 * real time): every 10 s while Rainwave answers; after failures 20 s, 40 s, … up to 5 min; back to
 * 10 s with the first success. A wait is proven by no request a millisecond before it is due, its
 * timer still pending, and the request made at the due time.
 */
import { describe, expect, it } from "bun:test";
import { RainwaveStatus } from "@landale/shared";
import { startFakeRainwave } from "@landale/testkit";
import { eventually } from "./support/eventually";
import { startTestHub, useTestDatabase } from "./support/hub";
import { api } from "./support/obs";
import { ManualScheduler } from "./support/scheduler";

const database = useTestDatabase("pglite");

describe("the Rainwave poller's waits", () => {
  it("polls every 10 s, backs off from 20 s doubling to 5 min, and comes back to 10 s", async () => {
    const rainwave = startFakeRainwave({ userId: 5, apiKey: "k" });
    rainwave.setMode("error");
    const scheduler = new ManualScheduler();
    const hub = await startTestHub(
      { rainwave: { userId: "5", apiKey: "k", station: 1, apiUrl: rainwave.apiUrl } },
      { database: database.current, rainwave: { scheduler } },
    );
    const status = async () => RainwaveStatus.parse((await api(hub, "/rainwave/status")).body);
    const settled = async (failures: number) =>
      eventually(`${failures} failures and the next wait set`, async () => {
        const now = await status();
        return now.failures === failures && scheduler.pendingTimers === 1;
      });
    const waitIs = async (ms: number) => {
      const before = rainwave.requests().length;
      await scheduler.advance(ms - 1);
      expect(scheduler.pendingTimers).toBe(1);
      expect(rainwave.requests().length).toBe(before);
      await scheduler.advance(1);
      // The request may even be answered (and the next wait set) before this line runs.
      await eventually(
        `the request due after ${ms} ms`,
        () => rainwave.requests().length === before + 1,
      );
    };

    // The first request goes at start, without a timer.
    await settled(1);
    for (const [wait, failures] of [
      [20_000, 2],
      [40_000, 3],
      [80_000, 4],
      [160_000, 5],
      [300_000, 6],
      [300_000, 7],
    ] as const) {
      await waitIs(wait);
      await settled(failures);
    }
    expect((await status()).state).toBe("failing");

    rainwave.setMode("ok");
    await waitIs(300_000);
    await settled(0);
    expect((await status()).state).toBe("polling");
    await waitIs(10_000);
    await rainwave.stop();
  });
});
