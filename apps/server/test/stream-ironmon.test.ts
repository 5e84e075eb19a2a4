/**
 * The ironmon show's ticker through a real hub: the IronMON records in the database (as the run
 * tracker writes them) are what the ticker says, read again after each `ironmon.run.*` event.
 */
import { describe, expect, it } from "bun:test";
import { clearIronmonCheckpoint, startIronmonRun } from "@landale/db";
import { PUSH, STREAM_OVERLAYS, type StreamState } from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import { connect, joinChannel, startTestHub, useTestDatabase } from "./support/hub";
import { ManualScheduler } from "./support/scheduler";

describe("the ironmon ticker", () => {
  const database = useTestDatabase("pglite");

  it("says the records' run, checkpoints, next trainer and clear rate", async () => {
    await database.reset();
    const db = database.current;
    // Two earlier runs: one failed at RIVAL1 (order 2), one cleared it and failed at order 3.
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 4, 15, minutes));
    await startIronmonRun(db, { challengeId: 1, seed: 100, at: at(0) });
    await clearIronmonCheckpoint(db, { id: 1, name: "LAB", at: at(1) });
    await startIronmonRun(db, { challengeId: 1, seed: 101, at: at(2) });
    await clearIronmonCheckpoint(db, { id: 1, name: "LAB", at: at(3) });
    await clearIronmonCheckpoint(db, { id: 2, name: "RIVAL1", at: at(4) });
    const current = await startIronmonRun(db, { challengeId: 1, seed: 102, at: at(5) });
    await clearIronmonCheckpoint(db, { id: 1, name: "LAB", at: at(6) });

    const clock = new ManualScheduler(Date.now());
    const hub = await startTestHub({}, { database: db, streamScheduler: clock });
    const states: StreamState[] = [];
    let wake = () => {};
    const channel = connect(hub).channel(STREAM_OVERLAYS.name);
    channel.on(PUSH.streamState, (state: StreamState) => {
      states.push(state);
      wake();
    });
    await joinChannel(channel);
    const until = async (test: (state: StreamState) => boolean): Promise<StreamState> => {
      for (;;) {
        const seen = states.find(test);
        if (seen !== undefined) return seen;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    };

    const runId = current?.run.id ?? 0;
    const response = await fetch(`${hub.url}/api/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        {
          type: "channel.update",
          data: { ...TWITCH_SAMPLES["channel.update"], category_id: "13332" },
        },
        {
          type: "ironmon.run.checkpoint",
          data: { run_id: runId, checkpoint_id: 1, name: "LAB", order: 1, cleared: true },
        },
      ]),
    });
    expect(response.status).toBeLessThan(300);

    const run = await until(
      (state) =>
        state.show === "ironmon" &&
        state.layers.background?.type === "ticker.ironmon_run" &&
        state.layers.background.data.run_id === String(runId),
    );
    expect(run.layers.background?.data).toEqual({
      run_id: String(runId),
      attempt: 3,
      seed: 102,
      cleared: 1,
      total: 24,
      current: { id: "1", name: "LAB", order: 1 },
    });
    // The engine's own count of the event is replaced by the records: LAB was cleared 3 times.
    await clock.advance(15_000);
    const progress = await until(
      (state) => state.layers.background?.type === "ticker.ironmon_progress",
    );
    expect(progress.layers.background?.data).toEqual({
      next: { order: 2, name: "RIVAL1", trainer: "Rival" },
      clear_rate: 0.5,
      reached: 2,
    });

    // The run clears RIVAL1: the recorder stores it, then tells; the ticker reads the records again.
    await clearIronmonCheckpoint(db, { id: 2, name: "RIVAL1", at: at(7) });
    await fetch(`${hub.url}/api/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "ironmon.run.checkpoint",
        data: { run_id: runId, checkpoint_id: 2, name: "RIVAL1", order: 2, cleared: true },
      }),
    });
    const next = await until(
      (state) =>
        state.layers.background?.type === "ticker.ironmon_progress" &&
        (state.layers.background.data.next as { order: number } | null)?.order === 3,
    );
    expect(next.layers.background?.data).toEqual({
      next: { order: 3, name: "FIRSTTRAINER", trainer: "Trainer" },
      // The second run died there.
      clear_rate: 0,
      reached: 1,
    });
    expect(next.layers.foreground).toMatchObject({ type: "ironmon.run.checkpoint" });
  });
});
