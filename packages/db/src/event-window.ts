/**
 * How a window of events reaches the table, at the cheapest cost each engine offers.
 *
 * On Postgres a window is one `COPY events FROM STDIN` (text format) inside a transaction on a
 * connection of its own, left open until the caller commits it: a second window can be copied
 * while the first commits, and the caller decides the order of the commits. COPY has no conflict
 * rule, so a window COPY cannot take (an id already stored, or data the database refuses) is
 * written again by `insertEventWindow` (`ON CONFLICT (id) DO NOTHING`, re-sent ids answered with
 * their stored seq) in the same transaction, which stores it or fails with the database's reason.
 * Re-sends are rare; every other window pays for COPY alone. docs/DATABASE.md has the measurements.
 *
 * On PGlite there is one connection, so nothing overlaps: a window is one statement, committed
 * at once (`commit` has nothing left to do).
 */
import { PgDialect } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import { insertEventWindow, type NewEvent, type StoredId, type WindowDatabase } from "./events";

/** A window written but, where the engine allows, not yet committed. */
export interface OpenWindow {
  /** Each event's stored seq, in input order (as `insertEventWindow` answers). */
  readonly stored: StoredId[];
  commit(): Promise<void>;
  /** Undoes the window; only where `WindowWriter.overlaps`. */
  rollback(): Promise<void>;
}

export interface WindowWriter {
  /**
   * True when a window can be held open while the next is written (Postgres). When false, a window
   * is committed by `begin` itself, so the caller must not begin one before the last is settled.
   */
  readonly overlaps: boolean;
  begin(window: NewEvent[]): Promise<OpenWindow>;
}

/** The columns in COPY order. */
const COLUMNS = "id, seq, type, source, ts, received_at, correlation_id, user_id, user_login, data";
/** What COPY's text format reads as special inside a value. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const NULL = "\\N";
/** SQLSTATE of a statement in a transaction an earlier error aborted. */
const IN_FAILED_TRANSACTION = "25P02";

/** Postgres: one COPY per window in a transaction of its own, committed when the caller says. */
export function postgresWindowWriter(client: Sql, timescale: boolean): WindowWriter {
  return {
    overlaps: true,
    async begin(window) {
      const connection = await client.reserve();
      // After a connection error postgres.js has already closed this connection and put it back
      // to be reconnected: another statement on it, or releasing it again, would break the pool.
      let broken = false;
      const on = async <T>(work: () => Promise<T>): Promise<T> => {
        try {
          return await work();
        } catch (err) {
          if (!hasSqlState(err)) broken = true;
          throw err;
        }
      };
      let ended = false;
      const end = async (statement: "COMMIT" | "ROLLBACK") => {
        // Once only: a connection released twice would be handed to two callers.
        if (ended || broken) return;
        ended = true;
        try {
          await on(() => connection.unsafe(statement));
        } finally {
          if (!broken) connection.release();
        }
      };
      try {
        await on(() => connection.unsafe("BEGIN"));
        let stored: StoredId[];
        if (await on(() => copied(connection, window))) {
          stored = window.map(({ id, seq }) => ({ id, seq, inserted: true }));
        } else {
          await on(() => connection.unsafe("ROLLBACK"));
          await on(() => connection.unsafe("BEGIN"));
          stored = await on(() => insertEventWindow(reserved(connection, timescale), window));
        }
        return { stored, commit: () => end("COMMIT"), rollback: () => end("ROLLBACK") };
      } catch (err) {
        await end("ROLLBACK").catch(() => {});
        throw err;
      }
    },
  };
}

/**
 * PGlite: one statement per window, committed as it is written (one connection: nothing
 * overlaps). PGlite's `COPY … FROM '/dev/blob'` costs about half as much, but a window it refused
 * left the next statement hanging in 2 of 5 full test runs, so it is not used (docs/DATABASE.md).
 */
export function serialWindowWriter(database: WindowDatabase): WindowWriter {
  const done = async () => {};
  return {
    overlaps: false,
    async begin(window) {
      const stored = await insertEventWindow(database, window);
      return {
        stored,
        commit: done,
        rollback: () => Promise.reject(new Error("a PGlite window is committed as it is written")),
      };
    },
  };
}

/**
 * Bytes of COPY data per chunk handed to postgres.js. It copies each chunk into a message of its
 * own, so one chunk per window means a fresh buffer the size of the window (1.4 MB for 1,000
 * chat events) allocated, filled and copied again for every window; chunks this size are
 * cheap to allocate and still few (~22 a window).
 */
export const COPY_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
/** The most bytes one character takes in UTF-8. */
const MAX_CHARACTER_BYTES = 4;
const encoder = new TextEncoder();

/**
 * The window as COPY's text format (one tab-separated line per event, `\N` for null), encoded
 * as UTF-8 straight into chunks of `chunkBytes` (room for any one character at least), each
 * filled to its end, lines running on from one chunk into the next: no line is made as one
 * string with the event's `data` in it, and no string or buffer the size of the window at all.
 */
export function copyChunks(window: readonly NewEvent[], chunkBytes = COPY_CHUNK_BYTES): Buffer[] {
  if (chunkBytes < MAX_CHARACTER_BYTES) throw new RangeError(`chunks of ${chunkBytes} bytes`);
  const chunks: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  const next = () => {
    chunks.push(chunk.subarray(0, used));
    chunk = Buffer.allocUnsafe(chunkBytes);
    used = 0;
  };
  const put = (text: string) => {
    let rest = text;
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, chunk.subarray(used));
      used += written;
      if (read === rest.length) return;
      // Full, or the next character does not fit: encodeInto never splits one.
      next();
      rest = rest.slice(read);
    }
  };
  for (const event of window) {
    put(
      `${copyValue(event.id)}\t${event.seq}\t${copyValue(event.type)}\t` +
        `${copyValue(event.source)}\t${event.ts}\t${event.receivedAt}\t` +
        `${copyValue(event.correlationId)}\t` +
        `${event.userId === null ? NULL : copyValue(event.userId)}\t` +
        `${event.userLogin === null ? NULL : copyValue(event.userLogin)}\t`,
    );
    put(copyValue(event.dataJson ?? JSON.stringify(event.data)));
    if (used === chunkBytes) next();
    chunk[used++] = NEWLINE;
  }
  if (used > 0) chunks.push(chunk.subarray(0, used));
  return chunks;
}

function copyValue(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value
    .replaceAll("\\", "\\\\")
    .replaceAll("\t", "\\t")
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r");
}

/**
 * COPYs the window on `connection`; false when the database did not take it. postgres.js answers a
 * COPY with its stream before the server has read the data, and drops an error the server sends
 * after the stream has ended, so the outcome is read from a query sent right behind the COPY: in a
 * transaction that the COPY aborted it fails (25P02).
 */
async function copied(connection: Sql, window: readonly NewEvent[]): Promise<boolean> {
  const stream = await connection.unsafe(`COPY events (${COLUMNS}) FROM STDIN`).writable();
  // Until the stream's final step has sent CopyDone, postgres.js refuses any other query on the
  // connection: wrap that step to know when it has run.
  const final = stream._final?.bind(stream);
  if (final === undefined) throw new Error("postgres.js gave a COPY stream with no final step");
  const ended = new Promise<void>((resolve, reject) => {
    stream._final = (callback) => {
      final(callback);
      resolve();
    };
    // The connection closed under the COPY.
    stream.on("error", reject);
  });
  // Each chunk becomes one CopyData message (`copyChunks` says why not one for the window).
  for (const chunk of copyChunks(window)) stream.write(chunk);
  stream.end();
  await ended;
  try {
    await connection.unsafe("SELECT 1");
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === IN_FAILED_TRANSACTION) return false;
    throw err;
  }
}

/** Whether the database answered with an error (a SQLSTATE), rather than the connection failing. */
function hasSqlState(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
}

const dialect = new PgDialect();

/** `insertEventWindow`'s database on one reserved connection. */
function reserved(connection: Sql, timescale: boolean): WindowDatabase {
  return {
    timescale,
    rows: async (query) => {
      const { sql, params } = dialect.sqlToQuery(query);
      // Prepared: the statement's text is the same for every window, so after the first it is
      // bound and executed in one round trip, with no describe of its own.
      return (await connection.unsafe(sql, params as never[], { prepare: true })) as never;
    },
  };
}
