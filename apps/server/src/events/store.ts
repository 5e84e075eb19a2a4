/**
 * The durable window store: the database when it answers, the spool when it does not. A write the
 * database cannot take (unreachable, or slower than `writeTimeoutMs`) goes to the spool, and every
 * window after it follows, so order holds. A background drain moves the spool into the database
 * in order once a cheap probe says it is back — re-inserting is harmless, ids are idempotent —
 * and only then do windows go straight to the database again. Appends to the spool never wait
 * for a drain. A window the database refuses for its content is refused (`StoreRefusedError`)
 * when written directly; when drained from the spool its events were already acknowledged, so it
 * is bisected down to the refused events, which go to the quarantine, and the rest drain in order.
 */
import { type Database, insertEventWindow, type NewEvent, type StoredId } from "@landale/db";
import type { Logger } from "@landale/logger";
import { sql } from "drizzle-orm";
import { StoreRefusedError, type WindowStore } from "./batcher";
import type { Quarantine } from "./quarantine";
import type { Spool } from "./spool";

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

class StoreTimeoutError extends Error {
  readonly code = "STORE_TIMEOUT";
}

export class DurableStore implements WindowStore {
  readonly #database: Database;
  readonly #spool: Spool;
  readonly #quarantine: Quarantine;
  readonly #logger: Logger;
  readonly #writeTimeoutMs: number;
  readonly #retryMs: number;
  readonly #probeTimeoutMs: number;
  #retry: ReturnType<typeof setTimeout> | null = null;
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
    if (this.#spool.depth > 0) this.#scheduleRetry(0);
  }

  /**
   * Commits one window (the batcher writes one at a time). Throws `StoreRefusedError` if the
   * database refuses it for its content; nothing of it is stored then.
   */
  async write(window: NewEvent[]): Promise<StoredId[]> {
    // Once everything spooled is drained, windows go straight to the database again: whatever
    // the drain still does (emptying the file) keeps the order.
    if (this.#spool.depth === 0) {
      try {
        const stored = await this.#insert(window);
        this.#spoolError = null;
        for (const { id, seq } of stored) this.#known.remember(id, seq);
        return stored;
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal !== null) throw new StoreRefusedError(refusal, { cause: err });
        if (!isUnavailable(err)) throw err;
        this.#logger.warn({ err: describe(err) }, "database unreachable: spooling events");
      }
    }
    return this.#spoolWindow(window);
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
      for (const event of fresh) this.#known.remember(event.id, event.seq);
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.#probeTimeoutMs);
    });
    try {
      return await Promise.race([this.#probing.then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
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
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
    await this.drain();
    await this.#spool.close();
    await this.#quarantine.close();
  }

  #insert(window: NewEvent[]): Promise<StoredId[]> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreTimeoutError(`database write took over ${this.#writeTimeoutMs} ms`)),
        this.#writeTimeoutMs,
      );
    });
    return Promise.race([insertEventWindow(this.#database, window), timeout]).finally(() =>
      clearTimeout(timer),
    );
  }

  #scheduleRetry(ms: number): void {
    if (this.#retry !== null || this.#stopped) return;
    this.#retry = setTimeout(async () => {
      this.#retry = null;
      if (!(await this.drain())) this.#scheduleRetry(this.#retryMs);
    }, ms);
  }
}

/**
 * Recently written ids and their seqs, the oldest forgotten first past `capacity`. A ring of ids
 * says which is oldest: asking a Map for its first key after many deletions walks past every
 * deleted entry, which made each insert cost as much as the whole map.
 */
class KnownIds {
  readonly #seqs = new Map<string, number>();
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array(capacity);
  }

  seqOf(id: string): number | undefined {
    return this.#seqs.get(id);
  }

  remember(id: string, seq: number): void {
    if (this.#seqs.has(id)) return;
    const oldest = this.#ring[this.#next];
    if (oldest !== undefined) this.#seqs.delete(oldest);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#seqs.set(id, seq);
  }
}

const UNAVAILABLE_CODES = new Set([
  "STORE_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * Whether an error means "the database is away" (retry later) rather than "this window is bad".
 * Drivers' errors arrive wrapped (drizzle puts them in `cause`), so the chain is searched.
 */
export function isUnavailable(err: unknown): boolean {
  for (let current = err, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    // SQLSTATE class 08 is connection exceptions; 57P01–57P03 are shutdowns and start-ups.
    if (
      typeof code === "string" &&
      (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code))
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Why the database refused a window for its content, or null if it did not. SQLSTATE classes 22
 * (data exception: bad JSON, an out-of-range date, an untranslatable character), 23 (integrity
 * constraint) and 54 (program limit: a value too big) say something in the rows is wrong; any
 * other failure (a full disk, the server going away) says nothing about them. A unique violation
 * (23505) is not the rows' fault either: ids never conflict (ON CONFLICT), so it is a seq clash,
 * which the batcher escapes only by burning the window's seqs, as a failed window does.
 */
export function refusalOf(err: unknown): string | null {
  if (isUnavailable(err)) return null;
  for (let current = err, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^(22|23|54)[0-9A-Z]{3}$/.test(code) && code !== "23505") {
      return `${code}: ${(current as { message?: unknown }).message ?? "refused"}`;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function describe(err: unknown): string {
  return err instanceof Error
    ? `${(err as { code?: string }).code ?? err.name}: ${err.message}`
    : String(err);
}
