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
  it("closes a client that stopped reading with 4008, counts it, and spares the others", async () => {
    const backpressureLimit = 64 * 1024;
    const server = h.server({ backpressureLimit });
    const stalled = await h.stalled(server, "room:flood");
    const reader = await h.raw(server.url("2.0.0"));
    await reader.join("room:flood");
    const payload = { blob: "x".repeat(32 * 1024) };

    // The stalled client's kernel buffers take a few megabytes before Bun has to buffer;
    // the reader keeps up because the test waits for each frame.
    let sent = 0;
    const cap = 4000;
    while (server.channels.stats().connections === 2 && sent < cap) {
      server.channels.broadcast("room:flood", "flood", { ...payload, n: sent });
      sent++;
      await reader.nextEvent("room:flood", "flood");
    }

    const stats = server.channels.stats();
    expect(sent).toBeLessThan(cap);
    expect(stats).toMatchObject({ closedSlow: 1, dropped: 0, connections: 1, channels: 1 });
    // Every frame it was sent is still there to read, and then the close frame says why.
    expect(await stalled.resume()).toBe(4008);
    expect(reader.inbox.seen((frame) => frame.event === "flood")).toHaveLength(sent);
    expect(reader.isOpen).toBe(true);
  });

  it("closes a client that stopped reading its own pushes with 4008", async () => {
    const server = h.server({ backpressureLimit: 64 * 1024 });
    const stalled = await h.stalled(server, "room:flood");
    const blob = "x".repeat(32 * 1024);

    let sent = 0;
    const cap = 4000;
    while (server.channels.stats().connections === 1 && sent < cap) {
      server.channels.info("room:flood", { blob, n: sent });
      sent++;
      // Let the event loop write to the socket between pushes, as it would between windows.
      await Bun.sleep(0);
    }

    expect(sent).toBeLessThan(cap);
    expect(server.channels.stats()).toMatchObject({ closedSlow: 1, connections: 0 });
    expect(await stalled.resume()).toBe(4008);
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
