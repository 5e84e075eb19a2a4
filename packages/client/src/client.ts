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
  type CommandName,
  EVENTS,
  eventFilterOf,
  type PING,
  PUSH,
  type PushName,
  type PushPayload,
  type Topic,
} from "@landale/shared";
import { type Channel, Socket } from "phoenix";
import { type HubApi, readEventsAfter } from "./activity";
import { backoff } from "./backoff";
import { EventStream } from "./events";
import {
  CLIENT_DEFAULTS,
  type ClientLogger,
  type ClientOptions,
  type ClientStatus,
  type ConnectionState,
  describe,
  httpOrigin,
} from "./options";
import { PushError, Pushes, type QueuedPush, type Reply } from "./pushes";
import { StatusBoard } from "./status";

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

export class LandaleClient {
  readonly #socket: Socket;
  readonly #topics = new Map<string, Joined>();
  readonly #pushes: Pushes;
  readonly #board: StatusBoard;
  readonly #logger: ClientLogger;
  readonly #pushTimeoutMs: number;
  readonly #socketRefs: string[];
  /** Where missed events are paged from; null when the socket URL gives no HTTP origin. */
  readonly #api: HubApi | null;
  readonly #delay: (tries: number) => number;
  #closed = false;
  /** Whether a connection ever opened: after one, a lost link is "reconnecting". */
  #opened = false;

  constructor(options: ClientOptions) {
    this.#logger = options.logger ?? { warn: (message, context) => console.warn(message, context) };
    this.#pushTimeoutMs = options.pushTimeoutMs ?? CLIENT_DEFAULTS.pushTimeoutMs;
    this.#pushes = new Pushes(options.queueMax ?? CLIENT_DEFAULTS.queueMax, this.#pushTimeoutMs);
    this.#board = new StatusBoard(() => this.#state(), this.#logger);
    const delay = backoff(options.backoff);
    this.#delay = delay;
    const apiUrl = options.apiUrl ?? httpOrigin(options.url);
    this.#api = apiUrl === null ? null : { url: apiUrl, token: options.params?.token ?? null };
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
        this.#board.update({ attempts: 0 });
      }),
      this.#socket.onClose(() => this.#board.update({ attempts: this.#board.counts.attempts + 1 })),
      this.#socket.onError((error) => this.#board.update({ lastError: describe(error) })),
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
        this.#board.update({ invalid: this.#board.counts.invalid + 1 });
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
        this.#pushes.wait(queued);
        this.#board.update({ queueDepth: this.#pushes.waiting, dropped: this.#pushes.dropped });
      }
    });
  }

  status(): ClientStatus {
    return this.#board.current();
  }

  /** Calls `listener` with every status change; returns the function that stops it. */
  onStatus(listener: (status: ClientStatus) => void): () => void {
    return this.#board.listen(listener);
  }

  /**
   * Leaves every topic, closes the socket, and fails whatever was still queued or unanswered;
   * no push's timer outlives it.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { channel, stream } of this.#topics.values()) {
      stream?.close();
      this.#pushes.leave(channel);
    }
    this.#topics.clear();
    // Every push fails as closed, and no reply is waited for, a leave's included.
    this.#pushes.close();
    this.#socket.off(this.#socketRefs);
    this.#socket.disconnect();
    this.#board.update({ queueDepth: 0 });
    this.#board.clear();
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
      this.#board.update({});
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
        this.#board.update({ lastError: `join ${topic} refused: ${describe(response)}` });
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
    this.#pushes.leave(entry.channel);
    this.#topics.delete(topic);
  }

  #eventStream(topic: string, entry: Joined): EventStream {
    return new EventStream({
      topic,
      filter: eventFilterOf(topic),
      fetchAfter: (afterSeq, limit, signal) => readEventsAfter(this.#api, afterSeq, limit, signal),
      // The official client rejoins an errored channel by itself (after its rejoin backoff),
      // sending the params again: `since_seq` is then the last batch handed on.
      rejoin: () =>
        (entry.channel as unknown as TriggerableChannel).trigger("phx_error", "gap in batches"),
      deliver: (payload) => {
        for (const listener of entry.batchListeners) listener(payload);
      },
      counted: (increment) => this.#board.count(increment),
      warn: (message, context) => this.#logger.warn(message, context),
      retryDelay: this.#delay,
    });
  }

  #flush(topic: string): void {
    for (const queued of this.#pushes.takeFor(topic)) this.#send(queued);
    this.#board.update({ queueDepth: this.#pushes.waiting });
  }

  #send(queued: QueuedPush): void {
    const entry = this.#topics.get(queued.topic);
    if (entry === undefined) {
      queued.reject(new PushError("closed", `topic ${queued.topic} was left`));
      return;
    }
    this.#pushes.send(entry.channel, queued);
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
}

export function createClient(options: ClientOptions): LandaleClient {
  return new LandaleClient(options);
}
