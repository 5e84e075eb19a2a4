/**
 * The durable window store: the database when it answers, the spool when it does not. Windows are
 * committed in the order they are written; a window is opened (copied on Postgres, encoded on
 * PGlite) while the one before it commits, and commits only once that one is settled. A write the
 * database cannot take (unreachable, or slower than `writeTimeoutMs`) goes to the spool, and every
 * window after it follows, so order holds. A background drain (`SpoolDrain`) moves the spool into
 * the database in order once a cheap probe says it is back — re-inserting is harmless, ids are
 * idempotent — and only then do windows go straight to the database again. Appends to the spool
 * never wait for a drain. A window the database refuses for its content is refused
 * (`StoreRefusedError`) when written directly; when drained from the spool its events were already
 * acknowledged, so it is bisected down to the refused events, which go to the quarantine, and the
 * rest drain in order.
 */
import type { Database, NewEvent, OpenWindow, StoredId } from "@landale/db";
import type { Logger } from "@landale/logger";
import { type Scheduler, systemScheduler } from "../scheduler";
import type { WindowStore } from "./batcher";
import { describe, isUnavailable, refusalOf } from "./db-failures";
import { KnownIds } from "./known-ids";
import type { Quarantine } from "./quarantine";
import { StoreRefusedError, SupersededError } from "./refusals";
import type { Spool } from "./spool";
import { SpoolDrain } from "./spool-drain";
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
  readonly #scheduler: Scheduler;
  readonly #turns: Turns | null;
  readonly #spoolDrain: SpoolDrain;
  /** Why the last append to the spool failed (a full disk), until one succeeds. */
  #spoolError: string | null = null;
  #spooledWindows = 0;
  readonly #known: KnownIds;

  constructor(options: DurableStoreOptions) {
    this.#database = options.database;
    this.#spool = options.spool;
    this.#quarantine = options.quarantine;
    this.#logger = options.logger;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? STORE_DEFAULTS.writeTimeoutMs;
    this.#known = new KnownIds(options.knownIds ?? STORE_DEFAULTS.knownIds);
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#turns = options.turns ?? null;
    this.#spoolDrain = new SpoolDrain({
      database: this.#database,
      spool: this.#spool,
      quarantine: this.#quarantine,
      logger: this.#logger,
      writeTimeoutMs: this.#writeTimeoutMs,
      retryMs: options.retryMs ?? STORE_DEFAULTS.retryMs,
      probeTimeoutMs: options.probeTimeoutMs ?? STORE_DEFAULTS.probeTimeoutMs,
      scheduler: this.#scheduler,
    });
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
      this.#spooledWindows++;
    }
    this.#spoolDrain.retryLater();
    return results;
  }

  /** Moves every spooled window into the database, in order; false if the database is still away. */
  drain(): Promise<boolean> {
    return this.#spoolDrain.drain();
  }

  stats(): StoreStats {
    return {
      spooling: this.#spool.depth > 0,
      spooledEvents: this.#spool.depth,
      spoolBytes: this.#spool.bytes,
      quarantined: this.#quarantine.count,
      spoolError: this.#spoolError,
      spooledWindows: this.#spooledWindows,
      drainedWindows: this.#spoolDrain.drainedWindows,
    };
  }

  /** Stops retrying, makes a last attempt to drain, and closes the spool (what stays is kept). */
  async stop(): Promise<void> {
    await this.#spoolDrain.stop();
    await this.#spool.close();
    await this.#quarantine.close();
  }

  #timed = <T>(work: Promise<T>) => withTimeout(work, this.#writeTimeoutMs, this.#scheduler);
}
