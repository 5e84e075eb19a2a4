/**
 * How a window of events reaches the table, at the cheapest cost each engine offers.
 *
 * On Postgres a window is one `COPY events FROM STDIN` (text format) inside a transaction on a
 * connection of its own, left open until the caller commits it: a second window can be copied
 * while the first commits, and the caller decides the order of the commits. COPY has no conflict
 * rule, so a window COPY cannot take (an id already stored, or data the database refuses) is
 * written again when its turn to commit comes, by `insertEventWindow` (`ON CONFLICT (id) DO
 * NOTHING`, re-sent ids answered with their stored seq), which stores it or fails with the
 * database's reason. Re-sends are rare; every other window pays for COPY alone, and for two round
 * trips: BEGIN with the COPY, then the COMMIT. docs/DATABASE.md has the measurements.
 *
 * On PGlite there is one connection: a window is one `COPY … FROM '/dev/blob'` on the
 * database's thread, sent when the caller commits (`begin` only encodes it, so the next window is
 * encoded while the last is written), unless an id a producer gave is stored already; then, or if
 * the COPY fails, it is written by `insertEventWindow` instead.
 */
import { PgDialect } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import { COPY_COLUMNS, copyChunks } from "./copy-text";
import { insertEventWindow, type NewEvent, type StoredId, type WindowDatabase } from "./events";
import type { CopyGuard } from "./pglite-wire";

/** A window opened (copied on Postgres, encoded on PGlite) but not yet committed. */
export interface OpenWindow {
  /**
   * Commits the window and answers each event's stored seq, in input order (as
   * `insertEventWindow` answers). Throws the database's error if it refuses the window for its
   * content; nothing of the window is stored then.
   */
  commit(): Promise<StoredId[]>;
  /** Undoes the window; nothing of it is stored. */
  rollback(): Promise<void>;
}

export interface WindowWriter {
  /**
   * Opens a window: on Postgres its COPY, in a transaction left open; on PGlite its COPY data,
   * encoded. The next window may be begun while this one is open; the caller commits them in order.
   */
  begin(window: NewEvent[]): Promise<OpenWindow>;
}

/** What committing or rolling back a window a second time throws. */
const WINDOW_ENDED = "the window has already ended";

/**
 * Postgres: one COPY per window in a transaction of its own, committed when the caller says.
 * BEGIN and the COPY go out together, so the only wait before the data goes is one round trip
 * (the COPY's go-ahead), and nothing is waited for after it until the COMMIT, whose answer says
 * whether the COPY was taken. COPY has no conflict rule, so when it was not (an id already stored,
 * data the database refuses), the transaction it aborted has ended and the window is written
 * again with `insertEventWindow`, which stores it or fails with the database's reason.
 *
 * The caller must not have one id in two open windows: the later one's COPY could take the row
 * first, and the earlier would wait for a transaction that commits only after it (the batcher
 * holds a re-sent id back while its window is in flight).
 */
export function postgresWindowWriter(client: Sql, timescale: boolean): WindowWriter {
  return {
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
        if (ended || broken) throw new Error(WINDOW_ENDED);
        ended = true;
        try {
          return await on(() => connection.unsafe(statement));
        } finally {
          if (!broken) connection.release();
        }
      };
      const rollback = async () => {
        if (!ended && !broken) await end("ROLLBACK");
      };
      let taken: boolean;
      try {
        // Pipelined: both are sent now, and BEGIN is answered before the COPY's go-ahead.
        [, taken] = await Promise.all([
          on(() => connection.unsafe("BEGIN")),
          on(() => copy(connection, window)),
        ]);
      } catch (err) {
        await rollback().catch(() => {});
        throw err;
      }
      return {
        async commit() {
          try {
            if (taken) {
              // COMMIT of a transaction the COPY aborted answers ROLLBACK (and is no error).
              const { command } = await end("COMMIT");
              if (command === "COMMIT") return allInserted(window);
              // The connection went back with the COMMIT; the window is written on another.
              return await rewrite(client, timescale, window);
            }
            await end("ROLLBACK");
            return await rewrite(client, timescale, window);
          } catch (err) {
            await rollback().catch(() => {});
            throw err;
          }
        },
        rollback,
      };
    },
  };
}

/** The answer for a window COPY stored whole: every event new, with its own seq. */
function allInserted(window: readonly NewEvent[]): StoredId[] {
  return window.map(({ id, seq }) => ({ id, seq, inserted: true }));
}

/**
 * Writes a window COPY did not take again, with the conflict rule, in a transaction of its own:
 * re-sent ids are answered with their stored seq, and data the database refuses fails with its
 * reason. Only the caller's turn to commit leads here, so the order of commits holds.
 */
async function rewrite(client: Sql, timescale: boolean, window: NewEvent[]): Promise<StoredId[]> {
  return (await client.begin((transaction) =>
    insertEventWindow(onConnection(transaction, timescale), window),
  )) as StoredId[];
}

/** Runs a COPY from `data` unless `guard` answers a row; answers whether it copied. */
export type CopyFromBlob = (
  sql: string,
  data: Uint8Array[],
  guard: CopyGuard | null,
) => Promise<boolean>;

/**
 * PGlite: one COPY from a blob per window; it costs about half what the conflict-aware statement
 * does (docs/DATABASE.md). There is one connection, so a window is written whole when it is
 * committed: `begin` only encodes it, which the store does while the window before is still being
 * written on the database's thread, and nothing of it reaches the database until `commit`. COPY
 * has no conflict rule, so the ids producers gave are looked for first, on the database's thread
 * right before the COPY: a window with one stored already (a re-send) is written by
 * `insertEventWindow`, which answers it with its stored seq. So a COPY is refused only for data
 * the database will not take (a row a constraint refuses, say); the window is then written by
 * `insertEventWindow` too, which stores it or fails with the database's reason.
 */
export function pgliteWindowWriter(database: WindowDatabase, copy: CopyFromBlob): WindowWriter {
  const statement = `COPY events (${COPY_COLUMNS}) FROM '/dev/blob'`;
  return {
    async begin(window) {
      const chunks = copyChunks(window);
      const guard = storedIdsGuard(window);
      let ended = false;
      const end = () => {
        // Once only, as on Postgres: a second commit would write the window again.
        if (ended) throw new Error(WINDOW_ENDED);
        ended = true;
      };
      return {
        async commit() {
          end();
          let copied = false;
          try {
            copied = await copy(statement, chunks, guard);
          } catch {
            // Written again below: stored, or refused with the database's reason.
          }
          return copied ? allInserted(window) : await insertEventWindow(database, window);
        },
        async rollback() {
          if (!ended) end();
        },
      };
    },
  };
}

/** A query answering a row if an id a producer gave in `window` is stored; null if none gave one. */
function storedIdsGuard(window: readonly NewEvent[]): CopyGuard | null {
  const given: string[] = [];
  for (const event of window) if (event.madeId !== true) given.push(event.id);
  if (given.length === 0) return null;
  return { sql: "SELECT 1 FROM events WHERE id = ANY($1::text[]) LIMIT 1", params: [given] };
}

/**
 * Sends the window as one COPY on `connection`, up to CopyDone; false when the server refused it
 * while the data was still going out. A refusal after that is not heard here: postgres.js answers
 * a COPY with its stream before the server has read the data, and drops an error that comes after
 * the stream has ended, so the COMMIT behind it says (see `postgresWindowWriter`).
 */
async function copy(connection: Sql, window: readonly NewEvent[]): Promise<boolean> {
  const stream = await connection.unsafe(`COPY events (${COPY_COLUMNS}) FROM STDIN`).writable();
  // Until the stream's final step has sent CopyDone, postgres.js refuses any other query on the
  // connection: wrap that step to know when it has run.
  const final = stream._final?.bind(stream);
  if (final === undefined) throw new Error("postgres.js gave a COPY stream with no final step");
  const ended = new Promise<boolean>((resolve, reject) => {
    stream._final = (callback) => {
      final(callback);
      resolve(true);
    };
    // The server refused the data under way (its error ends the stream), or the connection closed.
    stream.on("error", (err) => (hasSqlState(err) ? resolve(false) : reject(err)));
  });
  // Each chunk becomes one CopyData message (`copyChunks` says why not one for the window).
  for (const chunk of copyChunks(window)) stream.write(chunk);
  stream.end();
  return ended;
}

/** Whether the database answered with an error (a SQLSTATE), rather than the connection failing. */
function hasSqlState(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
}

const dialect = new PgDialect();

/** `insertEventWindow`'s database on one connection (or transaction) of its own. */
function onConnection(connection: Pick<Sql, "unsafe">, timescale: boolean): WindowDatabase {
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
