/**
 * IronMON through a real hub, as the streamer's tracker uses it: a recorded session played over
 * TCP cut at random boundaries yields exactly the expected events and run records; the active
 * run survives a restart; the queries answer on REST and on `dashboard:main`.
 * Garbage, oversize frames and a connection flood: `ironmon-faults.test.ts`.
 */
import { describe, expect, it } from "bun:test";
import { testEngines } from "@landale/db/testing";
import {
  DASHBOARD,
  EVENTS,
  type EventBatch,
  type EventEnvelope,
  type HubHealth,
  type IronmonActiveRun,
  type IronmonCheckpointStats,
  type IronmonResults,
  PUSH,
} from "@landale/shared";
import { IRONMON_SESSION, playIronmonSession } from "@landale/testkit";
import type { Hub } from "../src/hub";
import { eventually } from "./support/eventually";
import { connect, joinChannel, push, startTestHub, useTestDatabase } from "./support/hub";
import { api } from "./support/obs";

const tcpPort = async (hub: Hub) => (await api<HubHealth>(hub, "/health")).body.ironmon.port ?? 0;

async function ironmonEvents(hub: Hub): Promise<EventEnvelope[]> {
  const page = (await api<{ events: EventEnvelope[] }>(hub, "/activity/events?limit=1000")).body;
  return page.events.filter((event) => event.type.startsWith("ironmon.")).reverse();
}

/** The session's events: one per message but heartbeats, and the runs' after what caused them. */
function expectedEvents(firstRun: number) {
  const second = firstRun + 1;
  const telemetry = (i: number) => {
    const message = IRONMON_SESSION[i] as { type: string; data?: unknown; metadata?: unknown };
    return { type: `ironmon.${message.type}`, data: message.data ?? message.metadata };
  };
  return [
    telemetry(0),
    telemetry(1),
    {
      type: "ironmon.run.started",
      data: { run_id: firstRun, seed: 412, challenge: "Kaizo IronMON", attempt: 1 },
    },
    telemetry(2),
    telemetry(3),
    {
      type: "ironmon.run.checkpoint",
      data: { run_id: firstRun, checkpoint_id: 1, name: "LAB", order: 1, cleared: true },
    },
    telemetry(4),
    telemetry(6),
    telemetry(7),
    {
      type: "ironmon.run.checkpoint",
      data: { run_id: firstRun, checkpoint_id: 2, name: "RIVAL1", order: 2, cleared: true },
    },
    ...[8, 9, 10, 11, 12, 13, 14, 15].map(telemetry),
    {
      type: "ironmon.run.failed",
      data: { run_id: firstRun, checkpoint_id: 3, name: "FIRSTTRAINER" },
    },
    {
      type: "ironmon.run.started",
      data: { run_id: second, seed: 413, challenge: "Kaizo IronMON", attempt: 2 },
    },
    telemetry(16),
    {
      type: "ironmon.run.checkpoint",
      data: { run_id: second, checkpoint_id: 1, name: "LAB", order: 1, cleared: true },
    },
    telemetry(17),
  ];
}

describe.each(testEngines())("IronMON on %s", (engine) => {
  const database = useTestDatabase(engine);
  const hubOn = async () => startTestHub({}, { database: database.current });

  it.each([11, 2026, 90210])(
    "turns the session cut at random boundaries (seed %d) into exactly its events and runs",
    async (seed) => {
      await database.reset();
      const hub = await hubOn();
      await playIronmonSession({ port: await tcpPort(hub), seed });
      const expected = (run: number) => expectedEvents(run);
      await eventually(
        "every event stored",
        async () => (await ironmonEvents(hub)).length >= expected(1).length,
      );
      const events = await ironmonEvents(hub);
      const firstRun = (events[2]?.data as { run_id?: number } | undefined)?.run_id ?? 0;
      expect(events.map(({ type, data }) => ({ type, data }))).toEqual(expected(firstRun));
      expect(events.every((event) => event.source === "tcp")).toBe(true);

      const active = (await api<IronmonActiveRun>(hub, "/ironmon/runs/active")).body.run;
      expect(active).toMatchObject({
        id: firstRun + 1,
        seed: 413,
        attempt: 2,
        cleared: [{ checkpoint_id: 1, name: "LAB", order: 1 }],
        next: { name: "RIVAL1", cleared: 1, failed: 0, clear_rate: 1 },
        total_checkpoints: 24,
      });
      const stats = (await api<IronmonCheckpointStats>(hub, "/ironmon/checkpoints/stats")).body;
      expect(
        stats.checkpoints.slice(0, 4).map((c) => [c.name, c.cleared, c.failed, c.clear_rate]),
      ).toEqual([
        ["LAB", 2, 0, 1],
        ["RIVAL1", 1, 0, 1],
        ["FIRSTTRAINER", 0, 1, 0],
        ["RIVAL2", 0, 0, null],
      ]);
      const health = (await api<HubHealth>(hub, "/health")).body;
      expect(health.status).toBe("ok");
      expect(health.ironmon).toMatchObject({
        invalid_messages: 0,
        closed_bad_length: 0,
        closed_oversize: 0,
        dropped_messages: 0,
        active_run_id: firstRun + 1,
      });
    },
  );

  it("keeps the active run across a restart, and fails it where it stood", async () => {
    await database.reset();
    const first = await hubOn();
    await playIronmonSession({ port: await tcpPort(first), seed: 7 });
    await eventually(
      "the session stored",
      async () => (await ironmonEvents(first)).length >= expectedEvents(1).length,
    );
    const before = (await api<IronmonActiveRun>(first, "/ironmon/runs/active")).body.run;
    await first.stop();

    const second = await hubOn();
    expect((await api<IronmonActiveRun>(second, "/ironmon/runs/active")).body.run).toEqual(before);
    expect((await api<HubHealth>(second, "/health")).body.ironmon.active_run_id).toBe(
      before?.id ?? -1,
    );
    await playIronmonSession({
      port: await tcpPort(second),
      seed: 8,
      messages: [{ type: "seed", data: { count: 500 } }],
    });
    // the same database: the first hub's two runs are there too
    const runs = async () =>
      (await ironmonEvents(second)).filter((e) => e.type.startsWith("ironmon.run."));
    await eventually("the new run", async () => (await runs()).length === 8);
    const [failed, started] = (await runs()).slice(-2);
    expect(started?.data).toMatchObject({ seed: 500, attempt: 3 });
    expect(failed?.data).toEqual({ run_id: before?.id, checkpoint_id: 2, name: "RIVAL1" });
    const recent = (await api<IronmonResults>(second, "/ironmon/results/recent?limit=2")).body;
    expect(recent.results.map((r) => [r.name, r.cleared, r.seed])).toEqual([
      ["RIVAL1", false, 413],
      ["LAB", true, 413],
    ]);
  });

  it("fans the session out on events:ironmon, in the order it was stored", async () => {
    await database.reset();
    const hub = await hubOn();
    const channel = connect(hub).channel(EVENTS.topic("ironmon").name);
    const seen: string[] = [];
    channel.on(PUSH.eventBatch, (batch: EventBatch) => {
      seen.push(...batch.events.map((event) => event.type));
    });
    expect((await joinChannel(channel)).status).toBe("ok");
    await playIronmonSession({ port: await tcpPort(hub), seed: 5 });
    const expected = expectedEvents(1).map((event) => event.type);
    await eventually("the session fanned out", () => seen.length >= expected.length);
    expect(seen).toEqual(expected);
  });

  it("answers the ironmon:* queries on dashboard:main as on REST", async () => {
    await database.reset();
    const hub = await hubOn();
    const channel = connect(hub).channel(DASHBOARD.name, {});
    expect((await joinChannel(channel)).status).toBe("ok");
    const challenges = await push(channel, "ironmon:challenges", {});
    expect(challenges.response).toEqual({
      challenges: [{ id: 1, name: "Kaizo IronMON", game: 3, checkpoints: 24 }],
    });
    expect(challenges.response).toEqual((await api(hub, "/ironmon/challenges")).body);
    const checkpoints = await push(channel, "ironmon:checkpoints", { challenge_id: 1 });
    expect((checkpoints.response as { checkpoints: unknown[] }).checkpoints).toHaveLength(24);
    expect((await push(channel, "ironmon:active_challenge", {})).response).toEqual({ run: null });
    expect((await push(channel, "ironmon:recent_results", { limit: 5 })).response).toEqual({
      results: [],
    });
    const status = await push(channel, "ironmon:status", {});
    expect(status.response).toMatchObject({ tcp: { listening: true, connections: 0 } });
    expect(await push(channel, "ironmon:recent_results", { limit: 1000 })).toMatchObject({
      status: "error",
      response: { code: "invalid_payload" },
    });
    expect(await push(channel, "ironmon:checkpoints", { challenge_id: 9 })).toMatchObject({
      status: "error",
      response: { code: "not_found" },
    });
    expect((await api(hub, "/ironmon/challenges/9/checkpoints")).status).toBe(404);
    expect((await api(hub, "/ironmon/results/recent?limit=0")).status).toBe(400);
  });
});
