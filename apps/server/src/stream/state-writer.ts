/**
 * The stream state's persistence, behind the published state: each change is written in the
 * background — one write at a time, writes started at least `intervalMs` apart, the newest state
 * wins, a failed write is retried with backoff — so a database outage never holds back what the
 * overlays show. The state is one document of up to ~100 KB (a full alert queue): written once
 * per committed window at full ingest it took the database's time from the windows themselves
 * (PGlite has one connection). A core that changed only today's figures is not written on its
 * own: it goes with the next change, or at stop.
 */
import type { Logger } from "@landale/logger";
import type { Scheduler } from "../scheduler";
import type { EngineState } from "./core";

export interface StateStore {
  load(): Promise<unknown | null>;
  save(version: number, core: EngineState): Promise<void>;
}

export interface StateWriterOptions {
  store: StateStore;
  scheduler: Scheduler;
  logger: Logger;
  /** The wait before retrying a failed save: `first`, doubling up to `max`. */
  retryMs: { first: number; max: number };
  /** The least time between the starts of two writes; changes made meanwhile wait, the newest wins. */
  intervalMs: number;
}

export class StateWriter {
  readonly #options: StateWriterOptions;
  /** The last core written; the state is persisted while this is the current one. */
  #savedCore: EngineState;
  /** The newest changed core waiting to be written: a later one replaces it. */
  #toSave: EngineState | null = null;
  #writing: Promise<void> | null = null;
  #retryTimer: unknown = null;
  /** Holds the next write until `intervalMs` after the last one started. */
  #spacingTimer: unknown = null;
  /** When the last write started (the scheduler's clock), or null before the first. */
  #lastStartedAt: number | null = null;
  #retries = 0;
  #saveFailures = 0;
  #saveError: string | null = null;
  #stopped = false;

  /** `saved` is the core the store already holds (the one the engine restored or began with). */
  constructor(saved: EngineState, options: StateWriterOptions) {
    this.#savedCore = saved;
    this.#options = options;
  }

  /** The version of the last state written to the database. */
  get persistedVersion(): number {
    return this.#savedCore.version;
  }

  /** Failed saves since start; each was retried. */
  get saveFailures(): number {
    return this.#saveFailures;
  }

  /** Why the last save failed, while the state is not persisted; null once a save succeeds. */
  get saveError(): string | null {
    return this.#saveError;
  }

  /** Queues `core` to be written, replacing any older core still waiting. */
  save(core: EngineState): void {
    this.#toSave = core;
    this.#startWriting();
  }

  /**
   * Starts writing unless a write is in flight, waiting for its retry or for its turn, or nothing
   * waits; after stop, `stop()` makes the last write itself.
   */
  #startWriting(): void {
    const busy = this.#writing !== null || this.#retryTimer !== null || this.#spacingTimer !== null;
    if (this.#stopped || busy || this.#toSave === null) return;
    const { scheduler, intervalMs } = this.#options;
    const now = scheduler.now();
    // At most one interval: the clock is the wall clock, and it may be set back.
    const wait =
      this.#lastStartedAt === null
        ? 0
        : Math.min(intervalMs, this.#lastStartedAt + intervalMs - now);
    if (wait > 0) {
      this.#spacingTimer = scheduler.setTimeout(() => {
        this.#spacingTimer = null;
        // The interval has passed, whatever the clock says now.
        this.#lastStartedAt = null;
        this.#startWriting();
      }, wait);
      return;
    }
    this.#lastStartedAt = now;
    this.#writing = this.#write().finally(() => {
      this.#writing = null;
      // A change queued while the last write was finishing.
      this.#startWriting();
    });
  }

  /** Writes the newest waiting core; a failure leaves it to the retry timer. */
  async #write(): Promise<void> {
    const { store, logger } = this.#options;
    const core = this.#toSave;
    if (core === null) return;
    this.#toSave = null;
    try {
      await store.save(core.version, core);
    } catch (err) {
      // The newest state wins: a change made meanwhile is written instead of this one.
      this.#toSave ??= core;
      this.#saveFailures++;
      const { first, max } = this.#options.retryMs;
      const wait = Math.min(first * 2 ** this.#retries, max);
      this.#retries++;
      if (this.#saveError === null) {
        logger.warn(
          { err, version: core.version, retry_ms: wait },
          "stream state not saved; the overlays carry on and the save is retried",
        );
      }
      this.#saveError = err instanceof Error ? err.message : String(err);
      if (!this.#stopped) {
        this.#retryTimer = this.#options.scheduler.setTimeout(() => {
          this.#retryTimer = null;
          this.#startWriting();
        }, wait);
      }
      return;
    }
    this.#savedCore = core;
    if (this.#saveError !== null) {
      logger.info(
        { version: core.version, failed_attempts: this.#retries },
        "stream state saved again",
      );
    }
    this.#saveError = null;
    this.#retries = 0;
  }

  /** Starts no more writes and releases the retry timer; `finish()` makes the last write. */
  halt(): void {
    this.#stopped = true;
    if (this.#retryTimer !== null) this.#options.scheduler.clearTimeout(this.#retryTimer);
    if (this.#spacingTimer !== null) this.#options.scheduler.clearTimeout(this.#spacingTimer);
    this.#retryTimer = this.#spacingTimer = null;
  }

  /**
   * Waits for the write in flight, then makes one last attempt to write `core`; if the database
   * is still away, the last state written is what a restart finds.
   */
  async finish(core: EngineState): Promise<void> {
    await this.#writing;
    if (core === this.#savedCore) return;
    try {
      await this.#options.store.save(core.version, core);
      this.#savedCore = core;
    } catch (err) {
      this.#options.logger.error(
        { err, version: core.version, persisted_version: this.#savedCore.version },
        "stream state not saved at stop; a restart resumes from the last state saved",
      );
    }
  }
}
