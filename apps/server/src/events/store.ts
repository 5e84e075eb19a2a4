/**
 * The durable window store: the database when it answers, the spool when it does not. A write the
 * database refuses for being unreachable (or that outlasts `writeTimeoutMs`) goes to the spool, and
 * every window after it follows, so order holds. A background retry drains the spool in order
 * once the database is back — re-inserting is harmless, ids are idempotent — and only then do
 * windows go straight to the database again. Writes and drains run one at a time.
 */
import { type Database, insertEventWindow, type NewEvent, type StoredId } from "@landale/db";
import type { Logger } from "@landale/logger";
import type { WindowStore } from "./batcher";
import type { Spool } from "./spool";

export interface DurableStoreOptions {
  database: Database;
  spool: Spool;
  logger: Logger;
  writeTimeoutMs?: number;
  retryMs?: number;
  /** How many recently written ids are remembered to answer re-sends while spooling. */
  knownIds?: number;
}

export const STORE_DEFAULTS = { writeTimeoutMs: 3_000, retryMs: 1_000, knownIds: 100_000 } as const;

export interface StoreStats {
  /** True while windows go to the spool instead of the database. */
  spooling: boolean;
  spooledEvents: number;
  spoolBytes: number;
  spooledWindows: number;
  drainedWindows: number;
}

class StoreTimeoutError extends Error {
  readonly code = "STORE_TIMEOUT";
}

export class DurableStore implements WindowStore {
  readonly #database: Database;
  readonly #spool: Spool;
  readonly #logger: Logger;
  readonly #writeTimeoutMs: number;
  readonly #retryMs: number;
  #tail: Promise<unknown> = Promise.resolve();
  #retry: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #stats = { spooledWindows: 0, drainedWindows: 0 };
  readonly #known: KnownIds;

  constructor(options: DurableStoreOptions) {
    this.#database = options.database;
    this.#spool = options.spool;
    this.#logger = options.logger;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? STORE_DEFAULTS.writeTimeoutMs;
    this.#retryMs = options.retryMs ?? STORE_DEFAULTS.retryMs;
    this.#known = new KnownIds(options.knownIds ?? STORE_DEFAULTS.knownIds);
    if (this.#spool.depth > 0) this.#scheduleRetry(0);
  }

  write(window: NewEvent[]): Promise<StoredId[]> {
    return this.#exclusive(async () => {
      if (this.#spool.depth === 0) {
        try {
          const stored = await this.#insert(window);
          for (const { id, seq } of stored) this.#known.remember(id, seq);
          return stored;
        } catch (err) {
          if (!isUnavailable(err)) throw err;
          this.#logger.warn({ err: describe(err) }, "database unreachable: spooling events");
        }
      }
      return this.#spoolWindow(window);
    });
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
      await this.#spool.append(fresh);
      for (const event of fresh) this.#known.remember(event.id, event.seq);
      this.#stats.spooledWindows++;
    }
    this.#scheduleRetry(this.#retryMs);
    return results;
  }

  /** Moves every spooled window into the database, in order; false if the database is still away. */
  drain(): Promise<boolean> {
    return this.#exclusive(async () => {
      if (this.#spool.depth === 0) return true;
      try {
        const windows = await this.#spool.windows();
        for (const window of windows) {
          await this.#insert(window);
          this.#stats.drainedWindows++;
        }
        await this.#spool.clear();
        this.#logger.info({ windows: windows.length }, "spool drained into the database");
        return true;
      } catch (err) {
        if (!isUnavailable(err)) this.#logger.error({ err }, "spool drain failed");
        return false;
      }
    });
  }

  stats(): StoreStats {
    return {
      spooling: this.#spool.depth > 0,
      spooledEvents: this.#spool.depth,
      spoolBytes: this.#spool.bytes,
      ...this.#stats,
    };
  }

  /** Stops retrying, makes a last attempt to drain, and closes the spool (what stays is kept). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
    await this.drain();
    await this.#exclusive(() => this.#spool.close());
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

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
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

function describe(err: unknown): string {
  return err instanceof Error
    ? `${(err as { code?: string }).code ?? err.name}: ${err.message}`
    : String(err);
}
