import { describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import { ManualScheduler } from "../../test/support/scheduler";
import { reclaimAfterOverload } from "./reclaim";

const logger = createLogger({ name: "test", level: "silent" });

function setup() {
  const scheduler = new ManualScheduler();
  const state = { refusals: 0, pending: 0, collected: 0 };
  const reclaimer = reclaimAfterOverload({
    refusals: () => state.refusals,
    pending: () => state.pending,
    logger,
    quietMs: 1_000,
    scheduler,
    collect: () => {
      state.collected++;
    },
  });
  return { scheduler, state, reclaimer };
}

describe("reclaimAfterOverload", () => {
  it("never collects on a hub that refused nothing", async () => {
    const { scheduler, state, reclaimer } = setup();
    await scheduler.advance(10_000);
    expect(state.collected).toBe(0);
    reclaimer.stop();
  });

  it("collects once when refusals have stopped and nothing is pending", async () => {
    const { scheduler, state, reclaimer } = setup();
    state.refusals = 5;
    state.pending = 300;
    await scheduler.advance(1_000);
    state.refusals = 9;
    await scheduler.advance(1_000);
    // Quiet, but events still wait for their window.
    await scheduler.advance(1_000);
    expect(state.collected).toBe(0);
    state.pending = 0;
    await scheduler.advance(1_000);
    expect(state.collected).toBe(1);
    await scheduler.advance(5_000);
    expect(state.collected).toBe(1);
    expect(reclaimer.collections()).toBe(1);
    reclaimer.stop();
  });

  it("releases its timer on stop", async () => {
    const { scheduler, reclaimer } = setup();
    reclaimer.stop();
    expect(scheduler.pendingTimers).toBe(0);
  });
});
