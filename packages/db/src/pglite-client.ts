/**
 * The hub's side of the PGlite thread: `PgliteThread` starts the worker (`pglite-thread.ts`) and
 * offers what drizzle's PGlite session calls on a client — `query(sql, params, {rowMode})` and
 * `transaction(fn)` with a `query` inside — so `drizzle-orm/pglite` runs unchanged on this thread
 * while every statement runs on the other. Errors come back with their name, message, SQLSTATE
 * `code` and other fields. If the thread dies every call waiting on it rejects, and so does every
 * later one (`PgliteThreadError`, code 08006); `close()` closes PGlite, then ends the thread.
 */
import { dirname, join } from "node:path";
import type { Results } from "@electric-sql/pglite";
import {
  type CopyGuard,
  type PgliteArtifacts,
  PgliteThreadError,
  type Reply,
  type Request,
  type RowMode,
  receiveError,
  THREAD_BUSY,
  THREAD_CLOSED,
  THREAD_EXITED,
} from "./pglite-wire";

/** Calls waiting on the thread at once; past it a call is refused (and counted) at once. */
export const MAX_PENDING_CALLS = 1024;
/** How long `close()` lets PGlite close before the thread is ended regardless. */
const CLOSE_TIMEOUT_MS = 5_000;

const THREAD_URL = new URL("./pglite-thread.ts", import.meta.url).href;

/** What runs inside `transaction(fn)`: drizzle's nested savepoints are plain queries on it. */
export interface PgliteTransaction {
  query<T>(sql: string, params?: unknown[], options?: { rowMode?: RowMode }): Promise<Results<T>>;
}

type Call = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class PgliteThread implements PgliteTransaction {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #lastId = 0;
  /** Why calls are refused from now on: the thread exited, or close() began. */
  #stopped: PgliteThreadError | null = null;
  #closing: Promise<void> | null = null;
  /** Replies received and not yet settled: at most one per pending call. */
  #replies: Reply[] = [];
  #settling: ReturnType<typeof setImmediate> | null = null;
  #running = true;
  #exited: () => void = () => {};
  readonly #exit = new Promise<void>((resolve) => {
    this.#exited = resolve;
  });
  /** Calls refused because `MAX_PENDING_CALLS` were waiting. */
  refused = 0;

  constructor() {
    this.#worker = new Worker(THREAD_URL);
    this.#worker.addEventListener("message", (event: MessageEvent<Reply>) => {
      // Settled from an immediate, not inside the message event: Bun's test matchers
      // (`expect(p).rejects`) otherwise never see a later reply (oven-sh/bun#37189, #43819).
      this.#replies.push(event.data);
      this.#settling ??= setImmediate(this.#settle);
    });
    this.#worker.addEventListener("error", (event) => {
      // An error nothing in the thread caught: it is in an unknown state, so it is ended.
      this.#fail(`the PGlite thread failed: ${event.message}`);
      this.#worker.terminate();
    });
    this.#worker.addEventListener("close", () => {
      this.#running = false;
      this.#fail("the PGlite thread exited");
      this.#exited();
    });
  }

  /** Opens PGlite in `directory` on the thread and applies the migrations in `migrationsFolder`. */
  async open(directory: string, migrationsFolder: string): Promise<void> {
    const artifacts = await pgliteArtifacts();
    await this.#call({ op: "open", directory, migrationsFolder, artifacts });
  }

  /** Calls waiting on the thread now. */
  get pending(): number {
    return this.#pending.size;
  }

  /** False once the thread has exited (after `close()`, or when it died). */
  get running(): boolean {
    return this.#running;
  }

  query<T>(sql: string, params: unknown[] = [], options?: { rowMode?: RowMode }) {
    return this.#call({
      op: "query",
      tx: null,
      sql,
      params,
      rowMode: options?.rowMode ?? "object",
    }) as Promise<Results<T>>;
  }

  /**
   * Runs `COPY … FROM '/dev/blob'` with `data` (its chunks, in order) as the blob, committed as it
   * ends, unless the `guard` query answers a row first; answers whether it copied.
   *
   * The chunks' memory is handed to the thread, not copied: once sent, their buffers are detached
   * here (empty), so each chunk must own its `ArrayBuffer` whole and the caller must not read it
   * again. Copying was the hub's costliest step at PGlite's capacity: `postMessage` cloned a
   * 1.4 MB window chunk by chunk on the hub's thread (docs/DATABASE.md).
   */
  copy(sql: string, data: Uint8Array[], guard: CopyGuard | null = null): Promise<boolean> {
    const buffers = new Set<ArrayBuffer>();
    for (const chunk of data) buffers.add(chunk.buffer as ArrayBuffer);
    return this.#call({ op: "copy", sql, data, guard }, false, [...buffers]) as Promise<boolean>;
  }

  /** Runs `fn` in one transaction on the thread: committed if it returns, rolled back if it throws. */
  async transaction<T>(fn: (tx: PgliteTransaction) => Promise<T>): Promise<T> {
    const tx = (await this.#call({ op: "begin" })) as number;
    const inside: PgliteTransaction = {
      query: <R>(sql: string, params: unknown[] = [], options?: { rowMode?: RowMode }) =>
        this.#call({
          op: "query",
          tx,
          sql,
          params,
          rowMode: options?.rowMode ?? "object",
        }) as Promise<Results<R>>,
    };
    let result: T;
    try {
      result = await fn(inside);
    } catch (err) {
      // The caller's error is the one worth seeing; a dead thread rolled back anyway.
      await this.#call({ op: "end", tx, commit: false }, true).catch(() => {});
      throw err;
    }
    await this.#call({ op: "end", tx, commit: true }, true);
    return result;
  }

  /** Closes PGlite on the thread, then ends the thread; later calls reject. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Ends the thread at once, PGlite unclosed, as a crash would: waiting calls reject. */
  async terminate(): Promise<void> {
    this.#worker.terminate();
    await this.#exit;
  }

  async #close(): Promise<void> {
    if (this.#stopped === null) {
      const closed = this.#send({ op: "close" });
      this.#stopped = new PgliteThreadError(THREAD_CLOSED, "the database is closed");
      let timer: Timer | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      });
      // PGlite that cannot close (the thread died meanwhile, or a statement never ends) still
      // has its thread ended: nothing is left running either way.
      await Promise.race([closed.catch(() => {}), timeout]).finally(() => clearTimeout(timer));
    }
    this.#worker.terminate();
    await this.#exit;
  }

  /**
   * Sends `call` unless the thread is stopped or too many calls wait. A transaction's `end` is
   * never refused for the bound (`always`): the transaction holds PGlite's lock until it ends.
   */
  #call(call: Call, always = false, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.#stopped !== null) {
      return Promise.reject(new PgliteThreadError(this.#stopped.code, this.#stopped.message));
    }
    if (!always && this.#pending.size >= MAX_PENDING_CALLS) {
      this.refused++;
      return Promise.reject(
        new PgliteThreadError(
          THREAD_BUSY,
          `${MAX_PENDING_CALLS} calls are already waiting on the PGlite thread`,
        ),
      );
    }
    return this.#send(call, transfer);
  }

  /** Sends `call`; the memory of the buffers in `transfer` goes with it, and is detached here. */
  #send(call: Call, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const id = ++this.#lastId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...call, id } as Request, transfer);
    });
  }

  readonly #settle = (): void => {
    this.#settling = null;
    const replies = this.#replies;
    this.#replies = [];
    for (const reply of replies) {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) continue;
      this.#pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(receiveError(reply.error));
    }
  };

  /** Refuses every waiting and later call: with `reason`, unless close() gave one first. */
  #fail(reason: string): void {
    this.#stopped ??= new PgliteThreadError(THREAD_EXITED, reason);
    const stopped = this.#stopped;
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of waiting) call.reject(new PgliteThreadError(stopped.code, stopped.message));
  }
}

let artifacts: Promise<PgliteArtifacts | null> | null = null;

/**
 * PGlite's WASM compiled once per process (off this thread: `WebAssembly.compile` is async) and
 * its file bundle read once, handed to every thread: each would otherwise compile its own, which
 * is most of the time a test database takes to open. Null if they cannot be read: PGlite then
 * loads them itself.
 */
function pgliteArtifacts(): Promise<PgliteArtifacts | null> {
  artifacts ??= (async () => {
    const dist = dirname(Bun.resolveSync("@electric-sql/pglite", import.meta.dir));
    const [wasm, bundle] = await Promise.all([
      Bun.file(join(dist, "pglite.wasm"))
        .arrayBuffer()
        .then((bytes) => WebAssembly.compile(bytes)),
      Bun.file(join(dist, "pglite.data"))
        .arrayBuffer()
        .then((bytes) => new Blob([bytes])),
    ]);
    return { wasm, bundle };
  })().catch(() => null);
  return artifacts;
}
