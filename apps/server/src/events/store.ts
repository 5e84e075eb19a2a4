/**
 * The durable window store: the database when it answers, the spool when it does not. Windows are
 * committed in the order they are written; a window is opened (copied on Postgres, encoded on
 * PGlite) while the one before it commits, and commits only once that one is settled. A write the
 * database cannot take (unreachable, or slower than `writeTimeoutMs`) goes to the spool, and every
 * window after it follows, so order holds. A background drain moves the spool into the database
 * in order once a cheap probe says it is back — re-inserting is harmless, ids are idempotent —
 * and only then do windows go straight to the database again. Appends to the spool never wait
 * for a drain. A window the database refuses for its content is refused (`StoreRefusedError`)
 * when written directly; when drained from the spool its events were already acknowledged, so it
 * is bisected down to the refused events, which go to the quarantine, and the rest drain in order.
 */
import {
  type Database,
  insertEventWindow,
  type NewEvent,
  type OpenWindow,
  type StoredId,
} from "@landale/db";
import type { Logger } from "@landale/logger";
import { sql } from "drizzle-orm";
import { type Scheduler, systemScheduler } from "../scheduler";
import type { WindowStore } from "./batcher";
import { describe, isUnavailable, refusalOf } from "./db-failures";
import { KnownIds } from "./known-ids";
import type { Quarantine } from "./quarantine";
import { StoreRefusedError, SupersededError } from "./refusals";
import type { Spool } from "./spool";
import { StoreTimeoutError, withTimeout } from "./timeout";
import type { Turns } from "./turns";

export interface DurableStoreOptions {
  database: Database;
  spool: Spool;
  quarantine: Quarantine;
  logger: Logger;
  writeTimeoutMs?: number;
  retryMs?: number;
  probeTimeoutMs?: number;
  /** How many recently written ids are remembered to answer re-sends while spooling. */
  knownIds?: number;
  /** The timers of the write timeout, the probe timeout and the drain retry. */
  scheduler?: Scheduler;
  /** Where opening a window (encoding it) waits for its turn of the event loop; none: at once. */
  turns?: Turns;
}

export const STORE_DEFAULTS = {
  writeTimeoutMs: 3_000,
  retryMs: 1_000,
  probeTimeoutMs: 1_000,
  knownIds: 100_000,
} as const;

export interface StoreStats {
  /** True while windows go to the spool instead of the database. */
  spooling: boolean;
  spooledEvents: number;
  spoolBytes: number;
  spooledWindows: number;
  drainedWindows: number;
  /** Acknowledged events the database refused while draining, kept in the quarantine file. */
  quarantined: number;
  /** Why the last append to the spool failed (e.g. a full disk), until a window is stored again. */
  spoolError: string | null;
}

/** The default `previous`: a window with nothing before it. */
const FOLLOW = Promise.resolve(true);

type Opened = { ok: true; open: OpenWindow } | { ok: false; err: unknown };

export class DurableStore implements WindowStore {
  readonly #database: Database;
  readonly #spool: Spool;
  readonly #quarantine: Quarantine;
  readonly #logger: Logger;
  readonly #writeTimeoutMs: number;
  readonly #retryMs: number;
  readonly #probeTimeoutMs: number;
  readonly #scheduler: Scheduler;
  readonly #turns: Turns | null;
  #retry: unknown = null;
  #draining: Promise<boolean> | null = null;
  /** A probe still unanswered is reused, so a hung connection never piles probes up. */
  #probing: Promise<unknown> | null = null;
  #stopped = false;
  /** Why the last append to the spool failed (a full disk), until one succeeds. */
  #spoolError: string | null = null;
  #stats = { spooledWindows: 0, drainedWindows: 0 };
  readonly #known: KnownIds;

  constructor(options: DurableStoreOptions) {
    this.#database = options.database;
    this.#spool = options.spool;
    this.#quarantine = options.quarantine;
    this.#logger = options.logger;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? STORE_DEFAULTS.writeTimeoutMs;
    this.#retryMs = options.retryMs ?? STORE_DEFAULTS.retryMs;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? STORE_DEFAULTS.probeTimeoutMs;
    this.#known = new KnownIds(options.knownIds ?? STORE_DEFAULTS.knownIds);
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#turns = options.turns ?? null;
    if (this.#spool.depth > 0) this.#scheduleRetry(0);
  }

  /**
   * Commits one window after the window before it. `previous` settles once that one is settled:
   * true when this one may follow it, false when it was refused and this one must be numbered
   * again — then nothing of this one is stored and `SupersededError` is thrown. Throws
   * `StoreRefusedError` if the database refuses the window for its content; nothing of it is
   * stored then.
   */
  async write(window: NewEvent[], previous: Promise<boolean> = FOLLOW): Promise<StoredId[]> {
    // Opened before the one before it settles: copied (Postgres) or encoded (PGlite) meanwhile.
    const early = this.#spool.depth === 0;
    const opening = early ? this.#open(window) : null;
    const follows = await previous;
    const opened = await opening;
    // While windows go to the spool, so does this one; once everything spooled is drained, windows
    // go straight to the database again: whatever the drain still does keeps the order.
    if (!follows || this.#spool.depth > 0) {
      if (opened?.ok) await opened.open.rollback().catch(() => {});
      if (!follows) throw new SupersededError();
      return this.#spoolWindow(window);
    }
    return this.#settle(window, opened ?? (await this.#open(window)));
  }

  /** Commits an opened window, or says what its failure means: a refusal, the spool, or an error. */
  async #settle(window: NewEvent[], opened: Opened): Promise<StoredId[]> {
    let err = opened.ok ? null : opened.err;
    if (opened.ok) {
      try {
        const stored = await this.#timed(opened.open.commit());
        this.#spoolError = null;
        this.#known.remember(stored);
        return stored;
      } catch (commitErr) {
        // Whether a commit that timed out or lost its connection happened is unknown: the spool
        // writes the window again, and ids make a second write harmless.
        err = commitErr;
      }
    }
    const refusal = refusalOf(err);
    if (refusal !== null) throw new StoreRefusedError(refusal, { cause: err });
    if (!isUnavailable(err)) throw err;
    this.#logger.warn({ err: describe(err) }, "database unreachable: spooling events");
    return this.#spoolWindow(window);
  }

  /**
   * Opens the window's write within the write timeout; one that answers too late is undone. Its
   * encoding (a 1,000-event window: ~2 ms) takes the next turn of the event loop, ahead of the
   * ingest steps waiting (`Turns`).
   */
  #open(window: NewEvent[]): Promise<Opened> {
    const turn = this.#turns?.take(true) ?? Promise.resolve();
    const opening = turn.then(() => this.#database.windows.begin(window));
    return this.#timed(opening).then(
      (open): Opened => ({ ok: true, open }),
      (err: unknown): Opened => {
        if (err instanceof StoreTimeoutError) {
          opening.then((open) => open.rollback()).catch(() => {});
        }
        return { ok: false, err };
      },
    );
  }

  /**
   * Spools what the database cannot take now. The database cannot say which ids it already has,
   * so recently written ids are answered from memory (their stored seq, not new) and left out.
   */
  async #spoolWindow(window: NewEvent[]): Promise<StoredId[]> {
    const fresh: NewEvent[] = [];
    const results = window.map((event) => {
      const seq = this.#known.seqOf(event.id);
      if (seq !== undefined) return { id: event.id, seq, inserted: false };
      fresh.push(event);
      return { id: event.id, seq: event.seq, inserted: true };
    });
    if (fresh.length > 0) {
      try {
        await this.#spool.append(fresh);
      } catch (err) {
        this.#spoolError = describe(err);
        throw err;
      }
      this.#spoolError = null;
      this.#known.remember(fresh.map(({ id, seq }) => ({ id, seq })));
      this.#stats.spooledWindows++;
    }
    this.#scheduleRetry(this.#retryMs);
    return results;
  }

  /** Moves every spooled window into the database, in order; false if the database is still away. */
  drain(): Promise<boolean> {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
    });
    return this.#draining;
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
          this.#stats.drainedWindows++;
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

  stats(): StoreStats {
    return {
      spooling: this.#spool.depth > 0,
      spooledEvents: this.#spool.depth,
      spoolBytes: this.#spool.bytes,
      quarantined: this.#quarantine.count,
      spoolError: this.#spoolError,
      ...this.#stats,
    };
  }

  /** Stops retrying, makes a last attempt to drain, and closes the spool (what stays is kept). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retry !== null) this.#scheduler.clearTimeout(this.#retry);
    this.#retry = null;
    await this.drain();
    await this.#spool.close();
    await this.#quarantine.close();
  }

  /** Drains one spooled window as one statement, within the write timeout. */
  #insert(window: NewEvent[]): Promise<StoredId[]> {
    return this.#timed(insertEventWindow(this.#database, window));
  }

  #timed = <T>(work: Promise<T>) => withTimeout(work, this.#writeTimeoutMs, this.#scheduler);

  #scheduleRetry(ms: number): void {
    if (this.#retry !== null || this.#stopped) return;
    this.#retry = this.#scheduler.setTimeout(async () => {
      this.#retry = null;
      if (!(await this.drain())) this.#scheduleRetry(this.#retryMs);
    }, ms);
  }
}
