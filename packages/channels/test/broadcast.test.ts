/** Fan-out: broadcasts reach their topic's subscribers only, in each subscriber's own encoding. */
import { describe, expect, it } from "bun:test";
import { replyOf, useHarness, VERSIONS } from "./support";

const h = useHarness();

describe.each(VERSIONS)("broadcasts to $name subscribers", ({ vsn }) => {
  it("reach only the subscribers of their topic", async () => {
    const server = h.server();
    const reader = await h.raw(server.url(vsn));
    const bystander = await h.raw(server.url(vsn));
    await reader.join("room:news");
    await bystander.join("room:weather");

    server.channels.broadcast("room:news", "headline", { text: "hello" });
    const headline = await reader.nextEvent("room:news", "headline");
    // Frames to one socket arrive in order: had the bystander got the headline, it would be first.
    server.channels.broadcast("room:weather", "forecast", { text: "sun" });
    await bystander.nextEvent("room:weather", "forecast");

    expect(headline).toMatchObject({ joinRef: null, ref: null, payload: { text: "hello" } });
    expect(bystander.inbox.seen((frame) => frame.event === "headline")).toEqual([]);
    expect(server.channels.stats()).toMatchObject({ topics: 2, broadcasts: 2 });
  });

  it("reach every subscriber when a channel broadcasts, the sender included", async () => {
    const server = h.server();
    const sender = await h.raw(server.url(vsn));
    const listener = await h.raw(server.url(vsn));
    await sender.join("room:chat");
    await listener.join("room:chat");

    const reply = await sender.request("room:chat", "shout", { body: "hi all" });

    expect(replyOf(reply).status).toBe("ok");
    expect((await listener.nextEvent("room:chat", "shout")).payload).toEqual({ body: "hi all" });
    expect((await sender.nextEvent("room:chat", "shout")).payload).toEqual({ body: "hi all" });
  });

  it("reach every subscriber but the sender with broadcastFrom", async () => {
    const server = h.server();
    const sender = await h.raw(server.url(vsn));
    const listener = await h.raw(server.url(vsn));
    await sender.join("room:chat");
    await listener.join("room:chat");

    // The channel broadcasts before it replies, so a broadcast to the sender would come first.
    await sender.request("room:chat", "shout_others", { body: "not for me" });
    const heard = await listener.nextEvent("room:chat", "shout");

    expect(heard.payload).toEqual({ body: "not for me" });
    expect(sender.inbox.seen((frame) => frame.event === "shout")).toEqual([]);
  });

  it("stop reaching a client once it has left the topic", async () => {
    const server = h.server();
    const client = await h.raw(server.url(vsn));
    await client.join("room:news");
    await client.leave("room:news");

    server.channels.broadcast("room:news", "headline", { text: "too late" });
    await client.heartbeat();

    expect(client.inbox.seen((frame) => frame.event === "headline")).toEqual([]);
    expect(server.channels.stats().topics).toBe(0);
  });

  it("count each topic's subscribers as they join and leave", async () => {
    const server = h.server();
    const first = await h.raw(server.url(vsn));
    const second = await h.raw(server.url(vsn));
    expect(server.channels.subscribers("room:news")).toBe(0);
    await first.join("room:news");
    await second.join("room:news");
    await second.join("room:weather");
    expect(server.channels.subscribers("room:news")).toBe(2);
    expect(server.channels.subscribers("room:weather")).toBe(1);
    await first.leave("room:news");
    expect(server.channels.subscribers("room:news")).toBe(1);
    await second.close();
    // The server hears the close on its own side of the socket: wait for it.
    while (server.channels.subscribers("room:weather") > 0) await Bun.sleep(5);
    expect(server.channels.subscribers("room:news")).toBe(0);
  });
});

describe("broadcasts to mixed V1 and V2 subscribers", () => {
  it("give each subscriber its own encoding of the same broadcast", async () => {
    const server = h.server();
    const v1 = await h.raw(server.url("1.0.0"));
    const v2 = await h.raw(server.url("2.0.0"));
    await v1.join("room:mixed");
    await v2.join("room:mixed");

    server.channels.broadcast("room:mixed", "news", { n: 1 });
    const [asV1, asV2] = await Promise.all([
      v1.nextEvent("room:mixed", "news"),
      v2.nextEvent("room:mixed", "news"),
    ]);

    expect(JSON.parse(asV1.raw as string)).toEqual({
      topic: "room:mixed",
      event: "news",
      payload: { n: 1 },
      ref: null,
      join_ref: null,
    });
    expect(JSON.parse(asV2.raw as string)).toEqual([null, null, "room:mixed", "news", { n: 1 }]);
  });

  it("carry a channel's broadcast from a V2 client to a V1 client", async () => {
    const server = h.server();
    const v1 = await h.raw(server.url("1.0.0"));
    const v2 = await h.raw(server.url("2.0.0"));
    await v1.join("room:mixed");
    await v2.join("room:mixed");

    await v2.request("room:mixed", "shout_others", { from: "v2" });

    expect((await v1.nextEvent("room:mixed", "shout")).payload).toEqual({ from: "v2" });
  });
});
