/** Shutdown, and the bounds that protect the server: back-pressure and per-channel queues. */
import { describe, expect, it } from "bun:test";
import { replyOf, useHarness } from "./support";

const h = useHarness();

describe("close()", () => {
  it("closes every socket with 1001 and leaves no connection, channel or topic behind", async () => {
    const server = h.server();
    const v1 = await h.raw(server.url("1.0.0"));
    const v2 = await h.raw(server.url("2.0.0"));
    await v1.join("room:a");
    await v2.join("room:a");
    await v2.join("room:b");
    expect(server.channels.stats()).toMatchObject({ connections: 2, channels: 3, topics: 2 });

    server.channels.close();
    const closed = await Promise.all([v1.closedByServer(), v2.closedByServer()]);

    expect(closed.map((close) => close.code)).toEqual([1001, 1001]);
    expect(server.channels.stats()).toMatchObject({ connections: 0, channels: 0, topics: 0 });
    expect(server.log.terminations.history.map((end) => end.reason)).toEqual([
      "shutdown",
      "shutdown",
      "shutdown",
    ]);
  });

  it("still lets the Bun server take new sockets", async () => {
    const server = h.server();
    const before = await h.raw(server.url("2.0.0"));
    server.channels.close();
    await before.closedByServer();

    const after = await h.raw(server.url("2.0.0"));

    expect(replyOf(await after.join("room:a")).status).toBe("ok");
    expect(server.channels.stats().connections).toBe(1);
  });
});

describe("back-pressure", () => {
  it("drops frames for a client that stopped reading, counts them, and spares the others", async () => {
    const backpressureLimit = 64 * 1024;
    const server = h.server({ backpressureLimit });
    await h.stalled(server, "room:flood");
    const reader = await h.raw(server.url("2.0.0"));
    await reader.join("room:flood");
    const payload = { blob: "x".repeat(32 * 1024) };

    // The stalled client's kernel buffers take a few megabytes before Bun has to buffer or drop;
    // the reader keeps up because the test waits for each frame.
    let sent = 0;
    const cap = 4000;
    while (server.channels.stats().broadcastsDropped === 0 && sent < cap) {
      server.channels.broadcast("room:flood", "flood", { ...payload, n: sent });
      sent++;
      await reader.nextEvent("room:flood", "flood");
    }

    const stats = server.channels.stats();
    expect(sent).toBeLessThan(cap);
    expect(stats.broadcastsDropped).toBeGreaterThan(0);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(reader.inbox.seen((frame) => frame.event === "flood")).toHaveLength(sent);
    expect(stats.connections).toBe(2);
  });
});

describe("a channel's queue", () => {
  it("answers pushes past maxPendingPerChannel with 'overloaded'", async () => {
    const server = h.server({ maxPendingPerChannel: 2 });
    const client = await h.raw(server.url("2.0.0"));
    await client.join("async:busy");

    const held = client.push("async:busy", "wait", { gate: "hold" });
    const queued = client.push("async:busy", "echo", { n: 2 });
    const refused = await client.request("async:busy", "echo", { n: 3 });
    server.log.gates.open("hold");

    expect(replyOf(refused)).toMatchObject({
      status: "error",
      response: { reason: "overloaded", code: "overloaded" },
    });
    expect(replyOf(await client.reply(held)).status).toBe("ok");
    expect(replyOf(await client.reply(queued)).response).toEqual({ n: 2 });
  });

  it("drops infos past maxPendingPerChannel and counts them", async () => {
    const server = h.server({ maxPendingPerChannel: 2 });
    const client = await h.raw(server.url("2.0.0"));
    await client.join("async:busy");

    const held = client.push("async:busy", "wait", { gate: "hold" });
    await server.log.calls.next((call) => call === "wait:hold:start");
    for (const n of [1, 2, 3]) server.channels.info("async:busy", { n });
    server.log.gates.open("hold");
    await client.reply(held);
    const info = await client.nextEvent("async:busy", "info");
    await client.heartbeat();

    expect(info.payload).toEqual({ n: 1 });
    expect(client.inbox.seen((frame) => frame.event === "info")).toHaveLength(1);
    expect(server.channels.stats().dropped).toBe(2);
  });
});
