/**
 * Test harness for the channel server: a real `Bun.serve` on port 0 with test channels, a raw
 * WebSocket client that speaks V1/V2 frames by hand, the official `phoenix` client, and cleanup
 * after every test so nothing is left running.
 */
import { afterEach } from "bun:test";
import net from "node:net";
import { Socket as PhoenixSocket, type Push, type SocketOptions } from "phoenix";
import {
  type ChannelHandler,
  type ChannelServer,
  type ChannelServerOptions,
  createChannelServer,
  createRouter,
  error,
  ok,
  type Router,
  type Socket,
  type TerminateReason,
} from "../src";

export type Vsn = "1.0.0" | "2.0.0";

/** Both wire versions, for `describe.each`. */
export const VERSIONS: readonly { name: string; vsn: Vsn }[] = [
  { name: "V1", vsn: "1.0.0" },
  { name: "V2", vsn: "2.0.0" },
];

/** How long a test waits for something it expects before failing with what it got instead. */
export const WAIT_MS = 3000;

// ---------------------------------------------------------------------------------------------
// Inbox: things that happened, awaited instead of slept for.

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
}

/**
 * A buffer of received items. `next(predicate)` takes the first buffered match or waits for one;
 * `history` keeps everything ever received, in order, for assertions about order and absence.
 */
export class Inbox<T> {
  readonly history: T[] = [];
  readonly #pending: T[] = [];
  readonly #waiters = new Set<Waiter<T>>();

  constructor(private readonly show: (item: T) => string = (item) => JSON.stringify(item)) {}

  add(item: T): void {
    this.history.push(item);
    for (const waiter of this.#waiters) {
      if (waiter.predicate(item)) {
        this.#waiters.delete(waiter);
        waiter.resolve(item);
        return;
      }
    }
    this.#pending.push(item);
  }

  next(predicate: (item: T) => boolean = () => true, label = "an item", timeoutMs = WAIT_MS) {
    const index = this.#pending.findIndex(predicate);
    if (index !== -1) return Promise.resolve(this.#pending.splice(index, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const seen = this.history.map(this.show).join("\n  ");
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}; got:\n  ${seen}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        predicate,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Everything received so far that matches. */
  seen(predicate: (item: T) => boolean): T[] {
    return this.history.filter(predicate);
  }
}

/** Promises the test resolves by name, to hold async handlers at a known point. */
export class Gates {
  readonly #gates = new Map<string, { promise: Promise<void>; open: () => void }>();

  #gate(name: string) {
    let gate = this.#gates.get(name);
    if (gate === undefined) {
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
      this.#gates.set(name, gate);
    }
    return gate;
  }

  wait(name: string): Promise<void> {
    return this.#gate(name).promise;
  }

  open(name: string): void {
    this.#gate(name).open();
  }

  openAll(): void {
    for (const gate of this.#gates.values()) gate.open();
  }
}

// ---------------------------------------------------------------------------------------------
// Test channels.

export interface Termination {
  topic: string;
  reason: TerminateReason;
  joinRef: string | null;
}

/** What the test channels tell the test: ended channels, and the calls of the async channel. */
export interface ChannelLog {
  terminations: Inbox<Termination>;
  calls: Inbox<string>;
  gates: Gates;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The channels every test server serves:
 * - `room:*`    echoes, pushes, broadcasts, relays infos, crashes on `boom`; a join with
 *               `{welcome: true}` pushes `welcome` during the join;
 * - `async:*`   async callbacks that wait on named gates and log the order they run in;
 *               `relay` sends an info to its own topic before it waits;
 * - `refuse:*`  refuses every join with the handler's own payload;
 * - `crash:*`   throws in `join`.
 */
export function testRouter(log: ChannelLog, server: () => ChannelServer<unknown>): Router {
  const terminate = (reason: TerminateReason, ctx: { topic: string; joinRef: string | null }) =>
    log.terminations.add({ topic: ctx.topic, reason, joinRef: ctx.joinRef });

  const room: ChannelHandler = {
    join(topic, payload, ctx) {
      if (isRecord(payload) && payload.welcome === true) ctx.push("welcome", { topic });
      return ok();
    },
    handleIn(event, payload, ctx) {
      switch (event) {
        case "echo":
          return ok(payload);
        case "shout":
          ctx.broadcast("shout", payload);
          return ok();
        case "shout_others":
          ctx.broadcastFrom("shout", payload);
          return ok();
        case "push_back":
          ctx.push("pushed", payload);
          return undefined;
        case "whoami":
          return ok({ assigns: ctx.assigns ?? null, params: ctx.params });
        case "measure":
          return ok({ frameLength: ctx.frameLength });
        case "relay":
          server().info(ctx.topic, payload);
          return ok({ relayed: true });
        case "boom":
          throw new Error("boom");
        default:
          return error({ reason: `no such event: ${event}` });
      }
    },
    handleInfo(message, ctx) {
      if (message === "boom") throw new Error("info boom");
      ctx.push("info", message);
    },
    terminate,
  };

  const asyncRoom: ChannelHandler = {
    async join() {
      await Promise.resolve();
      return ok();
    },
    async handleIn(event, payload, ctx) {
      const gate = isRecord(payload) && typeof payload.gate === "string" ? payload.gate : null;
      log.calls.add(`${event}:${gate ?? "-"}:start`);
      if (event === "relay") server().info(ctx.topic, { relayed: true });
      if (gate !== null) await log.gates.wait(gate);
      log.calls.add(`${event}:${gate ?? "-"}:end`);
      if (event === "boom") throw new Error("async boom");
      if (event === "push_back") ctx.push("pushed", payload);
      return ok(payload);
    },
    async handleInfo(message, ctx) {
      const gate = isRecord(message) && typeof message.gate === "string" ? message.gate : null;
      log.calls.add(`info:${gate ?? "-"}:start`);
      if (gate !== null) await log.gates.wait(gate);
      ctx.push("info", message);
    },
    terminate,
  };

  return createRouter()
    .channel("room:*", room)
    .channel("async:*", asyncRoom)
    .channel("refuse:*", {
      join: (topic) => error({ reason: "not allowed", topic }),
      terminate,
    })
    .channel("crash:*", {
      join: () => {
        throw new Error("join exploded");
      },
      terminate,
    });
}

// ---------------------------------------------------------------------------------------------
// Servers.

export type ServerOptions = Partial<ChannelServerOptions<unknown>> & { port?: number };

export interface TestServer {
  readonly channels: ChannelServer<unknown>;
  readonly port: number;
  readonly log: ChannelLog;
  /** The endpoint the official client takes (it appends `/websocket`). */
  readonly endpoint: string;
  /** The WebSocket URL, with `vsn` (omitted when null) and any other params. */
  url(vsn: Vsn | string | null, params?: Record<string, string>): string;
  /** Closes every socket (1001) and stops listening. */
  stop(): Promise<void>;
}

export function startServer(options: ServerOptions = {}): TestServer {
  const { port = 0, ...rest } = options;
  const log = newLog();
  const channels: ChannelServer<unknown> = createChannelServer<unknown>({
    router: testRouter(log, () => channels),
    ...rest,
  });
  const bun = Bun.serve<Socket<unknown>>({
    hostname: "127.0.0.1",
    port,
    fetch: (request, server) => channels.upgrade(request, server),
    websocket: channels.websocket,
  });
  const base = `ws://127.0.0.1:${bun.port}/socket`;
  let stopped: Promise<void> | null = null;
  return {
    channels,
    port: bun.port ?? 0,
    log,
    endpoint: base,
    url(vsn, params = {}) {
      const query = new URLSearchParams(params);
      if (vsn !== null) query.set("vsn", vsn);
      const search = query.toString();
      return `${base}/websocket${search === "" ? "" : `?${search}`}`;
    },
    stop() {
      stopped ??= (async () => {
        channels.close();
        await bun.stop(true);
      })();
      return stopped;
    },
  };
}

function newLog(): ChannelLog {
  return {
    terminations: new Inbox<Termination>(),
    calls: new Inbox<string>(),
    gates: new Gates(),
  };
}

/** An HTTP upgrade request made with fetch, to read the status of a refused handshake. */
export function handshake(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url.replace(/^ws/, "http"), {
    headers: {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version": "13",
      ...headers,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The raw client: frames written and read by hand.

/** A received frame, decoded by the test's own reading of the wire format. */
export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
  /** The V2 binary kind (0 push, 1 reply, 2 broadcast), or null for a text frame. */
  kind: number | null;
  raw: string | Uint8Array;
}

export interface OutFrame {
  joinRef?: string | null;
  ref?: string | null;
  topic: string;
  event: string;
  payload?: unknown;
}

export interface Closed {
  code: number;
  reason: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A V2 binary push from a client: kind 0, four field lengths, the fields, then the bytes. */
export function binaryPush(
  fields: { joinRef: string | null; ref: string | null; topic: string; event: string },
  data: Uint8Array,
): Uint8Array {
  const parts = [fields.joinRef ?? "", fields.ref ?? "", fields.topic, fields.event].map((part) =>
    encoder.encode(part),
  );
  const head = [0, ...parts.map((part) => part.length)];
  const out = new Uint8Array(head.length + parts.reduce((n, p) => n + p.length, 0) + data.length);
  out.set(head, 0);
  let offset = head.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  out.set(data, offset);
  return out;
}

/** Reads a V2 binary frame from the server: push (0), reply (1) or broadcast (2). */
export function decodeBinaryFrame(bytes: Uint8Array): Frame {
  const kind = bytes[0];
  const fieldCount = kind === 2 ? 2 : kind === 1 ? 4 : 3;
  const sizes = [...bytes.subarray(1, 1 + fieldCount)];
  let offset = 1 + fieldCount;
  const fields = sizes.map((size) => {
    const field = decoder.decode(bytes.subarray(offset, offset + size));
    offset += size;
    return field;
  });
  const data = bytes.slice(offset);
  const orNull = (field: string | undefined) => (field ? field : null);
  switch (kind) {
    case 0:
      return {
        joinRef: orNull(fields[0]),
        ref: null,
        topic: fields[1] ?? "",
        event: fields[2] ?? "",
        payload: data,
        kind,
        raw: bytes,
      };
    case 1:
      return {
        joinRef: orNull(fields[0]),
        ref: orNull(fields[1]),
        topic: fields[2] ?? "",
        event: "phx_reply",
        payload: { status: fields[3], response: data },
        kind,
        raw: bytes,
      };
    case 2:
      return {
        joinRef: null,
        ref: null,
        topic: fields[0] ?? "",
        event: fields[1] ?? "",
        payload: data,
        kind,
        raw: bytes,
      };
    default:
      throw new Error(`unknown binary frame kind ${kind}`);
  }
}

function decodeTextFrame(vsn: Vsn, text: string): Frame {
  const value: unknown = JSON.parse(text);
  if (vsn === "2.0.0") {
    if (!Array.isArray(value) || value.length !== 5) throw new Error(`not a V2 frame: ${text}`);
    const [joinRef, ref, topic, event, payload] = value as [
      string | null,
      string | null,
      string,
      string,
      unknown,
    ];
    return { joinRef, ref, topic, event, payload, kind: null, raw: text };
  }
  if (!isRecord(value)) throw new Error(`not a V1 frame: ${text}`);
  return {
    joinRef: (value.join_ref as string | null | undefined) ?? null,
    ref: (value.ref as string | null | undefined) ?? null,
    topic: value.topic as string,
    event: value.event as string,
    payload: value.payload,
    kind: null,
    raw: text,
  };
}

/** Decodes what the server sent; a frame in the wrong shape becomes an `!undecodable` frame, so
 * the test that waits for something else fails and shows it. */
function decodeFrame(vsn: Vsn, data: unknown): Frame {
  const raw = typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer);
  try {
    return typeof raw === "string" ? decodeTextFrame(vsn, raw) : decodeBinaryFrame(raw);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      joinRef: null,
      ref: null,
      topic: "",
      event: "!undecodable",
      payload: reason,
      kind: null,
      raw,
    };
  }
}

function showFrame(frame: Frame): string {
  return typeof frame.raw === "string"
    ? frame.raw
    : `<binary kind ${frame.kind} ${frame.topic} ${frame.event} ${frame.raw.byteLength} bytes>`;
}

/** A reply is a `phx_reply` frame: these read its `{status, response}`. */
export function replyOf(frame: Frame): { status: string; response: unknown } {
  if (frame.event !== "phx_reply" || !isRecord(frame.payload)) {
    throw new Error(`not a reply: ${showFrame(frame)}`);
  }
  return { status: frame.payload.status as string, response: frame.payload.response };
}

export interface RawClientOptions {
  protocols?: string[];
  headers?: Record<string, string>;
}

/** A WebSocket client that writes V1 or V2 frames by hand and buffers what it receives. */
export class RawClient {
  readonly inbox = new Inbox<Frame>(showFrame);
  readonly closed: Promise<Closed>;
  readonly #joinRefs = new Map<string, string>();
  #ref = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly vsn: Vsn,
  ) {
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (event) => this.inbox.add(decodeFrame(vsn, event.data)));
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason }));
    });
  }

  /** Opens a socket to `url`; the frames it writes are V1 unless `url` asks for vsn=2.0.0. */
  static connect(url: string, options: RawClientOptions = {}): Promise<RawClient> {
    const vsn: Vsn = new URL(url).searchParams.get("vsn") === "2.0.0" ? "2.0.0" : "1.0.0";
    const ws = new WebSocket(url, { protocols: options.protocols, headers: options.headers });
    const client = new RawClient(ws, vsn);
    return new Promise((resolve, reject) => {
      ws.addEventListener("open", () => resolve(client), { once: true });
      ws.addEventListener("error", (event) => reject(new Error(describeError(event))), {
        once: true,
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  nextRef(): string {
    this.#ref++;
    return String(this.#ref);
  }

  /** The join_ref of this client's latest join of `topic`. */
  joinRefOf(topic: string): string | null {
    return this.#joinRefs.get(topic) ?? null;
  }

  /** Writes one message in this client's encoding. V1 objects carry join_ref, as the official
   * client's do. */
  send(frame: OutFrame): void {
    const { joinRef = null, ref = null, topic, event, payload = {} } = frame;
    this.sendText(
      this.vsn === "2.0.0"
        ? JSON.stringify([joinRef, ref, topic, event, payload])
        : JSON.stringify({ topic, event, payload, ref, join_ref: joinRef }),
    );
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  sendBytes(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** Joins `topic` and resolves with the join's reply. */
  join(topic: string, payload: unknown = {}): Promise<Frame> {
    const ref = this.nextRef();
    this.#joinRefs.set(topic, ref);
    this.send({ joinRef: ref, ref, topic, event: "phx_join", payload });
    return this.reply(ref);
  }

  /** Sends a push on `topic` with the latest join_ref (or `joinRef`); returns its ref. */
  push(topic: string, event: string, payload: unknown = {}, joinRef = this.joinRefOf(topic)) {
    const ref = this.nextRef();
    this.send({ joinRef, ref, topic, event, payload });
    return ref;
  }

  /** Sends a push and resolves with its reply. */
  request(topic: string, event: string, payload: unknown = {}): Promise<Frame> {
    return this.reply(this.push(topic, event, payload));
  }

  leave(topic: string): Promise<Frame> {
    return this.request(topic, "phx_leave");
  }

  heartbeat(): Promise<Frame> {
    return this.request("phoenix", "heartbeat", {});
  }

  reply(ref: string): Promise<Frame> {
    return this.next(
      (frame) => frame.event === "phx_reply" && frame.ref === ref,
      `the reply to ref ${ref}`,
    );
  }

  next(predicate: (frame: Frame) => boolean, label = "a frame", timeoutMs = WAIT_MS) {
    return this.inbox.next(predicate, label, timeoutMs);
  }

  /** The next frame with `event` on `topic`. */
  nextEvent(topic: string, event: string, timeoutMs = WAIT_MS): Promise<Frame> {
    return this.next(
      (frame) => frame.topic === topic && frame.event === event,
      `"${event}" on "${topic}"`,
      timeoutMs,
    );
  }

  /** Resolves when the server has closed this socket; fails the test if it has not in time. */
  closedByServer(timeoutMs = WAIT_MS): Promise<Closed> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the socket was still open after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<Closed> {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(1000, "test done");
    }
    return this.closed;
  }
}

function describeError(event: Event): string {
  return event instanceof ErrorEvent ? event.message : `WebSocket ${event.type}`;
}

/**
 * A V2 client on a plain TCP socket that stops reading once joined, so the server's buffers for
 * it fill up: the only way to make a client "slow" inside one process. `resume()` reads again and
 * resolves with the code of the close frame the server sent, or null if the connection ended
 * without one.
 */
export class StalledClient {
  private constructor(
    readonly socket: net.Socket,
    private readonly bytes: () => Buffer,
  ) {}

  static async joined(server: TestServer, topic: string): Promise<StalledClient> {
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    const received = readUntil(socket);
    socket.write(
      [
        "GET /socket/websocket?vsn=2.0.0 HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        "",
        "",
      ].join("\r\n"),
    );
    await received("\r\n\r\n");
    socket.write(maskedTextFrame(JSON.stringify(["1", "1", topic, "phx_join", {}])));
    await received('"phx_reply"');
    socket.pause();
    return new StalledClient(socket, () => Buffer.concat(chunks));
  }

  /** Reads again until the server's close frame (its code) or the end of the connection (null). */
  resume(timeoutMs = WAIT_MS): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no close frame after ${timeoutMs} ms of reading`)),
        timeoutMs,
      );
      const check = (ended: boolean) => {
        const code = closeCodeIn(this.bytes());
        if (code === undefined && !ended) return;
        clearTimeout(timer);
        this.socket.off("data", onData);
        resolve(code ?? null);
      };
      const onData = () => check(false);
      this.socket.on("data", onData);
      this.socket.once("close", () => check(true));
      this.socket.resume();
      check(this.socket.destroyed);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The code of the first close frame in a server-to-client byte stream (after the HTTP
 * response), or undefined when none has arrived yet. */
function closeCodeIn(stream: Buffer): number | undefined {
  let at = stream.indexOf("\r\n\r\n");
  if (at === -1) return undefined;
  at += 4;
  while (at + 2 <= stream.length) {
    const opcode = (stream[at] ?? 0) & 0x0f;
    let length = (stream[at + 1] ?? 0) & 0x7f;
    let header = 2;
    if (length === 126) {
      if (at + 4 > stream.length) return undefined;
      length = stream.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (at + 10 > stream.length) return undefined;
      length = Number(stream.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (at + header + length > stream.length) return undefined;
    if (opcode === 0x8) return length >= 2 ? stream.readUInt16BE(at + header) : 1005;
    at += header + length;
  }
  return undefined;
}

function readUntil(socket: net.Socket) {
  let text = "";
  const listeners = new Set<() => void>();
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
    for (const listener of listeners) listener();
  });
  return (marker: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${marker}" in: ${text}`)), WAIT_MS);
      const check = () => {
        if (!text.includes(marker)) return;
        clearTimeout(timer);
        listeners.delete(check);
        text = text.slice(text.indexOf(marker) + marker.length);
        resolve();
      };
      listeners.add(check);
      check();
    });
}

/** A client-to-server WebSocket text frame (FIN, opcode 1, masked), as RFC 6455 requires. */
function maskedTextFrame(text: string): Uint8Array {
  const payload = encoder.encode(text);
  if (payload.length > 125) throw new Error("test frames stay under 126 bytes");
  const mask = [0x12, 0x34, 0x56, 0x78];
  const out = new Uint8Array(2 + 4 + payload.length);
  out.set([0x81, 0x80 | payload.length, ...mask]);
  payload.forEach((byte, index) => {
    out[6 + index] = byte ^ (mask[index % 4] ?? 0);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The official client.

/** Options that make the official client speak V1 (its default serializer is V2). */
export function phoenixOptions(vsn: Vsn, options: SocketOptions = {}): SocketOptions {
  if (vsn === "2.0.0") return { vsn, ...options };
  return {
    vsn,
    encode: (message, callback) => callback(JSON.stringify(message)),
    decode: (raw, callback) => callback(JSON.parse(raw as string)),
    ...options,
  };
}

export interface PushResult {
  status: "ok" | "error" | "timeout";
  response: unknown;
}

/** Resolves with how a join or push of the official client was answered. */
export function outcome(push: Push): Promise<PushResult> {
  return new Promise((resolve) => {
    push
      .receive("ok", (response) => resolve({ status: "ok", response }))
      .receive("error", (response) => resolve({ status: "error", response }))
      .receive("timeout", () => resolve({ status: "timeout", response: null }));
  });
}

// ---------------------------------------------------------------------------------------------
// The harness: owns everything a test starts and ends it after the test.

export interface Harness {
  server(options?: ServerOptions): TestServer;
  raw(url: string, options?: RawClientOptions): Promise<RawClient>;
  stalled(server: TestServer, topic: string): Promise<StalledClient>;
  phoenix(endpoint: string, options: SocketOptions): PhoenixSocket;
}

/** Call once per test file: every server and client made through it is closed after each test. */
export function useHarness(): Harness {
  let cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    const pending = cleanups.reverse();
    cleanups = [];
    for (const cleanup of pending) await cleanup();
  });
  return {
    server(options) {
      const server = startServer(options);
      cleanups.push(() => {
        server.log.gates.openAll();
        return server.stop();
      });
      return server;
    },
    async raw(url, options) {
      const client = await RawClient.connect(url, options);
      cleanups.push(() => client.close());
      return client;
    },
    async stalled(server, topic) {
      const client = await StalledClient.joined(server, topic);
      cleanups.push(() => client.close());
      return client;
    },
    phoenix(endpoint, options) {
      const socket = new PhoenixSocket(endpoint, options);
      cleanups.push(() => new Promise<void>((resolve) => socket.disconnect(() => resolve())));
      return socket;
    },
  };
}
