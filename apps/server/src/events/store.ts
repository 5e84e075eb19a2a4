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
}

export const STORE_DEFAULTS = { writeTimeoutMs: 3_000, retryMs: 1_000 } as const;

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

  constructor(options: DurableStoreOptions) {
    this.#database = options.database;
    this.#spool = options.spool;
    this.#logger = options.logger;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? STORE_DEFAULTS.writeTimeoutMs;
    this.#retryMs = options.retryMs ?? STORE_DEFAULTS.retryMs;
    if (this.#spool.depth > 0) this.#scheduleRetry(0);
  }

  write(window: NewEvent[]): Promise<StoredId[]> {
    return this.#exclusive(async () => {
      if (this.#spool.depth === 0) {
        try {
          return await this.#insert(window);
        } catch (err) {
          if (!isUnavailable(err)) throw err;
          this.#logger.warn({ err: describe(err) }, "database unreachable: spooling events");
        }
      }
      await this.#spool.append(window);
      this.#stats.spooledWindows++;
      this.#scheduleRetry(this.#retryMs);
      return window.map((event) => ({ id: event.id, seq: event.seq, inserted: true }));
    });
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
