/**
 * The one way a page or a worker talks to the hub: a thin layer over the official `phoenix`
 * client. One socket per client, shared by every subscription; reconnect forever with capped,
 * jittered backoff (a dead link is noticed by missed heartbeat replies); every channel rejoins
 * after a reconnect and catches up — `events:*` topics rejoin with `since_seq` of the last batch
 * seen and fill any gap they notice (`./events`), `stream:*` topics get their state pushed on
 * join — so a page that lost its link, or was closed for reading too slowly, shows what a fresh
 * page shows. Payloads are parsed with their zod schemas; an invalid one is counted and
 * logged, never thrown into the page. Pushes made while a topic is not joined wait, in order, in a
 * bounded queue. `close()` releases every timer and listener.
 */
import {
  ActivityPage,
  type CommandName,
  EVENTS,
  type EventEnvelope,
  eventFilterOf,
  type PING,
  PUSH,
  type PushName,
  type PushPayload,
  type Topic,
} from "@landale/shared";
import { type Channel, type Push, Socket } from "phoenix";
import { type BackoffOptions, backoff } from "./backoff";
import { EventStream, type EventStreamCounts } from "./events";
import { BoundedQueue } from "./queue";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface ClientStatus {
  state: ConnectionState;
  /** Failed connection attempts since the last open. */
  attempts: number;
  lastError: string | null;
  /** Pushes waiting for their topic to be joined. */
  queueDepth: number;
  /** Pushes the full queue dropped (oldest first). */
  dropped: number;
  /** Payloads that failed their schema. */
  invalid: number;
  /** Gaps noticed between `event_batch`es (each then filled by a rejoin or from the API). */
  gaps: number;
  /** Missed events fetched from `GET /api/activity/events`. */
  paged: number;
  /** Gaps given up on: a rejoin did not fill them, or the API could not be read. */
  unfilled: number;
}

export interface ClientLogger {
  warn(message: string, context?: unknown): void;
}

export interface ClientOptions {
  /** The socket URL without `/websocket`, e.g. `ws://127.0.0.1:7175/socket`. */
  url: string;
  /** Connect params; put the token here (`{token}`) as the overlay URL's `?token=` is. */
  params?: Record<string, string>;
  /** The hub's HTTP origin, for paging missed events; by default the socket URL's. */
  apiUrl?: string;
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  /** Pushes waiting while disconnected, at most. */
  queueMax?: number;
  pushTimeoutMs?: number;
  logger?: ClientLogger;
}

export const CLIENT_DEFAULTS = {
  heartbeatMs: 15_000,
  queueMax: 200,
  pushTimeoutMs: 10_000,
} as const;

export interface Reply {
  status: "ok" | "error";
  response: unknown;
}

export class PushError extends Error {
  constructor(
    readonly reason: "timeout" | "dropped" | "closed",
    message: string,
  ) {
    super(message);
    this.name = "PushError";
  }
}

interface QueuedPush {
  topic: string;
  event: string;
  payload: object;
  resolve: (reply: Reply) => void;
  reject: (err: PushError) => void;
}

/** A topic in use: its channel, and what keeps it joined. */
interface Joined {
  channel: Channel;
  /** Subscriptions keeping it joined. */
  subscriptions: number;
  /** Pushed to: stays joined until `close()`, so a producer does not rejoin for every push. */
  pushedTo: boolean;
  joined: boolean;
  /** For `events:*`: orders batches, fills gaps, and keeps `since_seq` for the next join. */
  stream: EventStream | null;
  batchListeners: Set<(payload: unknown) => void>;
}

/** What `trigger` the official client keeps private: a channel error makes it rejoin by itself. */
interface TriggerableChannel {
  trigger(event: string, payload: unknown): void;
}

/**
 * What the official client keeps private about a push: the timer that fails it when no reply
 * comes. Leaving a channel or closing the socket does not clear it, so a push still unanswered
 * when this client closes would keep its process alive until the push timed out.
 */
interface TimedPush {
  cancelTimeout(): void;
}

const cancelTimer = (push: Push) => (push as unknown as TimedPush).cancelTimeout();

export class LandaleClient {
  readonly #socket: Socket;
  readonly #topics = new Map<string, Joined>();
  readonly #queue: BoundedQueue<QueuedPush>;
  readonly #listeners = new Set<(status: ClientStatus) => void>();
  /** Pushes sent and not yet answered, with how to fail each when the client closes. */
  readonly #unanswered = new Map<Push, QueuedPush>();
  /** Leaves of topics no longer used, sent and not yet answered. */
  readonly #leaving = new Set<Push>();
  readonly #logger: ClientLogger;
  readonly #pushTimeoutMs: number;
  readonly #socketRefs: string[];
  readonly #apiUrl: string | null;
  readonly #token: string | null;
  readonly #delay: (tries: number) => number;
  #status: ClientStatus;
  #closed = false;
  /** Whether a connection ever opened: after one, a lost link is "reconnecting". */
  #opened = false;

  constructor(options: ClientOptions) {
    this.#logger = options.logger ?? { warn: (message, context) => console.warn(message, context) };
    this.#pushTimeoutMs = options.pushTimeoutMs ?? CLIENT_DEFAULTS.pushTimeoutMs;
    this.#queue = new BoundedQueue<QueuedPush>(
      options.queueMax ?? CLIENT_DEFAULTS.queueMax,
      (dropped) => {
        dropped.reject(
          new PushError(
            "dropped",
            `push ${dropped.event} on ${dropped.topic} dropped: the queue is full`,
          ),
        );
      },
    );
    this.#status = {
      state: "connecting",
      attempts: 0,
      lastError: null,
      queueDepth: 0,
      dropped: 0,
      invalid: 0,
      gaps: 0,
      paged: 0,
      unfilled: 0,
    };
    const delay = backoff(options.backoff);
    this.#delay = delay;
    this.#apiUrl = options.apiUrl ?? httpOrigin(options.url);
    this.#token = options.params?.token ?? null;
    this.#socket = new Socket(options.url, {
      params: options.params ?? {},
      heartbeatIntervalMs: options.heartbeatMs ?? CLIENT_DEFAULTS.heartbeatMs,
      reconnectAfterMs: delay,
      rejoinAfterMs: delay,
      timeout: this.#pushTimeoutMs,
    });
    this.#socketRefs = [
      this.#socket.onOpen(() => {
        this.#opened = true;
        this.#update({ attempts: 0 });
      }),
      this.#socket.onClose(() => this.#update({ attempts: this.#status.attempts + 1 })),
      this.#socket.onError((error) => this.#update({ lastError: describe(error) })),
    ];
    this.#socket.connect();
  }

  /**
   * Calls `handler` with every `event` on `topic` whose payload passes the topic's schema for it.
   * Joins the topic if this is its first user; returns the function that ends this subscription.
   */
  subscribe<T extends Topic, E extends PushName<T>>(
    topic: T,
    event: E,
    handler: (payload: PushPayload<T, E>) => void,
  ): () => void {
    const name = topic.name;
    const schema = topic.pushes[event];
    if (schema === undefined) throw new Error(`${name} pushes no ${event}`);
    const entry = this.#use(name);
    entry.subscriptions++;
    const listener = (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        this.#update({ invalid: this.#status.invalid + 1 });
        this.#logger.warn(`invalid ${event} on ${name}`, parsed.error.issues.slice(0, 3));
        return;
      }
      try {
        handler(parsed.data as PushPayload<T, E>);
      } catch (err) {
        this.#logger.warn(`${event} handler on ${name} failed`, err);
      }
    };
    // Batches of an events topic reach their handlers through the stream, in order and once.
    const batches =
      entry.stream !== null && event === PUSH.eventBatch ? entry.batchListeners : null;
    const ref = batches === null ? entry.channel.on(event, listener) : null;
    batches?.add(listener);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (ref !== null) entry.channel.off(event, ref);
      batches?.delete(listener);
      this.#release(name);
    };
  }

  /**
   * Pushes `command` (or `ping`) now if `topic` is joined, else queues the push until it is;
   * resolves with the reply.
   */
  push<T extends Topic>(
    topic: T,
    command: CommandName<T> | typeof PING,
    payload: object = {},
  ): Promise<Reply> {
    const name = topic.name;
    const event: string = command;
    if (this.#closed) return Promise.reject(new PushError("closed", "the client is closed"));
    const entry = this.#use(name);
    entry.pushedTo = true;
    return new Promise<Reply>((resolve, reject) => {
      const queued: QueuedPush = { topic: name, event, payload, resolve, reject };
      if (entry.joined && this.#socket.isConnected()) this.#send(queued);
      else {
        this.#queue.push(queued);
        this.#update({ queueDepth: this.#queue.size, dropped: this.#queue.dropped });
      }
    });
  }

  status(): ClientStatus {
    return { ...this.#status, state: this.#state() };
  }

  /** Calls `listener` with every status change; returns the function that stops it. */
  onStatus(listener: (status: ClientStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Leaves every topic, closes the socket, and fails whatever was still queued or unanswered;
   * no push's timer outlives it.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const queued of this.#queue.takeWhere(() => true)) {
      queued.reject(new PushError("closed", "the client was closed before the push was sent"));
    }
    for (const [push, queued] of this.#unanswered) {
      cancelTimer(push);
      queued.reject(
        new PushError("closed", `the client was closed before ${queued.event} was answered`),
      );
    }
    this.#unanswered.clear();
    for (const push of this.#leaving) cancelTimer(push);
    this.#leaving.clear();
    for (const { channel, stream } of this.#topics.values()) {
      stream?.close();
      // The hub is told, but its reply is not waited for.
      cancelTimer(channel.leave());
    }
    this.#topics.clear();
    this.#socket.off(this.#socketRefs);
    this.#socket.disconnect();
    this.#update({ queueDepth: 0 });
    this.#listeners.clear();
  }

  #use(topic: string): Joined {
    const existing = this.#topics.get(topic);
    if (existing !== undefined) return existing;
    // Params are read at every (re)join: an events topic resumes after the last batch it saw.
    const entry: Joined = {
      channel: undefined as unknown as Channel,
      subscriptions: 0,
      pushedTo: false,
      joined: false,
      stream: null,
      batchListeners: new Set(),
    };
    entry.channel = this.#socket.channel(topic, () => {
      const since = entry.stream?.lastSeq ?? null;
      return since === null ? {} : { since_seq: since };
    });
    if (topic.startsWith(EVENTS.prefix)) {
      const stream = this.#eventStream(topic, entry);
      entry.stream = stream;
      entry.channel.on(PUSH.eventBatch, (payload: unknown) => stream.receive(payload));
    }
    entry.channel.onError(() => {
      entry.joined = false;
      // A heartbeat timeout errors the channels before the dead connection's close event arrives.
      this.#update({});
    });
    entry.channel.onClose(() => {
      entry.joined = false;
    });
    this.#join(topic, entry);
    this.#topics.set(topic, entry);
    return entry;
  }

  #join(topic: string, entry: Joined): void {
    entry.channel
      .join()
      .receive("ok", () => {
        entry.joined = true;
        this.#flush(topic);
      })
      .receive("error", (response: unknown) => {
        this.#update({ lastError: `join ${topic} refused: ${describe(response)}` });
      });
    // The official client rejoins after errors and reconnects by itself, answering the same
    // join push again; its "ok" lands in the handler above each time.
  }

  #release(topic: string): void {
    const entry = this.#topics.get(topic);
    if (entry === undefined) return;
    entry.subscriptions--;
    if (entry.subscriptions > 0 || entry.pushedTo) return;
    entry.stream?.close();
    const leaving = entry.channel.leave();
    this.#leaving.add(leaving);
    const left = () => this.#leaving.delete(leaving);
    leaving.receive("ok", left).receive("timeout", left);
    this.#topics.delete(topic);
  }

  #eventStream(topic: string, entry: Joined): EventStream {
    return new EventStream({
      topic,
      filter: eventFilterOf(topic),
      fetchAfter: (afterSeq, limit, signal) => this.#fetchAfter(afterSeq, limit, signal),
      // The official client rejoins an errored channel by itself (after its rejoin backoff),
      // sending the params again: `since_seq` is then the last batch handed on.
      rejoin: () =>
        (entry.channel as unknown as TriggerableChannel).trigger("phx_error", "gap in batches"),
      deliver: (payload) => {
        for (const listener of entry.batchListeners) listener(payload);
      },
      counted: (increment) => this.#count(increment),
      warn: (message, context) => this.#logger.warn(message, context),
      retryDelay: this.#delay,
    });
  }

  async #fetchAfter(
    afterSeq: number,
    limit: number,
    signal: AbortSignal,
  ): Promise<EventEnvelope[]> {
    if (this.#apiUrl === null) throw new Error("no HTTP origin for the hub: set apiUrl");
    const url = `${this.#apiUrl}/api/activity/events?after_seq=${afterSeq}&limit=${limit}`;
    const headers: Record<string, string> =
      this.#token === null ? {} : { authorization: `Bearer ${this.#token}` };
    const response = await fetch(url, { headers, signal });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    return ActivityPage.parse(await response.json()).events;
  }

  #count(increment: Partial<EventStreamCounts>): void {
    this.#update({
      gaps: this.#status.gaps + (increment.gaps ?? 0),
      paged: this.#status.paged + (increment.paged ?? 0),
      unfilled: this.#status.unfilled + (increment.unfilled ?? 0),
    });
  }

  #flush(topic: string): void {
    const ready = this.#queue.takeWhere((queued) => queued.topic === topic);
    for (const queued of ready) this.#send(queued);
    this.#update({ queueDepth: this.#queue.size });
  }

  #send(queued: QueuedPush): void {
    const entry = this.#topics.get(queued.topic);
    if (entry === undefined) {
      queued.reject(new PushError("closed", `topic ${queued.topic} was left`));
      return;
    }
    const push = entry.channel
      .push(queued.event, queued.payload, this.#pushTimeoutMs)
      .receive("ok", (response: unknown) => {
        this.#unanswered.delete(push);
        queued.resolve({ status: "ok", response });
      })
      .receive("error", (response: unknown) => {
        this.#unanswered.delete(push);
        queued.resolve({ status: "error", response });
      })
      .receive("timeout", () => {
        this.#unanswered.delete(push);
        queued.reject(
          new PushError("timeout", `push ${queued.event} on ${queued.topic} got no reply`),
        );
      });
    this.#unanswered.set(push, queued);
  }

  /**
   * The connection state, read from the socket rather than tracked, so an event arriving late
   * (the close of a connection already replaced) cannot leave it wrong.
   */
  #state(): ConnectionState {
    if (this.#closed) return "closed";
    if (this.#socket.isConnected()) return "open";
    return this.#opened ? "reconnecting" : "connecting";
  }

  #update(change: Partial<Omit<ClientStatus, "state">>): void {
    this.#status = { ...this.#status, ...change, state: this.#state() };
    for (const listener of this.#listeners) {
      try {
        listener(this.status());
      } catch (err) {
        this.#logger.warn("status listener failed", err);
      }
    }
  }
}

export function createClient(options: ClientOptions): LandaleClient {
  return new LandaleClient(options);
}

/** `ws://host:port/socket` → `http://host:port`; a relative URL is read against the page's. */
function httpOrigin(socketUrl: string): string | null {
  try {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    const url = new URL(socketUrl, base);
    url.protocol =
      url.protocol === "wss:" ? "https:" : url.protocol === "ws:" ? "http:" : url.protocol;
    return url.origin;
  } catch {
    return null;
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  // Browsers report a failed WebSocket as a bare Event, which says nothing more than this.
  if (typeof Event !== "undefined" && value instanceof Event) return `connection ${value.type}`;
  if (typeof value === "object" && value !== null && "message" in value)
    return String(value.message);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
