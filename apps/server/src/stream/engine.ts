/**
 * The stream state engine's shell around the pure reducer: it feeds committed events, commands
 * and timer ticks through `reduce` one at a time, writes each changed state before anyone hears
 * of it, publishes `stream_state`/`queue_state` and the takeover pushes, hands `stream.*` events
 * to the pipeline, and keeps exactly one timer armed for the next deadline. On start it restores
 * the last state, lets time catch up (expired content leaves, timers re-arm from `expires_at`).
 */
import type { Logger } from "@landale/logger";
import type {
  EventEnvelope,
  QueueState,
  StreamCommand,
  StreamState,
  Takeover,
} from "@landale/shared";
import { type EngineConfig, tickerItemsFor } from "./config";
import { Core, initialCore, queueStateOf, streamStateOf } from "./core";
import { type CommandError, type Effect, type Input, reduce } from "./reducer";

export interface StateStore {
  load(): Promise<unknown | null>;
  save(version: number, core: Core): Promise<void>;
}

export interface EngineListener {
  state(stream: StreamState, queue: QueueState): void;
  takeover(takeover: Takeover): void;
  takeoverClear(takeover: Takeover): void;
  /** A `stream.*` event for the events pipeline. */
  emit(eventType: string, data: Record<string, unknown>): void;
}

export interface EngineOptions {
  store: StateStore;
  config: EngineConfig;
  listener: EngineListener;
  logger: Logger;
  /** Looks a stored event up for `replay_event`. */
  loadEvent(id: string): Promise<EventEnvelope | null>;
  now?: () => number;
  /** Inputs waiting behind a slow write, at most; past it events are dropped and counted. */
  maxPending?: number;
}

/** How often a full queue's drops are logged (with how many since the last line). */
const DROP_LOG_INTERVAL_MS = 10_000;

export type CommandOutcome = { ok: true; version: number } | { ok: false; error: CommandError };

export class StreamEngine {
  #core: Core;
  readonly #options: EngineOptions;
  readonly #now: () => number;
  readonly #maxPending: number;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #droppedInputs = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  /** The core has changes (today's figures) not yet written. */
  #unsaved = false;
  #dropsUnlogged = 0;
  #dropsLoggedAt = Number.NEGATIVE_INFINITY;

  private constructor(core: Core, options: EngineOptions) {
    this.#core = core;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#maxPending = options.maxPending ?? 10_000;
  }

  /** Restores the last state (or starts afresh), catches up with the clock and arms the timer. */
  static async start(options: EngineOptions): Promise<StreamEngine> {
    const now = (options.now ?? Date.now)();
    const stored = await options.store.load();
    const parsed = stored === null ? null : Core.safeParse(stored);
    if (parsed !== null && !parsed.success) {
      options.logger.warn(
        { issues: parsed.error.issues.slice(0, 5) },
        "stored stream state unreadable; starting afresh",
      );
    }
    const core = parsed?.success ? parsed.data : initialCore(now, options.config.defaultShow);
    const engine = new StreamEngine(core, options);
    await engine.#run({ kind: "tick" });
    return engine;
  }

  streamState(): StreamState {
    return streamStateOf(this.#core, tickerItemsFor(this.#options.config, this.#core.show));
  }

  queueState(): QueueState {
    return queueStateOf(this.#core, this.#options.config.queueMax);
  }

  /** A committed window's events, in seq order: one input, so one published change. */
  events(events: readonly EventEnvelope[]): void {
    if (this.#pending >= this.#maxPending) {
      this.#droppedInputs += events.length;
      return;
    }
    this.#run({ kind: "events", events }).catch((err: unknown) =>
      this.#options.logger.error(
        { err, events: events.length },
        "stream engine failed on a window",
      ),
    );
  }

  async command(command: StreamCommand): Promise<CommandOutcome> {
    if (command.name === "replay_event") {
      const event = await this.#options.loadEvent(command.payload.event_id);
      if (event === null) {
        return {
          ok: false,
          error: {
            status: 404,
            code: "not_found",
            message: `no event with id "${command.payload.event_id}"`,
          },
        };
      }
      return this.#run({ kind: "replay", event });
    }
    return this.#run({ kind: "command", command });
  }

  stats() {
    return {
      version: this.#core.version,
      pending: this.#pending,
      droppedInputs: this.#droppedInputs,
    };
  }

  /** Lets queued inputs finish, writes what is unsaved, and releases the timer. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer();
    await this.#tail.catch(() => {});
    if (this.#unsaved) await this.#options.store.save(this.#core.version, this.#core);
  }

  /** Runs one input after every input before it: reduce, store, then tell. */
  #run(input: Input): Promise<CommandOutcome> {
    this.#pending++;
    const result = this.#tail.then(async (): Promise<CommandOutcome> => {
      const outcome = reduce(this.#core, input, this.#now(), this.#options.config);
      if (outcome.error !== undefined) return { ok: false, error: outcome.error };
      if (outcome.changed) {
        await this.#options.store.save(outcome.core.version, outcome.core);
        this.#unsaved = false;
      } else if (outcome.core !== this.#core) {
        this.#unsaved = true;
      }
      this.#core = outcome.core;
      if (outcome.changed) this.#options.listener.state(this.streamState(), this.queueState());
      for (const effect of outcome.effects) this.#announce(effect);
      this.#arm(outcome.nextAt);
      return { ok: true, version: outcome.core.version };
    });
    this.#tail = result
      .catch(() => {})
      .finally(() => {
        this.#pending--;
      });
    return result;
  }

  #announce(effect: Effect): void {
    const { listener, logger } = this.#options;
    switch (effect.type) {
      case "takeover":
        listener.takeover(effect.takeover);
        return;
      case "takeover_clear":
        listener.takeoverClear(effect.takeover);
        return;
      case "emit":
        listener.emit(effect.eventType, effect.data);
        return;
      case "dropped": {
        // A full queue drops on every new alert: say so once per interval, with the count.
        this.#dropsUnlogged++;
        const now = this.#now();
        if (now - this.#dropsLoggedAt < DROP_LOG_INTERVAL_MS) return;
        logger.warn(
          { dropped: this.#dropsUnlogged, last: effect.item.id, type: effect.item.type },
          "alert queue full: dropped the lowest priority",
        );
        this.#dropsLoggedAt = now;
        this.#dropsUnlogged = 0;
        return;
      }
    }
  }

  #arm(at: number | null): void {
    this.#clearTimer();
    if (at === null || this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#run({ kind: "tick" }).catch((err: unknown) =>
          this.#options.logger.error({ err }, "stream engine failed on a tick"),
        );
      },
      Math.max(0, at - this.#now()),
    );
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
