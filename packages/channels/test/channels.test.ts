/**
 * The channel lifecycle over raw frames, for V1 and V2: join, leave, push, reply, refusals,
 * heartbeats, duplicate joins, unmatched topics, the channel limit, crashes, ordering and infos
 * (the scenarios of Phoenix's websocket_channels_test.exs).
 */
import { describe, expect, it } from "bun:test";
import { type RawClient, replyOf, type TestServer, useHarness, VERSIONS } from "./support";

const h = useHarness();

describe.each(VERSIONS)("channels over $name frames", ({ vsn }) => {
  async function connect(): Promise<{ server: TestServer; client: RawClient }> {
    const server = h.server();
    const client = await h.raw(server.url(vsn));
    return { server, client };
  }

  it("replies ok to a join and answers pushes on the joined topic", async () => {
    const { client } = await connect();

    const joined = await client.join("room:lobby");
    expect(joined).toMatchObject({ topic: "room:lobby", ref: "1", joinRef: "1" });
    expect(replyOf(joined)).toEqual({ status: "ok", response: {} });

    const echoed = await client.request("room:lobby", "echo", { body: "hi!" });
    expect(echoed).toMatchObject({ topic: "room:lobby", ref: "2", joinRef: "1" });
    expect(replyOf(echoed)).toEqual({ status: "ok", response: { body: "hi!" } });
  });

  it("tells handleIn the length of the frame its push came in", async () => {
    const { client } = await connect();
    await client.join("room:lobby");

    const payload = { text: "héllo, world" };
    const measured = await client.request("room:lobby", "measure", payload);
    const frame =
      vsn === "2.0.0"
        ? JSON.stringify(["1", "2", "room:lobby", "measure", payload])
        : JSON.stringify({
            topic: "room:lobby",
            event: "measure",
            payload,
            ref: "2",
            join_ref: "1",
          });
    expect(replyOf(measured)).toEqual({ status: "ok", response: { frameLength: frame.length } });
  });

  it("writes frames in the negotiated encoding", async () => {
    const { client } = await connect();

    const joined = await client.join("room:lobby");

    const frame: unknown = JSON.parse(joined.raw as string);
    if (vsn === "2.0.0") {
      expect(frame).toEqual(["1", "1", "room:lobby", "phx_reply", { status: "ok", response: {} }]);
    } else {
      expect(frame).toEqual({
        topic: "room:lobby",
        event: "phx_reply",
        payload: { status: "ok", response: {} },
        ref: "1",
        join_ref: "1",
      });
    }
  });

  it("sends a push made during join right after the join reply", async () => {
    const { client } = await connect();

    await client.join("room:lobby", { welcome: true });
    const welcome = await client.nextEvent("room:lobby", "welcome");

    expect(welcome).toMatchObject({ joinRef: "1", ref: null, payload: { topic: "room:lobby" } });
    expect(client.inbox.history.map((frame) => frame.event)).toEqual(["phx_reply", "welcome"]);
  });

  it("sends a handler's push to its client, and no reply when the handler returns none", async () => {
    const { client } = await connect();
    await client.join("room:lobby");

    const ref = client.push("room:lobby", "push_back", { n: 1 });
    const pushed = await client.nextEvent("room:lobby", "pushed");
    await client.heartbeat();

    expect(pushed).toMatchObject({ joinRef: "1", ref: null, payload: { n: 1 } });
    expect(client.inbox.seen((frame) => frame.ref === ref)).toEqual([]);
  });

  it("leaves a channel: replies ok, then sends phx_close with the join_ref", async () => {
    const { server, client } = await connect();
    await client.join("room:lobby");

    const left = await client.leave("room:lobby");
    const closed = await client.nextEvent("room:lobby", "phx_close");

    expect(replyOf(left)).toEqual({ status: "ok", response: {} });
    expect(left.joinRef).toBe("1");
    expect(closed).toMatchObject({ joinRef: "1", ref: "1", payload: {} });
    const events = client.inbox.history.map((frame) => frame.event);
    expect(events.indexOf("phx_close")).toBeGreaterThan(events.lastIndexOf("phx_reply"));
    expect(await server.log.terminations.next()).toEqual({
      topic: "room:lobby",
      reason: "leave",
      joinRef: "1",
    });
  });

  it("stops serving a topic after leaving it", async () => {
    const { client } = await connect();
    await client.join("room:lobby");
    await client.leave("room:lobby");

    const reply = await client.request("room:lobby", "echo", { body: "should be ignored" });

    expect(replyOf(reply)).toMatchObject({
      status: "error",
      response: { reason: "unmatched topic", code: "unmatched_topic" },
    });
    expect(client.inbox.seen((frame) => frame.event === "echo")).toEqual([]);
  });

  it("answers a refused join with the handler's payload and keeps the topic unjoined", async () => {
    const { server, client } = await connect();

    const refused = await client.join("refuse:vip");
    const push = await client.request("refuse:vip", "echo", {});

    expect(refused).toMatchObject({ topic: "refuse:vip", ref: "1" });
    expect(replyOf(refused)).toEqual({
      status: "error",
      response: { reason: "not allowed", topic: "refuse:vip" },
    });
    expect(replyOf(push).response).toMatchObject({ reason: "unmatched topic" });
    expect(server.log.terminations.history).toEqual([]);
    expect(server.channels.stats().channels).toBe(0);
  });

  it("refuses a join whose handler throws with 'join crashed', and the socket lives on", async () => {
    const { server, client } = await connect();

    const crashed = await client.join("crash:now");

    expect(replyOf(crashed)).toMatchObject({
      status: "error",
      response: { reason: "join crashed", code: "join_crashed" },
    });
    expect(replyOf(await client.join("room:lobby")).status).toBe("ok");
    expect(server.channels.stats()).toMatchObject({ connections: 1, channels: 1 });
  });

  it("answers a heartbeat on topic phoenix", async () => {
    const { client } = await connect();

    const reply = await client.heartbeat();

    expect(reply.topic).toBe("phoenix");
    expect(replyOf(reply)).toEqual({ status: "ok", response: {} });
  });

  it("closes the old channel on a duplicate join", async () => {
    const { server, client } = await connect();
    await client.join("room:dup");

    const rejoined = await client.join("room:dup");

    const closed = client.inbox.seen((frame) => frame.event === "phx_close");
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ topic: "room:dup", joinRef: "1", ref: "1", payload: {} });
    expect(rejoined).toMatchObject({ topic: "room:dup", ref: "2", joinRef: "2" });
    expect(replyOf(rejoined)).toEqual({ status: "ok", response: {} });
    expect(client.inbox.history.indexOf(closed[0]!)).toBeLessThan(
      client.inbox.history.indexOf(rejoined),
    );
    expect(await server.log.terminations.next()).toEqual({
      topic: "room:dup",
      reason: "duplicate_join",
      joinRef: "1",
    });
    expect(replyOf(await client.request("room:dup", "echo", { n: 1 })).status).toBe("ok");
    expect(server.channels.stats().channels).toBe(1);
  });

  it("answers a join to a topic no channel serves with 'unmatched topic'", async () => {
    const { server, client } = await connect();

    const reply = await client.join("nowhere:at-all");

    expect(reply.topic).toBe("nowhere:at-all");
    expect(replyOf(reply)).toMatchObject({
      status: "error",
      response: { reason: "unmatched topic", code: "unmatched_topic" },
    });
    expect(server.channels.stats().channels).toBe(0);
  });

  it("answers a push to a topic it has not joined with 'unmatched topic'", async () => {
    const { client } = await connect();

    const reply = await client.request("room:never-joined", "echo", { body: "hi!" });

    expect(reply.topic).toBe("room:never-joined");
    expect(replyOf(reply)).toMatchObject({
      status: "error",
      response: { reason: "unmatched topic" },
    });
  });

  it("answers a push carrying a stale join_ref with 'unmatched topic'", async () => {
    const { client } = await connect();
    await client.join("room:lobby");
    await client.join("room:lobby");

    const stale = await client.reply(client.push("room:lobby", "echo", { n: 1 }, "1"));
    const current = await client.reply(client.push("room:lobby", "echo", { n: 2 }, "2"));

    expect(replyOf(stale)).toMatchObject({
      status: "error",
      response: { reason: "unmatched topic" },
    });
    expect(replyOf(current)).toEqual({ status: "ok", response: { n: 2 } });
  });

  it("refuses the 101st channel on one socket with 'too many channels'", async () => {
    const { server, client } = await connect();
    const topics = Array.from({ length: 100 }, (_, index) => `room:${index}`);

    const replies = await Promise.all(topics.map((topic) => client.join(topic)));
    const refused = await client.join("room:one-too-many");

    expect(replies.map((reply) => replyOf(reply).status)).toEqual(topics.map(() => "ok"));
    expect(replyOf(refused)).toMatchObject({
      status: "error",
      response: { reason: "too many channels", code: "too_many_channels" },
    });
    expect(server.channels.stats().channels).toBe(100);
    // A rejoin replaces a channel rather than adding one, so it is still allowed at the limit.
    expect(replyOf(await client.join("room:7")).status).toBe("ok");
  });

  it("closes only the crashed channel with phx_error; the socket and its other channels live", async () => {
    const { server, client } = await connect();
    await client.join("room:doomed");
    await client.join("room:fine");

    const boomRef = client.push("room:doomed", "boom");
    const errored = await client.nextEvent("room:doomed", "phx_error");

    expect(errored).toMatchObject({ joinRef: "1", ref: "1", payload: {} });
    expect(await server.log.terminations.next()).toEqual({
      topic: "room:doomed",
      reason: "crash",
      joinRef: "1",
    });
    expect(replyOf(await client.request("room:fine", "echo", { ok: true })).response).toEqual({
      ok: true,
    });
    expect(replyOf(await client.request("room:doomed", "echo")).response).toMatchObject({
      reason: "unmatched topic",
    });
    expect(client.inbox.seen((frame) => frame.ref === boomRef)).toEqual([]);
    expect(client.isOpen).toBe(true);
    expect(server.channels.stats()).toMatchObject({ crashes: 1, channels: 1, connections: 1 });
  });

  it("runs async callbacks one at a time in arrival order", async () => {
    const { server, client } = await connect();
    const { calls, gates } = server.log;
    await client.join("async:line");

    const first = client.push("async:line", "wait", { gate: "a" });
    const second = client.push("async:line", "wait", { gate: "b" });
    const third = client.push("async:line", "echo", { n: 3 });
    await calls.next((call) => call === "wait:a:start");
    gates.open("b");
    await client.heartbeat();

    expect(calls.history).toEqual(["wait:a:start"]);
    gates.open("a");
    await client.reply(third);
    const replies = client.inbox.history.filter((frame) => frame.topic === "async:line");
    expect(replies.map((frame) => frame.ref)).toEqual(["1", first, second, third]);
    expect(calls.history).toEqual([
      "wait:a:start",
      "wait:a:end",
      "wait:b:start",
      "wait:b:end",
      "echo:-:start",
      "echo:-:end",
    ]);
  });

  it("hands server.info messages to the topic's handleInfo", async () => {
    const { server, client } = await connect();
    await client.join("room:lobby");
    await client.join("room:other");

    server.channels.info("room:lobby", { hello: "world" });
    const info = await client.nextEvent("room:lobby", "info");
    await client.heartbeat();

    expect(info).toMatchObject({ joinRef: "1", payload: { hello: "world" } });
    expect(client.inbox.seen((frame) => frame.event === "info")).toHaveLength(1);
  });

  it("handles an info sent during handleIn after that handleIn has replied", async () => {
    const { client } = await connect();
    await client.join("room:lobby");

    const ref = client.push("room:lobby", "relay", { hop: 1 });
    const info = await client.nextEvent("room:lobby", "info");
    const reply = await client.reply(ref);

    expect(info.payload).toEqual({ hop: 1 });
    expect(client.inbox.history.indexOf(reply)).toBeLessThan(client.inbox.history.indexOf(info));
  });

  it("handles an info sent by an async handleIn after that handleIn has finished", async () => {
    const { server, client } = await connect();
    const { calls, gates } = server.log;
    await client.join("async:line");

    const ref = client.push("async:line", "relay", { gate: "relay" });
    await calls.next((call) => call === "relay:relay:start");
    await client.heartbeat();

    expect(calls.history).toEqual(["relay:relay:start"]);
    gates.open("relay");
    const info = await client.nextEvent("async:line", "info");
    const reply = await client.reply(ref);
    expect(info.payload).toEqual({ relayed: true });
    expect(client.inbox.history.indexOf(reply)).toBeLessThan(client.inbox.history.indexOf(info));
    expect(calls.history).toEqual(["relay:relay:start", "relay:relay:end", "info:-:start"]);
  });

  it("queues infos behind a pending async push", async () => {
    const { server, client } = await connect();
    await client.join("async:line");

    const ref = client.push("async:line", "wait", { gate: "push" });
    await server.log.calls.next((call) => call === "wait:push:start");
    server.channels.info("async:line", { gate: "info" });
    server.log.gates.open("info");
    server.log.gates.open("push");
    const info = await client.nextEvent("async:line", "info");
    const reply = await client.reply(ref);

    expect(client.inbox.history.indexOf(reply)).toBeLessThan(client.inbox.history.indexOf(info));
  });

  it("closes a channel whose handleInfo throws with phx_error", async () => {
    const { server, client } = await connect();
    await client.join("room:lobby");

    server.channels.info("room:lobby", "boom");
    const errored = await client.nextEvent("room:lobby", "phx_error");

    expect(errored.joinRef).toBe("1");
    expect((await server.log.terminations.next()).reason).toBe("crash");
    expect(replyOf(await client.heartbeat()).status).toBe("ok");
  });

  it("calls terminate with 'closed' for every channel when the socket closes", async () => {
    const { server, client } = await connect();
    await client.join("room:a");
    await client.join("room:b");

    await client.close();
    const ended = [await server.log.terminations.next(), await server.log.terminations.next()];

    expect(ended.map((end) => end.reason)).toEqual(["closed", "closed"]);
    expect(ended.map((end) => end.topic).sort()).toEqual(["room:a", "room:b"]);
  });
});

describe("V1 clients", () => {
  it("speak V1 when they send no vsn", async () => {
    const server = h.server();
    const client = await h.raw(server.url(null));

    const joined = await client.join("room:lobby");

    expect(JSON.parse(joined.raw as string)).toMatchObject({
      topic: "room:lobby",
      event: "phx_reply",
      ref: "1",
    });
  });

  it("may join and push without a join_ref, as Phoenix's V1 clients did", async () => {
    const server = h.server();
    const client = await h.raw(server.url("1.0.0"));

    client.send({ ref: "1", topic: "room:lobby", event: "phx_join" });
    const joined = await client.reply("1");
    client.send({ ref: "2", topic: "room:lobby", event: "echo", payload: { n: 1 } });
    const echoed = await client.reply("2");
    client.send({ ref: "3", topic: "room:lobby", event: "phx_leave" });
    await client.reply("3");
    const closed = await client.nextEvent("room:lobby", "phx_close");

    expect(replyOf(joined).status).toBe("ok");
    expect(joined.joinRef).toBeNull();
    expect(replyOf(echoed)).toEqual({ status: "ok", response: { n: 1 } });
    expect(closed.joinRef).toBeNull();
  });
});
