/**
 * The spool: an append-only file of windows the database could not take. Each window is one JSON
 * line, written and fsynced before its producers are answered, so an acknowledged event is always
 * in the database or here. A line torn by a crash mid-write was never acknowledged and is dropped
 * on open. The file is bounded in bytes; past the bound the store refuses new windows.
 */
import { mkdirSync } from "node:fs";
import { type FileHandle, open, readFile, truncate } from "node:fs/promises";
import { join } from "node:path";
import type { NewEvent } from "@landale/db";

export const SPOOL_FILE = "events.spool.ndjson";
export const DEFAULT_SPOOL_MAX_BYTES = 512 * 1024 * 1024;

export class SpoolFullError extends Error {
  constructor(limit: number) {
    super(`the event spool is full (${limit} bytes) while the database is unreachable`);
    this.name = "SpoolFullError";
  }
}

export class Spool {
  #handle: FileHandle | null = null;
  #bytes: number;
  #events: number;
  #maxSeq: number;

  private constructor(
    readonly path: string,
    readonly maxBytes: number,
    state: { bytes: number; events: number; maxSeq: number },
  ) {
    this.#bytes = state.bytes;
    this.#events = state.events;
    this.#maxSeq = state.maxSeq;
  }

  /** Opens the spool in `dir`, dropping a torn last line left by a crash. */
  static async open(dir: string, maxBytes = DEFAULT_SPOOL_MAX_BYTES): Promise<Spool> {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, SPOOL_FILE);
    const { windows, validBytes, totalBytes } = await readWindows(path);
    if (validBytes < totalBytes) await truncate(path, validBytes);
    let events = 0;
    let maxSeq = 0;
    for (const window of windows) {
      events += window.length;
      for (const event of window) maxSeq = Math.max(maxSeq, event.seq);
    }
    return new Spool(path, maxBytes, { bytes: validBytes, events, maxSeq });
  }

  /** Events waiting in the spool. */
  get depth(): number {
    return this.#events;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The highest seq ever spooled and not yet drained (0 when empty). */
  get maxSeq(): number {
    return this.#maxSeq;
  }

  /** Appends one window durably: resolves only after fsync. */
  async append(window: NewEvent[]): Promise<void> {
    const line = `${JSON.stringify(window)}\n`;
    const size = Buffer.byteLength(line);
    if (this.#bytes + size > this.maxBytes) throw new SpoolFullError(this.maxBytes);
    this.#handle ??= await open(this.path, "a");
    try {
      await this.#handle.write(line);
      await this.#handle.sync();
    } catch (err) {
      // A torn line would hide every window after it: cut the file back to its last whole line.
      await this.close().catch(() => {});
      await truncate(this.path, this.#bytes).catch(() => {});
      throw err;
    }
    this.#bytes += size;
    this.#events += window.length;
    for (const event of window) this.#maxSeq = Math.max(this.#maxSeq, event.seq);
  }

  /** Every spooled window, oldest first. */
  async windows(): Promise<NewEvent[][]> {
    return (await readWindows(this.path)).windows;
  }

  /** Empties the spool once every window in it is in the database. */
  async clear(): Promise<void> {
    await this.close();
    await truncate(this.path, 0);
    this.#bytes = 0;
    this.#events = 0;
    this.#maxSeq = 0;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }
}

async function readWindows(
  path: string,
): Promise<{ windows: NewEvent[][]; validBytes: number; totalBytes: number }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      return { windows: [], validBytes: 0, totalBytes: 0 };
    throw err;
  }
  const windows: NewEvent[][] = [];
  let validBytes = 0;
  let start = 0;
  for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
    const line = text.slice(start, end);
    try {
      windows.push(JSON.parse(line) as NewEvent[]);
    } catch {
      break;
    }
    validBytes += Buffer.byteLength(line) + 1;
    start = end + 1;
  }
  return { windows, validBytes, totalBytes: Buffer.byteLength(text) };
}
