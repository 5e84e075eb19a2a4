/**
 * A bare obs-websocket 5 client over Bun's global WebSocket, for the fake OBS's own tests: it
 * sends and reads raw frames (JSON or MessagePack), so a test can also send what a well-behaved
 * client never would. Each message it receives is consumed once by the wait that matches it.
 */
import { decode, encode } from "@msgpack/msgpack";
import { z } from "zod";
import { authResponse, OBS_OP, OBS_RPC_VERSION, OBS_SUBPROTOCOL } from "./protocol";

const Message = z.looseObject({ op: z.number(), d: z.record(z.string(), z.unknown()) });
export type ObsMessage = z.infer<typeof Message>;

const Hello = z.looseObject({
  /** Sent from obs-websocket 5.5 on (OBS 30.2); OBS 29's 5.1 has none. */
  obsStudioVersion: z.string().optional(),
  obsWebSocketVersion: z.string(),
  rpcVersion: z.number(),
  authentication: z.object({ challenge: z.string(), salt: z.string() }).optional(),
});

export interface ObsEvent {
  eventType: string;
  eventIntent: number;
  eventData?: Record<string, unknown>;
}

export interface RawOptions {
  /** Subprotocols to ask for. Default `["obswebsocket.json"]`. */
  protocols?: string[];
}

export interface IdentifyOptions extends RawOptions {
  password?: string;
  eventSubscriptions?: number;
}

export type RawObsClient = Awaited<ReturnType<typeof openRaw>>;

/**
 * Opens a connection and waits for Hello (as `hello`); rejects when the connection fails first.
 * Waiting here rather than in `identify` also keeps clear of a Bun quirk: a first frame still
 * unread when a test awaits `expect(promise).rejects` was never delivered.
 */
export async function openRaw(url: string, options: RawOptions = {}) {
  const socket = new WebSocket(url, options.protocols ?? [OBS_SUBPROTOCOL.json]);
  socket.binaryType = "arraybuffer";
  const received: Array<{ message: ObsMessage; consumed: boolean }> = [];
  const waiters = new Set<{
    match: (m: ObsMessage) => boolean;
    resolve: (m: ObsMessage) => void;
    reject: (e: Error) => void;
  }>();
  let closedWith: { code: number; reason: string } | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.addEventListener("close", (event) => {
      closedWith = { code: event.code, reason: event.reason };
      for (const waiter of waiters)
        waiter.reject(new Error(`closed with ${event.code} ${event.reason}`));
      waiters.clear();
      resolve(closedWith);
    });
  });
  const msgpack = () => socket.protocol === OBS_SUBPROTOCOL.msgpack;

  socket.addEventListener("message", (event) => {
    const raw = typeof event.data === "string" ? JSON.parse(event.data) : decode(event.data);
    const entry = { message: Message.parse(raw), consumed: false };
    received.push(entry);
    for (const waiter of waiters) {
      if (waiter.match(entry.message)) {
        entry.consumed = true;
        waiters.delete(waiter);
        waiter.resolve(entry.message);
        return;
      }
    }
  });

  /** The first unconsumed message that matches, received already or to come. */
  const waitFor = (match: (message: ObsMessage) => boolean): Promise<ObsMessage> => {
    const entry = received.find((candidate) => !candidate.consumed && match(candidate.message));
    if (entry) {
      entry.consumed = true;
      return Promise.resolve(entry.message);
    }
    if (closedWith) return Promise.reject(new Error(`closed with ${closedWith.code}`));
    return new Promise((resolve, reject) => waiters.add({ match, resolve, reject }));
  };

  let nextRequestId = 1;
  const client = {
    socket,
    closed,
    /** Every message received so far, in order. */
    received: () => received.map((entry) => entry.message),
    send(message: unknown) {
      // A copy in its own ArrayBuffer: the DOM's WebSocket types take no shared-buffer view.
      socket.send(msgpack() ? new Uint8Array(encode(message)) : JSON.stringify(message));
    },
    sendRaw: (frame: string | Uint8Array) =>
      socket.send(typeof frame === "string" ? frame : new Uint8Array(frame)),
    waitFor,
    nextOp: (op: number) => waitFor((message) => message.op === op).then((message) => message.d),
    hello: {} as z.infer<typeof Hello>,
    async identify(identify: IdentifyOptions = {}) {
      const { hello } = client;
      const d: Record<string, unknown> = { rpcVersion: OBS_RPC_VERSION };
      if (hello.authentication && identify.password !== undefined) {
        const { salt, challenge } = hello.authentication;
        d.authentication = authResponse(identify.password, salt, challenge);
      }
      if (identify.eventSubscriptions !== undefined)
        d.eventSubscriptions = identify.eventSubscriptions;
      client.send({ op: OBS_OP.Identify, d });
      return client.nextOp(OBS_OP.Identified);
    },
    /** Sends a Request and answers the whole RequestResponse data. */
    async call(requestType: string, requestData?: unknown) {
      const requestId = `r${nextRequestId++}`;
      client.send({ op: OBS_OP.Request, d: { requestType, requestId, requestData } });
      return waitFor((m) => m.op === OBS_OP.RequestResponse && m.d.requestId === requestId).then(
        (m) => m.d,
      );
    },
    async batch(requests: unknown[], options: Record<string, unknown> = {}) {
      const requestId = `b${nextRequestId++}`;
      client.send({ op: OBS_OP.RequestBatch, d: { requestId, requests, ...options } });
      return waitFor(
        (m) => m.op === OBS_OP.RequestBatchResponse && m.d.requestId === requestId,
      ).then((m) => m.d);
    },
    /** The next event of that type not yet waited for. */
    event: (eventType: string) =>
      waitFor((m) => m.op === OBS_OP.Event && m.d.eventType === eventType).then(
        (m) => m.d as unknown as ObsEvent,
      ),
    /** Every event received so far, in order. */
    events: () =>
      received
        .filter((entry) => entry.message.op === OBS_OP.Event)
        .map((entry) => entry.message.d as unknown as ObsEvent),
    close() {
      socket.close();
      return closed;
    },
  };
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`could not connect to ${url}`)), {
      once: true,
    });
  });
  client.hello = Hello.parse(await client.nextOp(OBS_OP.Hello));
  return client;
}

/** Opens a connection and identifies; rejects with the close code when OBS refuses. */
export async function connectObs(url: string, options: IdentifyOptions = {}) {
  const client = await openRaw(url, options);
  await client.identify(options);
  return client;
}
