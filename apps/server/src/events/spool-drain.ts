/** The spool's background drain into the database, in order, once a cheap probe says it is back. */
import { type Database, insertEventWindow, type NewEvent, type StoredId } from "@landale/db";
import type { Logger } from "@landale/logger";
import { sql } from "drizzle-orm";
import type { Scheduler } from "../scheduler";
import { isUnavailable, refusalOf } from "./db-failures";
import type { Quarantine } from "./quarantine";
import type { Spool } from "./spool";
import { withTimeout } from "./timeout";

export interface SpoolDrainOptions {
  database: Database;
  spool: Spool;
  quarantine: Quarantine;
  logger: Logger;
  writeTimeoutMs: number;
  retryMs: number;
  probeTimeoutMs: number;
  /** The timers of the write timeout, the probe timeout and the drain retry. */
  scheduler: Scheduler;
}

/**
 * Moves the spooled windows into the database, retrying every `retryMs` until none is left. A
 * spooled window's events were already acknowledged: one the database refuses is bisected down to
 * the refused events, which go to the quarantine, and the rest drain in order.
 */
export class SpoolDrain {
  readonly #database: Database;
  readonly #spool: Spool;
  readonly #quarantine: Quarantine;
  readonly #logger: Logger;
  readonly #writeTimeoutMs: number;
  readonly #retryMs: number;
  readonly #probeTimeoutMs: number;
  readonly #scheduler: Scheduler;
  #retry: unknown = null;
  #draining: Promise<boolean> | null = null;
  /** A probe still unanswered is reused, so a hung connection never piles probes up. */
  #probing: Promise<unknown> | null = null;
  #stopped = false;
  #drainedWindows = 0;

  constructor(options: SpoolDrainOptions) {
    this.#database = options.database;
    this.#spool = options.spool;
    this.#quarantine = options.quarantine;
    this.#logger = options.logger;
    this.#writeTimeoutMs = options.writeTimeoutMs;
    this.#retryMs = options.retryMs;
    this.#probeTimeoutMs = options.probeTimeoutMs;
    this.#scheduler = options.scheduler;
    if (this.#spool.depth > 0) this.#scheduleRetry(0);
  }

  get drainedWindows(): number {
    return this.#drainedWindows;
  }

  /** Drains after `retryMs`, unless a drain is due already (a window went to the spool). */
  retryLater(): void {
    this.#scheduleRetry(this.#retryMs);
  }

  /** Moves every spooled window into the database, in order; false if the database is still away. */
  drain(): Promise<boolean> {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
    });
    return this.#draining;
  }

  /** Stops retrying and makes a last attempt to drain. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retry !== null) this.#scheduler.clearTimeout(this.#retry);
    this.#retry = null;
    await this.drain();
  }

  async #drain(): Promise<boolean> {
    if (this.#spool.depth === 0) return this.#spool.clearIfDrained();
    if (!(await this.#probe())) return false;
    let windows = 0;
    try {
      do {
        for await (const window of this.#spool.undrained()) {
          await this.#drainWindow(window.events);
          this.#spool.drained(window);
          this.#drainedWindows++;
          windows++;
        }
      } while (!(await this.#spool.clearIfDrained()));
      this.#logger.info({ windows }, "spool drained into the database");
      return true;
    } catch (err) {
      // Anything but "away" (a full disk on the server, say) is logged and retried: never a
      // reason to quarantine events that did nothing wrong.
      if (!isUnavailable(err)) this.#logger.error({ err }, "spool drain failed; retrying");
      return false;
    }
  }

  /**
   * Inserts one spooled window; if the database refuses it, bisects it down to the refused
   * events, quarantines those and inserts the rest, in order, keeping their acknowledged seqs.
   */
  async #drainWindow(window: NewEvent[]): Promise<void> {
    const pieces = [window];
    for (let piece = pieces.shift(); piece !== undefined; piece = pieces.shift()) {
      try {
        await this.#insert(piece);
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal === null) throw err;
        const [only] = piece;
        if (piece.length === 1 && only !== undefined) {
          await this.#quarantine.add(only, refusal);
          this.#logger.error(
            { id: only.id, seq: only.seq, type: only.type, reason: refusal },
            "the database refused a spooled event: quarantined",
          );
          continue;
        }
        const middle = piece.length >> 1;
        pieces.unshift(piece.slice(0, middle), piece.slice(middle));
      }
    }
  }

  /** Whether the database answers a trivial query within the probe timeout. */
  async #probe(): Promise<boolean> {
    this.#probing ??= this.#database.rows(sql`SELECT 1`).finally(() => {
      this.#probing = null;
    });
    let timer: unknown;
    const timeout = new Promise<false>((resolve) => {
      timer = this.#scheduler.setTimeout(() => resolve(false), this.#probeTimeoutMs);
    });
    try {
      return await Promise.race([this.#probing.then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      this.#scheduler.clearTimeout(timer);
    }
  }

  /** Drains one spooled window as one statement, within the write timeout. */
  #insert(window: NewEvent[]): Promise<StoredId[]> {
    return withTimeout(
      insertEventWindow(this.#database, window),
      this.#writeTimeoutMs,
      this.#scheduler,
    );
  }

  #scheduleRetry(ms: number): void {
    if (this.#retry !== null || this.#stopped) return;
    this.#retry = this.#scheduler.setTimeout(async () => {
      this.#retry = null;
      if (!(await this.drain())) this.#scheduleRetry(this.#retryMs);
    }, ms);
  }
}
