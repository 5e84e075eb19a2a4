/**
 * Two channel servers on loopback sharing the Redis on 127.0.0.1:6379, each test on its own Redis
 * channel. Redis is taken "down" for one node with a TCP proxy cut in front of it, never stopped.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { startTcpProxy } from "@landale/testkit";
import { RedisClient } from "bun";
import { type AdapterStats, createRedisAdapter, type RedisAdapterOptions } from "../src";
import {
  Inbox,
  outcome,
  phoenixOptions,
  type RawClient,
  type TestServer,
  useHarness,
  VERSIONS,
} from "./support";

const REDIS = "redis://127.0.0.1:6379";
const h = useHarness();
const releases: (() => unknown)[] = [];
afterEach(async () => {
  for (const release of releases.splice(0).reverse()) await release();
});

/** Polls a condition (Redis state this process cannot be told about) until it holds. */
async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

function adapterStats(server: TestServer): AdapterStats {
  const stats = server.channels.stats().adapter;
  if (stats === undefined) throw new Error("server has no adapter");
  return stats;
}

/** A server with a Redis adapter on `channel`, connected before it is returned. */
async function node(channel: string, options: RedisAdapterOptions = {}): Promise<TestServer> {
  const adapter = createRedisAdapter({ url: REDIS, channel, ...options });
  const server = h.server({ adapter });
  await until("the adapter to connect", () => adapterStats(server).connected);
  return server;
}

async function subscribers(server: TestServer, topic: string): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (const { vsn } of VERSIONS) {
    const client = await h.raw(server.url(vsn));
    await client.join(topic);
    clients.push(client);
  }
  return clients;
}

function heard(client: RawClient, from: string): number[] {
  return client.inbox
    .seen((frame) => frame.event === "n" && (frame.payload as { from: string }).from === from)
    .map((frame) => (frame.payload as { i: number }).i);
}

const uniqueChannel = () => `test:channels:${crypto.randomUUID()}`;

describe("the Redis adapter", () => {
  it("brings 1,000 broadcasts from each of two nodes to every subscriber, in order", async () => {
    const channel = uniqueChannel();
    const a = await node(channel);
    const b = await node(channel);
    const onA = await subscribers(a, "room:lobby");
    const onB = await subscribers(b, "room:lobby");
    const everyone = [...onA, ...onB];

    for (let i = 0; i < 1000; i++) {
      a.channels.broadcast("room:lobby", "n", { from: "a", i });
      b.channels.broadcast("room:lobby", "n", { from: "b", i });
    }
    const last = (from: string) => (frame: { event: string; payload: unknown }) =>
      frame.event === "n" &&
      (frame.payload as { from: string; i: number }).from === from &&
      (frame.payload as { i: number }).i === 999;
    for (const client of everyone) {
      await client.inbox.next(last("a"), "a's last broadcast", 10_000);
      await client.inbox.next(last("b"), "b's last broadcast", 10_000);
    }
    // Redis hands a's echo to a before b's marker, sent once b has heard all of a: an echo a
    // delivered twice would show up before the marker.
    b.channels.broadcast("room:lobby", "marker", {});
    for (const client of everyone) await client.nextEvent("room:lobby", "marker", 10_000);

    const expected = Array.from({ length: 1000 }, (_, i) => i);
    for (const client of everyone) {
      expect(heard(client, "a")).toEqual(expected);
      expect(heard(client, "b")).toEqual(expected);
    }
    for (const server of [a, b]) {
      expect(adapterStats(server)).toMatchObject({
        published: 1000 + (server === b ? 1 : 0),
        received: 1000 + (server === a ? 1 : 0),
        publishDropped: 0,
        publishFailed: 0,
        missed: 0,
        malformed: 0,
      });
    }
  });

  it("carries a channel's broadcastFrom to official clients on the other node", async () => {
    const channel = uniqueChannel();
    const a = await node(channel);
    const b = await node(channel);
    const sender = await h.raw(a.url("2.0.0"));
    await sender.join("room:chat");
    const socket = h.phoenix(b.endpoint, phoenixOptions("2.0.0", { timeout: 2000 }));
    socket.connect();
    const room = socket.channel("room:chat", {});
    const shouts = new Inbox<unknown>();
    room.on("shout", (payload) => shouts.add(payload));
    expect((await outcome(room.join())).status).toBe("ok");

    // Only the sender's own socket is left out; the other node delivers to all of its own.
    await sender.request("room:chat", "shout_others", { body: "across" });

    expect(await shouts.next()).toEqual({ body: "across" });
    expect(sender.inbox.seen((frame) => frame.event === "shout")).toEqual([]);
  });

  it("carries binary payloads to V2 subscribers on the other node", async () => {
    const channel = uniqueChannel();
    const a = await node(channel);
    const b = await node(channel);
    const client = await h.raw(b.url("2.0.0"));
    await client.join("room:bytes");

    a.channels.broadcast("room:bytes", "blob", new Uint8Array([0, 1, 254, 255]));
    const frame = await client.nextEvent("room:bytes", "blob");

    expect(new Uint8Array(frame.payload as ArrayBuffer)).toEqual(new Uint8Array([0, 1, 254, 255]));
  });

  it("reconnects after losing Redis, sends what waited and counts what was missed", async () => {
    const channel = uniqueChannel();
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: 6379 });
    releases.push(() => proxy.stop());
    const a = await node(channel);
    const b = await node(channel, {
      url: `redis://127.0.0.1:${proxy.port}`,
      backoff: { minMs: 20, maxMs: 200 },
    });
    const [onA] = await subscribers(a, "room:lobby");
    const [onB] = await subscribers(b, "room:lobby");

    const fromA = (i: number) => (f: { event: string; payload: unknown }) =>
      f.event === "n" && (f.payload as { i: number }).i === i;
    a.channels.broadcast("room:lobby", "n", { from: "a", i: 0 });
    await onB?.inbox.next(fromA(0));
    await proxy.cut();
    await until("b to see Redis gone", () => !adapterStats(b).connected);
    a.channels.broadcast("room:lobby", "n", { from: "a", i: 1 }); // b is not listening: lost
    b.channels.broadcast("room:lobby", "n", { from: "b", i: 0 }); // waits for Redis
    await proxy.restore();
    await until("b to reconnect", () => adapterStats(b).connected);
    a.channels.broadcast("room:lobby", "n", { from: "a", i: 2 });

    await onA?.inbox.next((f) => f.event === "n" && (f.payload as { from: string }).from === "b");
    await onB?.inbox.next(fromA(2));
    expect(heard(onA as RawClient, "b")).toEqual([0]);
    expect(heard(onB as RawClient, "a")).toEqual([0, 2]);
    expect(adapterStats(b)).toMatchObject({ missed: 1, publishDropped: 0 });
    expect(adapterStats(b).reconnects).toBeGreaterThanOrEqual(2);
  });

  it("drops and counts broadcasts past maxBuffered while Redis is away", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: 6379 });
    releases.push(() => proxy.stop());
    const b = await node(uniqueChannel(), {
      url: `redis://127.0.0.1:${proxy.port}`,
      maxBuffered: 5,
    });
    await proxy.cut();
    await until("b to see Redis gone", () => !adapterStats(b).connected);

    for (let i = 0; i < 12; i++) b.channels.broadcast("room:lobby", "n", { i });

    expect(adapterStats(b).publishDropped).toBe(7);
  });

  it("counts messages on its channel that are not broadcasts", async () => {
    const channel = uniqueChannel();
    const a = await node(channel);
    const other = new RedisClient(REDIS);
    releases.push(() => other.close());
    await other.publish(channel, "not json");
    await other.publish(channel, JSON.stringify({ n: "x", s: 0 }));

    await until("both to be counted", () => adapterStats(a).malformed === 2);
  });

  it("releases its Redis connections when the server closes", async () => {
    const channel = uniqueChannel();
    const a = await node(channel);
    const observer = new RedisClient(REDIS);
    releases.push(() => observer.close());
    const listeners = async () =>
      ((await observer.send("PUBSUB", ["NUMSUB", channel])) as [string, number])[1];
    expect(await listeners()).toBe(1);

    await a.stop();

    await until("the subscription to end", async () => (await listeners()) === 0);
    expect(adapterStats(a).connected).toBe(false);
  });
});
