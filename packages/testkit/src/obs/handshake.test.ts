import { afterAll, afterEach, describe, expect, it } from "bun:test";
import { startFakeObs } from "./fake";
import {
  authResponse,
  OBS_CLOSE,
  OBS_EVENT_SUBSCRIPTION,
  OBS_OP,
  OBS_SUBPROTOCOL,
} from "./protocol";
import { connectObs, openRaw, type RawObsClient } from "./raw-client";

const PASSWORD = "supersecretpassword";
const obs = startFakeObs({ password: PASSWORD });
const open: RawObsClient[] = [];
const track = (client: RawObsClient) => {
  open.push(client);
  return client;
};

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});
afterAll(() => obs.stop());

describe("Hello and Identify", () => {
  it("sends Hello with a per-session challenge and the server's salt", async () => {
    const first = track(await openRaw(obs.url));
    const second = track(await openRaw(obs.url));
    const [a, b] = [first.hello, second.hello];
    expect(a).toMatchObject({
      obsStudioVersion: "32.0.1",
      obsWebSocketVersion: "5.6.3",
      rpcVersion: 1,
    });
    const authA = a.authentication!;
    const authB = b.authentication!;
    expect(Buffer.from(authA.challenge, "base64")).toHaveLength(32);
    expect(authA.salt).toBe(authB.salt);
    expect(authA.challenge).not.toBe(authB.challenge);
  });

  it("identifies a client that answers the challenge", async () => {
    const client = track(await openRaw(obs.url));
    const identified = await client.identify({ password: PASSWORD, eventSubscriptions: 64 });
    expect(identified).toEqual({ negotiatedRpcVersion: 1 });
    expect(obs.clients()).toEqual([
      expect.objectContaining({
        encoding: OBS_SUBPROTOCOL.json,
        eventSubscriptions: 64,
        rpcVersion: 1,
      }),
    ]);
  });

  it("subscribes to every non-high-volume category by default", async () => {
    track(await connectObs(obs.url, { password: PASSWORD }));
    expect(obs.clients()[0]?.eventSubscriptions).toBe(OBS_EVENT_SUBSCRIPTION.All);
  });

  it("closes with 4009 on a wrong password", async () => {
    const client = track(await openRaw(obs.url));
    await expect(client.identify({ password: "wrong" })).rejects.toThrow("4009");
    expect(await client.closed).toEqual({
      code: OBS_CLOSE.AuthenticationFailed,
      reason: "Authentication failed.",
    });
    expect(obs.clients()).toEqual([]);
  });

  it("closes with 4009 when authentication is required but missing", async () => {
    const client = track(await openRaw(obs.url));
    client.send({ op: OBS_OP.Identify, d: { rpcVersion: 1 } });
    expect(await client.closed).toEqual({
      code: OBS_CLOSE.AuthenticationFailed,
      reason:
        "Your payload's data is missing an `authentication` string, however authentication is required.",
    });
  });

  it("sends no challenge and needs no answer without a password", async () => {
    const open = startFakeObs();
    try {
      const client = track(await openRaw(open.url));
      expect(client.hello.authentication).toBeUndefined();
      client.send({ op: OBS_OP.Identify, d: { rpcVersion: 1 } });
      expect(await client.nextOp(OBS_OP.Identified)).toEqual({ negotiatedRpcVersion: 1 });
    } finally {
      await open.stop();
    }
  });

  it("answers Reidentify with Identified and keeps the subscriptions it does not change", async () => {
    const client = track(await connectObs(obs.url, { password: PASSWORD }));
    client.send({
      op: OBS_OP.Reidentify,
      d: { eventSubscriptions: OBS_EVENT_SUBSCRIPTION.Outputs },
    });
    expect(await client.nextOp(OBS_OP.Identified)).toEqual({ negotiatedRpcVersion: 1 });
    expect(obs.clients()[0]?.eventSubscriptions).toBe(OBS_EVENT_SUBSCRIPTION.Outputs);
    client.send({ op: OBS_OP.Reidentify, d: {} });
    await client.nextOp(OBS_OP.Identified);
    expect(obs.clients()[0]?.eventSubscriptions).toBe(OBS_EVENT_SUBSCRIPTION.Outputs);
  });
});

describe("subprotocols", () => {
  it("speaks MessagePack over binary frames when asked for obswebsocket.msgpack", async () => {
    const client = track(await openRaw(obs.url, { protocols: [OBS_SUBPROTOCOL.msgpack] }));
    expect(client.socket.protocol).toBe(OBS_SUBPROTOCOL.msgpack);
    await client.identify({ password: PASSWORD });
    const response = await client.call("GetCurrentProgramScene");
    expect(response.responseData).toMatchObject({ sceneName: "Starting Soon" });
    expect(obs.clients()[0]?.encoding).toBe(OBS_SUBPROTOCOL.msgpack);
  });

  it("picks the first supported subprotocol a client asks for", async () => {
    const client = track(await openRaw(obs.url, { protocols: ["foo", OBS_SUBPROTOCOL.json] }));
    expect(client.socket.protocol).toBe(OBS_SUBPROTOCOL.json);
  });

  it("speaks JSON to a client that asks for no subprotocol", async () => {
    const client = track(await openRaw(obs.url, { protocols: [] }));
    expect(client.socket.protocol).toBe("");
    await client.identify({ password: PASSWORD });
    expect((await client.call("GetStudioModeEnabled")).requestStatus).toEqual({
      result: true,
      code: 100,
    });
  });

  it("selects none of only unsupported subprotocols, so the client's handshake fails", async () => {
    await expect(openRaw(obs.url, { protocols: ["obswebsocket.v4"] })).rejects.toThrow(
      "could not connect",
    );
  });
});

describe("messages OBS refuses", () => {
  const identify = async () => track(await connectObs(obs.url, { password: PASSWORD }));
  const unidentified = async () => track(await openRaw(obs.url));
  const cases: Array<
    [string, () => Promise<RawObsClient>, string | Uint8Array, number, string | RegExp]
  > = [
    [
      "a request before Identify",
      unidentified,
      JSON.stringify({ op: 6, d: { requestType: "GetVersion", requestId: "1" } }),
      4007,
      "You attempted to send a non-Identify message while not identified.",
    ],
    [
      "a second Identify",
      identify,
      JSON.stringify({ op: 1, d: { rpcVersion: 1 } }),
      4008,
      "You are already Identified with the obs-websocket server.",
    ],
    [
      "a 4.x request",
      unidentified,
      JSON.stringify({ "request-type": "GetVersion", "message-id": "1" }),
      4010,
      "You appear to be attempting to connect with the pre-5.0.0 plugin protocol. Check to make sure your client is updated.",
    ],
    ["text that is not JSON", identify, "{nope", 4002, /^Unable to decode Json: /],
    [
      "a binary frame on a JSON session",
      identify,
      new Uint8Array([1, 2, 3]),
      4002,
      "Your session encoding is set to Json, but a binary message was received.",
    ],
    ["a payload that is not an object", identify, "[1]", 4002, "You sent a non-object payload."],
    [
      "a message without op",
      identify,
      JSON.stringify({ d: {} }),
      4006,
      "Your request is missing an `op`.",
    ],
    ["an unknown op", identify, JSON.stringify({ op: 4, d: {} }), 4006, "Unknown OpCode: 4"],
    [
      "a message without d",
      identify,
      JSON.stringify({ op: 6 }),
      4003,
      "Your payload is missing data (`d`).",
    ],
    [
      "a request without requestId",
      identify,
      JSON.stringify({ op: 6, d: { requestType: "GetVersion" } }),
      4003,
      "Your payload data is missing a `requestId`.",
    ],
    [
      "a requestType that is not a string",
      identify,
      JSON.stringify({ op: 6, d: { requestType: 5, requestId: "1" } }),
      4004,
      "Your `requestType` is not a string.",
    ],
    [
      "negative eventSubscriptions",
      identify,
      JSON.stringify({ op: 3, d: { eventSubscriptions: -1 } }),
      4004,
      "Your `eventSubscriptions` is not an unsigned number.",
    ],
    [
      "a batch with an invalid executionType",
      identify,
      JSON.stringify({ op: 8, d: { requestId: "b", executionType: 7, requests: [] } }),
      4005,
      "Your `executionType` has an invalid value.",
    ],
    [
      "a batch without requests",
      identify,
      JSON.stringify({ op: 8, d: { requestId: "b" } }),
      4003,
      "Your payload data is missing a `requests`.",
    ],
  ];
  for (const [what, connect, frame, code, reason] of cases) {
    it(`closes with ${code} on ${what}`, async () => {
      const client = await connect();
      client.sendRaw(frame);
      const closed = await client.closed;
      expect(closed.code).toBe(code);
      if (typeof reason === "string") expect(closed.reason).toBe(reason);
      else expect(closed.reason).toMatch(reason);
    });
  }

  it("closes with 4010 on an rpcVersion it does not speak, once the password checks out", async () => {
    const client = await unidentified();
    const hello = client.hello.authentication!;
    client.send({
      op: OBS_OP.Identify,
      d: { rpcVersion: 2, authentication: authResponse(PASSWORD, hello.salt, hello.challenge) },
    });
    expect(await client.closed).toEqual({
      code: OBS_CLOSE.UnsupportedRpcVersion,
      reason: "Your requested RPC version is not supported by this server.",
    });
  });
});
