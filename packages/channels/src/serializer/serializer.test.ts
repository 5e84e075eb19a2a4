import { describe, expect, it } from "bun:test";
import { Serializer as PhoenixSerializer } from "phoenix";
import { FrameError } from "../errors";
import type { Outbound } from "../message";
import { negotiate, v1, v2 } from "./index";

/** What the official client makes of a frame we send. */
function clientDecode(frame: string | Uint8Array): Record<string, unknown> {
  const raw = typeof frame === "string" ? frame : frame.slice().buffer;
  let decoded: Record<string, unknown> = {};
  PhoenixSerializer.decode(raw, (message: Record<string, unknown>) => {
    decoded = message;
  });
  return decoded;
}

/** What the official client sends for a push. */
function clientEncode(message: Record<string, unknown>): string | Uint8Array {
  let encoded: string | ArrayBuffer = "";
  PhoenixSerializer.encode(message, (frame: string | ArrayBuffer) => {
    encoded = frame;
  });
  return typeof encoded === "string" ? encoded : new Uint8Array(encoded);
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe("negotiate", () => {
  it("picks V1 without vsn, V1 or V2 by vsn, and nothing for other versions", () => {
    expect(negotiate(null)).toBe(v1);
    expect(negotiate("1.0.0")).toBe(v1);
    expect(negotiate("2.0.0")).toBe(v2);
    expect(negotiate("3.0.0")).toBeNull();
  });
});

describe("V2 against the official client's serializer", () => {
  it("decodes the client's JSON and binary pushes", () => {
    const json = clientEncode({
      join_ref: "1",
      ref: "2",
      topic: "room:a",
      event: "say",
      payload: { a: 1 },
    });
    expect(v2.decode(json)).toEqual({
      joinRef: "1",
      ref: "2",
      topic: "room:a",
      event: "say",
      payload: { a: 1 },
    });

    const binary = clientEncode({
      join_ref: "1",
      ref: "3",
      topic: "room:é",
      event: "blob",
      payload: bytes(9, 8, 7).buffer,
    });
    const decoded = v2.decode(binary);
    expect(decoded).toMatchObject({ joinRef: "1", ref: "3", topic: "room:é", event: "blob" });
    expect([...(decoded.payload as Uint8Array)]).toEqual([9, 8, 7]);
  });

  it.each<[string, Outbound, Record<string, unknown>]>([
    [
      "a JSON reply",
      { kind: "reply", joinRef: "1", ref: "2", topic: "t", status: "ok", response: { x: 1 } },
      {
        join_ref: "1",
        ref: "2",
        topic: "t",
        event: "phx_reply",
        payload: { status: "ok", response: { x: 1 } },
      },
    ],
    [
      "a JSON push",
      { kind: "push", joinRef: "1", ref: null, topic: "t", event: "e", payload: { y: 2 } },
      { join_ref: "1", ref: null, topic: "t", event: "e", payload: { y: 2 } },
    ],
    [
      "a JSON broadcast",
      { kind: "broadcast", topic: "t", event: "e", payload: [1, 2] },
      { join_ref: null, ref: null, topic: "t", event: "e", payload: [1, 2] },
    ],
  ])("encodes %s as the client reads it", (_name, message, expected) => {
    expect(clientDecode(v2.encode(message))).toEqual(expected);
  });

  it("encodes binary replies, pushes and broadcasts as the client reads them", () => {
    const reply = clientDecode(
      v2.encode({
        kind: "reply",
        joinRef: "1",
        ref: "5",
        topic: "t",
        status: "ok",
        response: bytes(1, 2),
      }),
    );
    expect(reply).toMatchObject({ join_ref: "1", ref: "5", topic: "t", event: "phx_reply" });
    const replyPayload = reply.payload as { status: string; response: ArrayBuffer };
    expect(replyPayload.status).toBe("ok");
    expect([...new Uint8Array(replyPayload.response)]).toEqual([1, 2]);

    const push = clientDecode(
      v2.encode({
        kind: "push",
        joinRef: "1",
        ref: null,
        topic: "t",
        event: "e",
        payload: bytes(3),
      }),
    );
    expect(push).toMatchObject({ join_ref: "1", ref: null, topic: "t", event: "e" });
    expect([...new Uint8Array(push.payload as ArrayBuffer)]).toEqual([3]);

    const broadcast = clientDecode(
      v2.encode({ kind: "broadcast", topic: "t", event: "e", payload: bytes(4, 5) }),
    );
    expect(broadcast).toMatchObject({ join_ref: null, ref: null, topic: "t", event: "e" });
    expect([...new Uint8Array(broadcast.payload as ArrayBuffer)]).toEqual([4, 5]);
  });

  it("refuses frames that are not messages, naming the problem", () => {
    const refusal = (frame: string | Uint8Array) => {
      try {
        v2.decode(frame);
      } catch (err) {
        return err as FrameError;
      }
      throw new Error("expected a FrameError");
    };
    expect(refusal("{not json").message).toBe("frame is not valid JSON");
    expect(refusal('{"topic":"t"}').message).toContain("must be an array");
    expect(refusal('[null,"1","t",7,{}]').partial).toEqual({ joinRef: null, ref: "1", topic: "t" });
    expect(refusal(bytes(0, 1)).message).toContain("truncated");
    expect(refusal(bytes(0, 0, 0, 9, 1, 116)).message).toContain("truncated");
    expect(refusal(bytes(1, 0, 0, 0, 0)).message).toContain("binary pushes");
  });

  it("peeks the envelope of a frame without reading its payload", () => {
    const big = `["3","4","room:a","say",{"text":"${"x".repeat(10_000)}"}]`;
    expect(v2.peek(big)).toEqual({ joinRef: "3", ref: "4", topic: "room:a" });
    expect(v2.peek("garbage")).toBeNull();
  });
});

describe("V1", () => {
  it("decodes objects and encodes replies with their refs", () => {
    expect(v1.decode('{"topic":"t","event":"e","payload":{"a":1},"ref":"1"}')).toEqual({
      topic: "t",
      event: "e",
      payload: { a: 1 },
      ref: "1",
      joinRef: null,
    });
    const reply = JSON.parse(
      v1.encode({
        kind: "reply",
        joinRef: null,
        ref: "1",
        topic: "t",
        status: "ok",
        response: {},
      }) as string,
    );
    expect(reply).toEqual({
      topic: "t",
      event: "phx_reply",
      payload: { status: "ok", response: {} },
      ref: "1",
      join_ref: null,
    });
  });

  it("refuses binary frames and binary payloads", () => {
    expect(() => v1.decode(bytes(0, 0, 0, 0, 0))).toThrow(FrameError);
    expect(() =>
      v1.encode({ kind: "broadcast", topic: "t", event: "e", payload: bytes(1) }),
    ).toThrow(FrameError);
  });

  it("peeks topic and ref from the head and tail of a large object", () => {
    const big = `{"topic":"room:a","event":"say","payload":{"t":"${"x".repeat(10_000)}"},"ref":"9","join_ref":"2"}`;
    expect(v1.peek(big)).toEqual({ topic: "room:a", ref: "9", joinRef: "2" });
  });
});
