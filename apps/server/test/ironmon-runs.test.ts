/**
 * IronMON run tracking through a real hub, against what a tracker does beyond one game's session:
 * switching to another game, a checkpoint that names another seed, reconnecting after a completed
 * run. Nothing is credited to a run that is not being played, and a repeated seed starts nothing.
 */
import { describe, expect, it } from "bun:test";
import { testEngines } from "@landale/db/testing";
import type {
  EventEnvelope,
  HubHealth,
  IronmonActiveRun,
  IronmonCheckpointStats,
  IronmonCheckpoints,
} from "@landale/shared";
import { playIronmonSession } from "@landale/testkit";
import type { Hub } from "../src/hub";
import { eventually } from "./support/eventually";
import { startTestHub, useTestDatabase } from "./support/hub";
import { api } from "./support/obs";

/** Sent last: once it is stored, every message before it has been acted on. */
const END = { type: "location", data: { id: 999 } };
const FIRERED = { type: "init", data: { version: "2.1.0", game: 3 } };
const EMERALD = { type: "init", data: { version: "2.1.0", game: 2 } };
const seed = (count: number) => ({ type: "seed", data: { count } });

const tcpPort = async (hub: Hub) => (await api<HubHealth>(hub, "/health")).body.ironmon.port ?? 0;

/** Plays `messages` on one connection (a tracker session), then waits until END is stored. */
async function play(hub: Hub, messages: readonly unknown[]): Promise<void> {
  const ended = async () => (await stored(hub)).filter((e) => e.type === "ironmon.location").length;
  const before = await ended();
  await playIronmonSession({ port: await tcpPort(hub), seed: 3, messages: [...messages, END] });
  await eventually("the session acted on", async () => (await ended()) > before);
}

async function stored(hub: Hub): Promise<EventEnvelope[]> {
  const page = (await api<{ events: EventEnvelope[] }>(hub, "/activity/events?limit=1000")).body;
  return page.events.filter((event) => event.type.startsWith("ironmon.")).reverse();
}

async function runEvents(hub: Hub) {
  return (await stored(hub))
    .filter((event) => event.type.startsWith("ironmon.run."))
    .map(({ type, data }) => ({ type, data }));
}

const stats = async (hub: Hub) =>
  (await api<IronmonCheckpointStats>(hub, "/ironmon/checkpoints/stats")).body.checkpoints.map(
    (c) => [c.name, c.cleared, c.failed, c.clear_rate],
  );

describe.each(testEngines())("IronMON run tracking on %s", (engine) => {
  const database = useTestDatabase(engine);
  const hubOn = async () => {
    await database.reset();
    return startTestHub({}, { database: database.current });
  };

  it("credits nothing to a FireRed run from another game, and ends it on that game's seed", async () => {
    const hub = await hubOn();
    await play(hub, [
      FIRERED,
      seed(1000),
      { type: "checkpoint", data: { id: 1, name: "LAB", seed: 1000 } },
      EMERALD,
      seed(2000),
      { type: "checkpoint", data: { id: 5, name: "ROXANNE" } },
    ]);
    const events = await runEvents(hub);
    const run = (events[0]?.data as { run_id?: number } | undefined)?.run_id ?? 0;
    expect(events).toEqual([
      {
        type: "ironmon.run.started",
        data: { run_id: run, seed: 1000, challenge: "Kaizo IronMON", attempt: 1 },
      },
      {
        type: "ironmon.run.checkpoint",
        data: { run_id: run, checkpoint_id: 1, name: "LAB", order: 1, cleared: true },
      },
      { type: "ironmon.run.failed", data: { run_id: run, checkpoint_id: 2, name: "RIVAL1" } },
    ]);
    expect((await api<IronmonActiveRun>(hub, "/ironmon/runs/active")).body.run).toBeNull();
    expect((await api<HubHealth>(hub, "/health")).body.ironmon.active_run_id).toBeNull();
    expect((await stats(hub)).slice(0, 5)).toEqual([
      ["LAB", 1, 0, 1],
      ["RIVAL1", 0, 1, 0],
      ["FIRSTTRAINER", 0, 0, null],
      ["RIVAL2", 0, 0, null],
      ["BROCK", 0, 0, null],
    ]);
  });

  it("credits nothing from a checkpoint that names another seed", async () => {
    const hub = await hubOn();
    await play(hub, [
      FIRERED,
      seed(1000),
      { type: "checkpoint", data: { id: 1, name: "LAB", seed: 999 } },
    ]);
    expect((await runEvents(hub)).map((event) => event.type)).toEqual(["ironmon.run.started"]);
    const active = (await api<IronmonActiveRun>(hub, "/ironmon/runs/active")).body.run;
    expect(active).toMatchObject({ seed: 1000, cleared: [] });
  });

  it("starts no run when the tracker reconnects after a completed run", async () => {
    const hub = await hubOn();
    const checkpoints = (await api<IronmonCheckpoints>(hub, "/ironmon/checkpoints")).body
      .checkpoints;
    await play(hub, [
      FIRERED,
      seed(1000),
      ...checkpoints.map((c) => ({
        type: "checkpoint",
        data: { id: c.order, name: c.name, seed: 1000 },
      })),
    ]);
    expect((await api<IronmonActiveRun>(hub, "/ironmon/runs/active")).body.run).toBeNull();
    // a new connection, as the tracker reconnecting: its init and seed again, then the next seed
    await play(hub, [FIRERED, seed(1000), seed(1001)]);

    const events = await runEvents(hub);
    const run = (events[0]?.data as { run_id?: number } | undefined)?.run_id ?? 0;
    expect(events.map((event) => event.type)).toEqual([
      "ironmon.run.started",
      ...checkpoints.map(() => "ironmon.run.checkpoint"),
      "ironmon.run.started",
    ]);
    expect(events.at(-1)?.data).toEqual({
      run_id: run + 1,
      seed: 1001,
      challenge: "Kaizo IronMON",
      attempt: 2,
    });
    expect((await stats(hub)).slice(0, 2)).toEqual([
      ["LAB", 1, 0, 1],
      ["RIVAL1", 1, 0, 1],
    ]);
  });
});
