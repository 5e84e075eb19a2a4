/** Frames at the edge: V2 binary frames, oversize frames, and frames that are not messages. */
import { describe, expect, it } from "bun:test";
import { binaryPush, type Frame, replyOf, useHarness, VERSIONS } from "./support";

const h = useHarness();

/** Every byte value, so an encoding that mangled any of them would show. */
const BYTES = Uint8Array.from({ length: 256 }, (_, index) => index);

function bytesOf(frame: Frame): number[] {
  const { response } = replyOf(frame);
  return [...(response as Uint8Array)];
}

describe("V2 binary frames", () => {
  it("answer a binary push with a binary reply carrying the same bytes", async () => {
    const server = h.server();
    const client = await h.raw(server.url("2.0.0"));
    await client.join("room:bin");

    client.sendBytes(
      binaryPush({ joinRef: "1", ref: "2", topic: "room:bin", event: "echo" }, BYTES),
    );
    const reply = await client.reply("2");

    expect(reply).toMatchObject({ kind: 1, joinRef: "1", ref: "2", topic: "room:bin" });
    expect(replyOf(reply).status).toBe("ok");
    expect(bytesOf(reply)).toEqual([...BYTES]);
  });

  it("keep their bytes while they wait in a channel's queue", async () => {
    const server = h.server();
    const client = await h.raw(server.url("2.0.0"));
    await client.join("async:bin");

    const held = client.push("async:bin", "wait", { gate: "hold" });
    client.sendBytes(
      binaryPush({ joinRef: "1", ref: "3", topic: "async:bin", event: "echo" }, BYTES),
    );
    client.sendBytes(
      binaryPush({ joinRef: "1", ref: "4", topic: "async:bin", event: "echo" }, BYTES.toReversed()),
    );
    // More frames pass through the server while the two binary pushes wait behind the gate.
    await client.heartbeat();
    server.log.gates.open("hold");
    const [, first, second] = await Promise.all([
      client.reply(held),
      client.reply("3"),
      client.reply("4"),
    ]);

    expect(bytesOf(first)).toEqual([...BYTES]);
    expect(bytesOf(second)).toEqual([...BYTES].reverse());
  });

  it("carry a channel's binary push as kind 0", async () => {
    const server = h.server();
    const client = await h.raw(server.url("2.0.0"));
    await client.join("room:bin");

    client.sendBytes(
      binaryPush({ joinRef: "1", ref: "2", topic: "room:bin", event: "push_back" }, BYTES),
    );
    const pushed = await client.nextEvent("room:bin", "pushed");

    expect(pushed).toMatchObject({ kind: 0, joinRef: "1", topic: "room:bin" });
    expect([...(pushed.payload as Uint8Array)]).toEqual([...BYTES]);
  });

  it("carry a binary broadcast as kind 2, and V1 subscribers of the topic live on without it", async () => {
    const server = h.server();
    const v2 = await h.raw(server.url("2.0.0"));
    const v1 = await h.raw(server.url("1.0.0"));
    await v2.join("room:audio");
    await v1.join("room:audio");

    server.channels.broadcast("room:audio", "chunk", BYTES);
    server.channels.broadcast("room:audio", "caption", { text: "hello" });
    const chunk = await v2.nextEvent("room:audio", "chunk");
    const caption = await v1.nextEvent("room:audio", "caption");

    expect(chunk).toMatchObject({ kind: 2, topic: "room:audio", joinRef: null, ref: null });
    expect([...(chunk.payload as Uint8Array)]).toEqual([...BYTES]);
    expect(caption.payload).toEqual({ text: "hello" });
    expect(v1.inbox.seen((frame) => frame.event === "chunk")).toEqual([]);
  });

  it("answer a binary push to a topic not joined with 'unmatched topic'", async () => {
    const server = h.server();
    const client = await h.raw(server.url("2.0.0"));

    client.sendBytes(
      binaryPush({ joinRef: "1", ref: "1", topic: "room:nope", event: "echo" }, BYTES),
    );
    const reply = await client.reply("1");

    expect(replyOf(reply).response).toMatchObject({ reason: "unmatched topic" });
  });

  it("are refused without harm when truncated or not a push", async () => {
    const server = h.server();
    const client = await h.raw(server.url("2.0.0"));
    await client.join("room:bin");

    client.sendBytes(Uint8Array.of(0, 9, 9));
    client.sendBytes(Uint8Array.of(0, 1, 1, 8, 4, 49, 50, 114));
    client.sendBytes(Uint8Array.of(1, 1, 1, 1, 1, 49, 50, 114, 111));
    const heartbeat = await client.heartbeat();

    expect(client.inbox.history.slice(1)).toEqual([heartbeat]);
    expect(server.channels.stats().malformed).toBe(3);
    expect(replyOf(await client.request("room:bin", "echo", { still: "here" })).status).toBe("ok");
  });
});

describe("V1 sockets", () => {
  it("refuse binary frames without dying", async () => {
    const server = h.server();
    const client = await h.raw(server.url("1.0.0"));
    await client.join("room:bin");

    client.sendBytes(
      binaryPush({ joinRef: "1", ref: "2", topic: "room:bin", event: "echo" }, BYTES),
    );
    const heartbeat = await client.heartbeat();

    expect(client.inbox.history.slice(1)).toEqual([heartbeat]);
    expect(server.channels.stats()).toMatchObject({ malformed: 1, connections: 1 });
    expect(replyOf(await client.request("room:bin", "echo", { n: 1 })).response).toEqual({ n: 1 });
  });
});

describe.each(VERSIONS)("$name frames", ({ vsn }) => {
  const maxFrameBytes = 1024;

  it("larger than maxFrameBytes get a frame_too_large reply, and the socket lives on", async () => {
    const server = h.server({ maxFrameBytes });
    const client = await h.raw(server.url(vsn));
    await client.join("room:big");

    const reply = await client.request("room:big", "echo", { blob: "x".repeat(2 * maxFrameBytes) });

    expect(reply.topic).toBe("room:big");
    expect(replyOf(reply)).toMatchObject({
      status: "error",
      response: { code: "frame_too_large", reason: "frame too large" },
    });
    expect(client.inbox.seen((frame) => frame.event === "phx_error")).toEqual([]);
    expect(replyOf(await client.request("room:big", "echo", { small: true })).response).toEqual({
      small: true,
    });
    expect(server.channels.stats()).toMatchObject({ oversize: 1, channels: 1 });
  });

  it("far past maxFrameBytes close the connection with 1009", async () => {
    const server = h.server({ maxFrameBytes });
    const client = await h.raw(server.url(vsn));

    client.push("room:big", "echo", { blob: "x".repeat(8 * maxFrameBytes) });

    expect((await client.closedByServer()).code).toBe(1009);
  });

  it("that are not JSON messages are dropped and the socket keeps working", async () => {
    const server = h.server();
    const client = await h.raw(server.url(vsn));
    await client.join("room:lobby");
    const garbage =
      vsn === "2.0.0"
        ? [
            "not json",
            "[",
            "",
            "null",
            "42",
            '"text"',
            "{}",
            "[1,2,3]",
            "[null,null,null,null,null]",
          ]
        : ["not json", "{", "", "null", "42", '"text"', "[]", '["1","2","room:lobby","echo",{}]'];
    const unanswerable =
      vsn === "2.0.0"
        ? ['[1,"9","room:lobby","echo",{}]', '{"topic":"room:lobby","event":"echo","ref":"9"}']
        : ['{"event":"echo","ref":"9"}', '{"topic":5,"event":"echo","ref":"9"}'];

    for (const text of [...garbage, ...unanswerable]) client.sendText(text);
    const heartbeat = await client.heartbeat();

    expect(client.inbox.history.slice(1)).toEqual([heartbeat]);
    expect(server.channels.stats()).toMatchObject({
      malformed: garbage.length + unanswerable.length,
      connections: 1,
      channels: 1,
    });
    expect(replyOf(await client.request("room:lobby", "echo", { n: 1 })).response).toEqual({
      n: 1,
    });
  });

  it("that are broken but name their push get a malformed_message reply", async () => {
    const server = h.server();
    const client = await h.raw(server.url(vsn));
    await client.join("room:lobby");
    const [badJson, badEvent] =
      vsn === "2.0.0"
        ? ['["1","21","room:lobby","echo",{oops}]', '["1","22","room:lobby",7,{}]']
        : [
            '{"topic":"room:lobby","event":"echo","payload":{oops},"ref":"21","join_ref":"1"}',
            '{"topic":"room:lobby","event":7,"payload":{},"ref":"22","join_ref":"1"}',
          ];

    client.sendText(badJson);
    client.sendText(badEvent);
    const replies = [await client.reply("21"), await client.reply("22")];

    for (const reply of replies) {
      expect(reply.topic).toBe("room:lobby");
      expect(replyOf(reply)).toMatchObject({
        status: "error",
        response: { code: "malformed_message", reason: "malformed message" },
      });
    }
    expect(replyOf(await client.request("room:lobby", "echo", { n: 1 })).status).toBe("ok");
  });
});

describe("refused frames in the log", () => {
  it("are logged once, then summed in one line per interval, not one line each", async () => {
    const lines: { context: Record<string, unknown>; message: string }[] = [];
    const record = (context: object, message: string) =>
      lines.push({ context: context as Record<string, unknown>, message });
    const logger = { debug() {}, info() {}, warn: record, error: record };
    // An interval longer than the test: the summary comes from close(), not from a clock.
    const server = h.server({ logger, logIntervalMs: 60_000 });
    const client = await h.raw(server.url("2.0.0"));
    const flood = 300;

    for (let n = 0; n < flood; n++) client.sendText(`not json ${n}`);
    await client.heartbeat();
    server.channels.close();

    const refused = lines.filter((line) => line.message === "frame refused");
    expect(refused.map((line) => line.context.count)).toEqual([1, flood - 1]);
    expect(refused[1]?.context).toMatchObject({ code: "malformed_message", interval_ms: 60_000 });
    expect(server.channels.stats().malformed).toBe(flood);
  });
});
