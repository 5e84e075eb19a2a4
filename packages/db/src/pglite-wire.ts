/**
 * The messages between the hub's thread and the thread that owns PGlite (`pglite-thread.ts`),
 * and how an error crosses between them. Both sides are this package's code in one process, so
 * the messages are typed rather than parsed. Each request carries an id its reply repeats; a
 * transaction is the id of its `begin`, named by the queries and the `end` that belong to it.
 */

export type RowMode = "object" | "array";

export type Request =
  | {
      id: number;
      op: "open";
      directory: string;
      migrationsFolder: string;
      /** PGlite's compiled WASM and file bundle, when the hub's thread has them made already. */
      artifacts: PgliteArtifacts | null;
    }
  | { id: number; op: "query"; tx: number | null; sql: string; params: unknown[]; rowMode: RowMode }
  /**
   * `COPY … FROM '/dev/blob'` with `data` as the blob, on its own (not in a transaction), unless
   * `guard` (a query) answers a row: answers whether it copied.
   */
  | {
      id: number;
      op: "copy";
      sql: string;
      data: Uint8Array[];
      guard: CopyGuard | null;
    }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "close" };

/** A query run before a COPY: a row in its answer means the COPY is not run. */
export interface CopyGuard {
  sql: string;
  params: unknown[];
}

export interface PgliteArtifacts {
  wasm: WebAssembly.Module;
  bundle: Blob;
}

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SentError };

/** An error as it crosses the thread: functions and objects (PGlite's query options) stay behind. */
export interface SentError {
  name: string;
  message: string;
  /** Own string, number and boolean fields: `code` (SQLSTATE), `detail`, `hint`, `constraint`… */
  fields: Record<string, string | number | boolean>;
  cause: SentError | null;
}

/** Drizzle wraps a driver's error once; a longer chain than this is cut. */
const MAX_CAUSE_DEPTH = 5;

export function sendError(err: unknown, depth = 0): SentError {
  if (!(err instanceof Error)) {
    return { name: "Error", message: String(err), fields: {}, cause: null };
  }
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(err)) {
    if (key === "name" || key === "message" || key === "cause") continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      fields[key] = value;
    }
  }
  const cause =
    err.cause !== undefined && err.cause !== null && depth < MAX_CAUSE_DEPTH
      ? sendError(err.cause, depth + 1)
      : null;
  return { name: err.name, message: err.message, fields, cause };
}

/** The error again on the receiving side: same name, message, fields and cause chain. */
export function receiveError(sent: SentError): Error {
  const error =
    sent.cause === null
      ? new Error(sent.message)
      : new Error(sent.message, { cause: receiveError(sent.cause) });
  error.name = sent.name;
  return Object.assign(error, sent.fields);
}

/**
 * The PGlite thread cannot answer: it exited, was closed, or has too many calls waiting. The
 * codes are SQLSTATEs so callers classify it as they would a driver's error: class 08 (connection
 * exception) reads as "the database is away", class 53 as "out of resources".
 */
export class PgliteThreadError extends Error {
  override name = "PgliteThreadError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** connection_failure: the thread exited or failed. */
export const THREAD_EXITED = "08006";
/** connection_does_not_exist: the database was closed. */
export const THREAD_CLOSED = "08003";
/** insufficient_resources: too many calls are waiting on the thread. */
export const THREAD_BUSY = "53000";
