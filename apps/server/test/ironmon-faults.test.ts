/**
 * The IronMON TCP ingest against what is not a tracker: garbage, an oversize frame, frames that are
 * not messages, and a flood of 10,000 connections past the limit. Each closes (or skips) only what
 * it must, with a counter; the hub stays healthy and the next tracker is heard.
 */
import { describe, expect, it } from "bun:test";
import type { EventEnvelope, HubHealth, IronmonStatus } from "@landale/shared";
import { encodeIronmonFrames, playIronmonSession } from "@landale/testkit";
import type { Hub } from "../src/hub";
import { eventually } from "./support/eventually";
import { startTestHub } from "./support/hub";
import { api } from "./support/obs";

const FLOOD = 10_000;
const WAVE = 250;

interface RawClient {
  write(bytes: Uint8Array | string): void;
  end(): void;
  /** Resolves when the connection is closed, by either side. */
  closed: Promise<void>;
}

async function rawClient(port: number): Promise<RawClient> {
  let closed!: () => void;
  const done = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: { data() {}, close: () => closed(), error: () => closed(), end: () => closed() },
  });
  return {
    write: (bytes) => socket.write(bytes),
    end: () => socket.end(),
    closed: done,
  };
}

const status = async (hub: Hub) => (await api<IronmonStatus>(hub, "/ironmon/status")).body;
const health = async (hub: Hub) => (await api<HubHealth>(hub, "/health")).body;
const stored = async (hub: Hub, type: string) =>
  (await api<{ events: EventEnvelope[] }>(hub, `/activity/events?type=${type}&limit=1000`)).body
    .events;

async function portOf(hub: Hub): Promise<number> {
  const port = (await status(hub)).tcp.port;
  if (port === null) throw new Error("the IronMON ingest is not listening");
  return port;
}

describe("the IronMON TCP ingest", () => {
  it("closes a connection that sends garbage, and only that one", async () => {
    const hub = await startTestHub();
    const port = await portOf(hub);
    const tracker = await rawClient(port);
    const seed = encodeIronmonFrames([{ type: "seed", data: { count: 1 } }]);
    tracker.write(seed.subarray(0, 5));

    const garbage = await rawClient(port);
    garbage.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await garbage.closed;
    tracker.write(seed.subarray(5));
    await eventually(
      "the tracker's seed",
      async () => (await stored(hub, "ironmon.seed")).length === 1,
    );
    tracker.end();
    await tracker.closed;

    const { tcp } = await status(hub);
    expect(tcp).toMatchObject({ closed_bad_length: 1, closed_oversize: 0, accepted: 2 });
    expect((await health(hub)).status).toBe("ok");
  });

  it("closes a connection at an oversize length, before reading its body", async () => {
    const hub = await startTestHub();
    const client = await rawClient(await portOf(hub));
    client.write(`${64 * 1024 + 1} {"type":"heartbeat"`);
    await client.closed;
    const huge = await rawClient(await portOf(hub));
    huge.write("9".repeat(10_000));
    await huge.closed;
    expect((await status(hub)).tcp).toMatchObject({ closed_oversize: 2, closed_bad_length: 0 });
    expect((await health(hub)).ironmon.closed_oversize).toBe(2);
  });

  it("skips frames that are not messages and keeps the connection", async () => {
    const hub = await startTestHub();
    const client = await rawClient(await portOf(hub));
    client.write(encodeIronmonFrames(["not an object", { type: "teleport", data: {} }]));
    client.write("8 {broken}");
    client.write(Buffer.from([0x32, 0x20, 0xff, 0xfe])); // two bytes that are not UTF-8
    client.write(encodeIronmonFrames([{ type: "checkpoint", data: { id: "1", name: "LAB" } }]));
    client.write(encodeIronmonFrames([{ type: "location", data: { id: 3 } }]));
    await eventually(
      "the location",
      async () => (await stored(hub, "ironmon.location")).length === 1,
    );
    expect((await status(hub)).tcp).toMatchObject({
      frames: 6,
      invalid_messages: 5,
      connections: 1,
      closed_bad_length: 0,
    });
    client.end();
    await client.closed;
  });

  it("refuses a flood of 10,000 connections past the limit and still hears the tracker", async () => {
    const hub = await startTestHub({ ironmon: { port: 0, host: "127.0.0.1", maxConnections: 16 } });
    const port = await portOf(hub);
    const held = await Promise.all(Array.from({ length: 16 }, () => rawClient(port)));
    await eventually("16 connections held", async () => (await status(hub)).tcp.connections === 16);

    for (let sent = 0; sent < FLOOD; sent += WAVE) {
      const wave = await Promise.all(
        Array.from({ length: WAVE }, async (_, i) => {
          const client = await rawClient(port);
          // some of the flood talks too: garbage and oversize, all refused before being read
          if (i % 3 === 0) client.write(i % 2 === 0 ? "garbage" : "99999999 {");
          return client;
        }),
      );
      await Promise.all(wave.map((client) => client.closed));
    }
    await eventually(
      "every flood connection refused",
      async () => (await status(hub)).tcp.refused_connections === FLOOD,
    );
    for (const client of held) client.end();
    await Promise.all(held.map((client) => client.closed));
    await eventually("the held ones gone", async () => (await status(hub)).tcp.connections === 0);

    await playIronmonSession({ port, seed: 3 });
    await eventually(
      "the session's runs",
      async () => (await stored(hub, "ironmon.run.started")).length === 2,
    );
    const after = await health(hub);
    expect(after.status).toBe("ok");
    expect(after.ironmon).toMatchObject({
      listening: true,
      connections: 0,
      refused_connections: FLOOD,
      closed_bad_length: 0,
      closed_oversize: 0,
      invalid_messages: 0,
    });
  }, 120_000);

  it("runs on without the ingest, degraded and saying why, when its port is taken", async () => {
    const first = await startTestHub();
    const taken = await portOf(first);
    const second = await startTestHub({
      ironmon: { port: taken, host: "127.0.0.1", maxConnections: 16 },
    });
    const report = await health(second);
    expect(report.status).toBe("degraded");
    expect(report.ironmon).toMatchObject({ listening: false, port: null });
    expect(report.ironmon.problem).toBeString();
    expect((await api(second, "/ironmon/challenges")).status).toBe(200);
  });

  it("closes a silent connection after the idle timeout, and the port with the hub", async () => {
    const hub = await startTestHub({}, { ironmon: { idleTimeoutS: 1 } });
    const port = await portOf(hub);
    const silent = await rawClient(port);
    await silent.closed;
    expect((await status(hub)).tcp).toMatchObject({ closed_idle: 1, connections: 0 });

    await hub.stop();
    const refused = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } }).then(
      (socket) => {
        socket.end();
        return false;
      },
      () => true,
    );
    expect(refused).toBe(true);
  });
});
