/**
 * The thread that owns the embedded PGlite database (a Bun `Worker` started by `pglite-client.ts`):
 * PGlite's WASM runs a statement synchronously, so on the hub's thread every write would stop
 * sockets and timers until it finished. Here it opens PGlite in a directory, migrates it, and
 * answers `pglite-wire.ts` requests by id. A transaction is PGlite's own, held open between a
 * `begin` and its `end`: it holds PGlite's transaction lock, so other queries wait behind it.
 */
import { PGlite, type Transaction, types } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import {
  PgliteThreadError,
  type Reply,
  type Request,
  sendError,
  THREAD_CLOSED,
} from "./pglite-wire";

declare const self: Worker;

const keep = (value: string) => value;
/**
 * Drizzle's PGlite session asks for these types as PGlite received them (it parses dates
 * itself); its parsers are functions and cannot cross threads, so the same ones are kept here.
 */
const DRIZZLE_PARSERS = {
  [types.TIMESTAMP]: keep,
  [types.TIMESTAMPTZ]: keep,
  [types.INTERVAL]: keep,
  [types.DATE]: keep,
  1231: keep, // numeric[]
  1115: keep, // timestamp[]
  1185: keep, // timestamptz[]
  1187: keep, // interval[]
  1182: keep, // date[]
};

interface OpenTransaction {
  tx: Transaction;
  /** Lets PGlite's `transaction()` callback return: commit, or roll back first. */
  finish(commit: boolean): void;
  /** PGlite's `transaction()` itself: settles once COMMIT or ROLLBACK ran. */
  done: Promise<unknown>;
}

let database: PGlite | null = null;
const transactions = new Map<number, OpenTransaction>();

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  let reply: Reply;
  try {
    reply = { id: request.id, ok: true, value: await handle(request) };
  } catch (err) {
    reply = { id: request.id, ok: false, error: sendError(err) };
  }
  try {
    self.postMessage(reply);
  } catch (err) {
    // A value that cannot be cloned fails this call, not the thread.
    self.postMessage({ id: request.id, ok: false, error: sendError(err) } satisfies Reply);
  }
};

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case "open":
      return open(request);
    case "query": {
      const target = request.tx === null ? opened() : transaction(request.tx).tx;
      const { rows, fields, affectedRows } = await target.query(request.sql, request.params, {
        rowMode: request.rowMode,
        parsers: DRIZZLE_PARSERS,
      });
      return { rows, fields, affectedRows };
    }
    case "copy":
      return copy(request);
    case "begin":
      return begin(request.id);
    case "end":
      return end(request.tx, request.commit);
    case "close": {
      const closing = database;
      database = null;
      await closing?.close();
      return null;
    }
  }
}

async function open(request: Extract<Request, { op: "open" }>): Promise<null> {
  if (database !== null) throw new Error("the PGlite thread has a database open already");
  const { directory, migrationsFolder, artifacts } = request;
  const pglite = new PGlite(
    directory,
    artifacts === null ? {} : { pgliteWasmModule: artifacts.wasm, fsBundle: artifacts.bundle },
  );
  database = pglite;
  await migrate(drizzle(pglite), { migrationsFolder });
  return null;
}

function opened(): PGlite {
  if (database === null) throw new PgliteThreadError(THREAD_CLOSED, "the database is not open");
  return database;
}

function transaction(id: number): OpenTransaction {
  const open = transactions.get(id);
  if (open === undefined) throw new Error(`transaction ${id} is not open`);
  return open;
}

/**
 * The guard, then the COPY. Events are stored only by the window writer, one window at a time,
 * so no id can be stored between the two.
 */
async function copy({ sql, data, guard }: Extract<Request, { op: "copy" }>): Promise<boolean> {
  const database = opened();
  if (guard !== null && (await database.query(guard.sql, guard.params)).rows.length > 0) {
    return false;
  }
  await database.query(sql, [], { blob: new Blob(data) });
  return true;
}

/** Starts PGlite's transaction and answers once BEGIN ran (it may wait for another to end). */
async function begin(id: number): Promise<number> {
  let finish: (commit: boolean) => void = () => {};
  const decided = new Promise<boolean>((resolve) => {
    finish = resolve;
  });
  let entered: (tx: Transaction) => void = () => {};
  const inside = new Promise<Transaction>((resolve) => {
    entered = resolve;
  });
  const done = opened().transaction(async (tx) => {
    entered(tx);
    if (!(await decided)) await tx.rollback();
  });
  // BEGIN failing rejects `done` without the callback ever running.
  const tx = await Promise.race([inside, done.then(() => inside)]);
  transactions.set(id, { tx, finish, done });
  return id;
}

async function end(id: number, commit: boolean): Promise<null> {
  const open = transaction(id);
  transactions.delete(id);
  open.finish(commit);
  await open.done;
  return null;
}
