/**
 * The stream state engine's shell around the pure reducer: it feeds committed events, commands
 * and timer ticks through `reduce` one at a time, publishes `stream_state`/`queue_state` and the
 * takeover pushes, hands `stream.*` events to the pipeline, and keeps exactly one timer armed for
 * the next deadline. Each change is then written in the background by the `StateWriter` (one
 * write at a time, the newest wins, retried with backoff), so a database outage never holds
 * back what the overlays show nor stops time. On start it restores the last state and lets time
 * catch up (expired content leaves, timers re-arm from `expires_at`).
 */
import type { Logger } from "@landale/logger";
import type {
  EventEnvelope,
  QueueState,
  StreamCommand,
  StreamState,
  Takeover,
} from "@landale/shared";
import { type Scheduler, systemScheduler } from "../scheduler";
import type { EngineConfig } from "./config";
import { EngineState, initialEngineState, queueStateOf, streamStateOf } from "./core";
import type { IronmonSnapshot } from "./games";
import { type CommandError, type Effect, type Input, reduce } from "./reducer";
import { type StateStore, StateWriter } from "./state-writer";

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
  /** The clock (epoch ms) and the timers: the wall clock unless a test moves its own. */
  scheduler?: Scheduler;
  /** Inputs waiting to be reduced, at most; past it events are dropped and counted. */
  maxPending?: number;
  /** The wait before retrying a failed save: `first`, doubling up to `max`. */
  saveRetryMs?: { first: number; max: number };
  /** The least time between the starts of two saves (`SAVE_INTERVAL_MS`). */
  saveIntervalMs?: number;
}

/** The system's timers on the wall clock: the state carries dates, so `now()` is epoch ms. */
export const wallClock: Scheduler = { ...systemScheduler, now: () => Date.now() };

/** How often a full queue's or backlog's drops are logged (with how many since the last line). */
const DROP_LOG_INTERVAL_MS = 10_000;
export const SAVE_RETRY_MS = { first: 500, max: 10_000 } as const;
/**
 * Saves start at least this far apart: a burst of changes is written as its newest state, a
 * quarter of a second behind at most, instead of once per committed window.
 */
export const SAVE_INTERVAL_MS = 250;
/** When a tick fails unexpectedly, the next one is tried after this long. */
const TICK_RETRY_MS = 1_000;

export interface EngineStats {
  version: number;
  /** The version of the last state written to the database. */
  persistedVersion: number;
  /** Failed saves since start; each was retried. */
  saveFailures: number;
  /** Why the last save failed, while the state is not persisted; null once a save succeeds. */
  saveError: string | null;
  pending: number;
  droppedInputs: number;
}

export type CommandOutcome = { ok: true; version: number } | { ok: false; error: CommandError };

export class StreamEngine {
  #core: EngineState;
  readonly #options: EngineOptions;
  readonly #scheduler: Scheduler;
  readonly #maxPending: number;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #droppedInputs = 0;
  #timer: unknown = null;
  #stopped = false;
  #dropsUnlogged = 0;
  #dropsLoggedAt = Number.NEGATIVE_INFINITY;
  #inputDropsUnlogged = 0;
  #inputDropsLoggedAt = Number.NEGATIVE_INFINITY;
  readonly #writer: StateWriter;

  private constructor(core: EngineState, options: EngineOptions) {
    this.#core = core;
    this.#options = options;
    this.#scheduler = options.scheduler ?? wallClock;
    this.#maxPending = options.maxPending ?? 10_000;
    this.#writer = new StateWriter(core, {
      store: options.store,
      scheduler: this.#scheduler,
      logger: options.logger,
      retryMs: options.saveRetryMs ?? SAVE_RETRY_MS,
      intervalMs: options.saveIntervalMs ?? SAVE_INTERVAL_MS,
    });
  }

  /** Restores the last state (or starts afresh), catches up with the clock and arms the timer. */
  static async start(options: EngineOptions): Promise<StreamEngine> {
    const now = (options.scheduler ?? wallClock).now();
    const stored = await options.store.load();
    const parsed = stored === null ? null : EngineState.safeParse(stored);
    if (parsed !== null && !parsed.success) {
      options.logger.warn(
        { issues: parsed.error.issues.slice(0, 5) },
        "stored stream state unreadable; starting afresh",
      );
    }
    const core = parsed?.success
      ? parsed.data
      : initialEngineState(now, options.config.defaultShow);
    const engine = new StreamEngine(core, options);
    await engine.#run({ kind: parsed?.success ? "restored" : "tick" });
    return engine;
  }

  streamState(): StreamState {
    return streamStateOf(this.#core, this.#options.config);
  }

  queueState(): QueueState {
    return queueStateOf(this.#core, this.#options.config.queueMax);
  }

  /** A committed window's events, in seq order: one input, so one published change. */
  events(events: readonly EventEnvelope[]): void {
    if (this.#pending >= this.#maxPending) {
      this.#droppedInputs += events.length;
      this.#logInputDrops(events.length);
      return;
    }
    this.#run({ kind: "events", events }).catch((err: unknown) =>
      this.#options.logger.error(
        { err, events: events.length },
        "stream engine failed on a window",
      ),
    );
  }

  /** The IronMON records as the database holds them (`ironmon-feed.ts` reads them). */
  ironmon(snapshot: IronmonSnapshot): Promise<CommandOutcome> {
    return this.#run({ kind: "ironmon", snapshot });
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

  stats(): EngineStats {
    return {
      version: this.#core.version,
      persistedVersion: this.#writer.persistedVersion,
      saveFailures: this.#writer.saveFailures,
      saveError: this.#writer.saveError,
      pending: this.#pending,
      droppedInputs: this.#droppedInputs,
    };
  }

  /**
   * Lets queued inputs finish, releases the timers, and makes one last attempt to write what is
   * not yet written; if the database is still away, the last state written is what a restart finds.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#writer.halt();
    this.#clearTimer();
    await this.#tail.catch(() => {});
    await this.#writer.finish(this.#core);
  }

  /**
   * Runs one input after every input before it: reduce, tell, then write in the background. The
   * events behind a change are already durable (database or spool) and the state is derived from
   * them, so what the overlays show never waits for, nor depends on, this write.
   */
  #run(input: Input): Promise<CommandOutcome> {
    this.#pending++;
    const result = this.#tail.then((): CommandOutcome => {
      const outcome = reduce(this.#core, input, this.#scheduler.now(), this.#options.config);
      if (outcome.error !== undefined) return { ok: false, error: outcome.error };
      this.#core = outcome.core;
      this.#arm(outcome.nextAt);
      if (outcome.changed) {
        this.#writer.save(outcome.core);
        this.#options.listener.state(this.streamState(), this.queueState());
      }
      for (const effect of outcome.effects) this.#announce(effect);
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
        const now = this.#scheduler.now();
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

  /**
   * A backlog drops window after window: say so at the first drop and then once per interval,
   * with how many events went since the last line (the total is health's `dropped_inputs`).
   */
  #logInputDrops(events: number): void {
    this.#inputDropsUnlogged += events;
    const now = this.#scheduler.now();
    if (now - this.#inputDropsLoggedAt < DROP_LOG_INTERVAL_MS) return;
    this.#options.logger.warn(
      {
        dropped: this.#inputDropsUnlogged,
        dropped_total: this.#droppedInputs,
        pending: this.#pending,
      },
      "stream engine backlog full: dropped committed events; the stream state misses them",
    );
    this.#inputDropsLoggedAt = now;
    this.#inputDropsUnlogged = 0;
  }

  #arm(at: number | null): void {
    this.#clearTimer();
    if (at === null || this.#stopped) return;
    this.#timer = this.#scheduler.setTimeout(
      () => {
        this.#timer = null;
        this.#run({ kind: "tick" }).catch((err: unknown) => {
          this.#options.logger.error({ err }, "stream engine failed on a tick; trying again");
          // Time never stops: with no timer armed, nothing showing would ever expire.
          if (this.#timer === null) this.#arm(this.#scheduler.now() + TICK_RETRY_MS);
        });
      },
      Math.max(0, at - this.#scheduler.now()),
    );
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
