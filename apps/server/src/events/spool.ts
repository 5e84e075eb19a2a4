/**
 * The spool: an append-only file of windows the database could not take. Each window is one JSON
 * line, written and fsynced before its producers are answered, so an acknowledged event is always
 * in the database or here. A line torn by a crash mid-write was never acknowledged and is dropped
 * on open. The file is read a chunk at a time, never whole, and the drain remembers how far it
 * got (`drainedBytes`), so a drain cut short resumes where it stopped. Appends never wait for a
 * drain: only appends and the final emptying share a lock. The file is bounded in bytes; past the
 * bound the store refuses new windows.
 */
import { mkdirSync } from "node:fs";
import { type FileHandle, open, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import type { NewEvent } from "@landale/db";
import { readLines, writeWhole } from "./ndjson";
import { Serial } from "./serial";

export const SPOOL_FILE = "events.spool.ndjson";
export const DEFAULT_SPOOL_MAX_BYTES = 512 * 1024 * 1024;

export class SpoolFullError extends Error {
  constructor(limit: number) {
    super(`the event spool is full (${limit} bytes) while the database is unreachable`);
    this.name = "SpoolFullError";
  }
}

/** The disk holding the spool has no room (ENOSPC, EDQUOT): the window was not acknowledged. */
export class SpoolDiskFullError extends Error {
  constructor(code: string, cause: unknown) {
    super(`the disk holding the event spool is full (${code}); free space in LANDALE_DATA_DIR`, {
      cause,
    });
    this.name = "SpoolDiskFullError";
  }
}

const DISK_FULL_CODES = new Set(["ENOSPC", "EDQUOT"]);

/** One spooled window and the byte offset just past its line. */
export interface SpooledWindow {
  events: NewEvent[];
  end: number;
}

export class Spool {
  #handle: FileHandle | null = null;
  /** Bytes of whole lines in the file. */
  #bytes: number;
  /** Events in lines not yet drained. */
  #events: number;
  #maxSeq: number;
  /** Lines before this offset are in the database. */
  #drainedBytes = 0;
  readonly #serial = new Serial();

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
    let validBytes = 0;
    let events = 0;
    let maxSeq = 0;
    for await (const line of readLines(path)) {
      let window: NewEvent[];
      try {
        window = JSON.parse(line.text) as NewEvent[];
      } catch {
        break;
      }
      events += window.length;
      for (const event of window) maxSeq = Math.max(maxSeq, event.seq);
      validBytes = line.end;
    }
    const size = await fileSize(path);
    if (validBytes < size) await truncate(path, validBytes);
    return new Spool(path, maxBytes, { bytes: validBytes, events, maxSeq });
  }

  /** Events waiting in the spool (spooled and not yet drained). */
  get depth(): number {
    return this.#events;
  }

  /** Bytes the spool file holds (drained lines included, until it is emptied). */
  get bytes(): number {
    return this.#bytes;
  }

  /** How far the drain got: every line before this offset is in the database. */
  get drainedBytes(): number {
    return this.#drainedBytes;
  }

  /** The highest seq spooled since the spool was last empty (0 when empty). */
  get maxSeq(): number {
    return this.#maxSeq;
  }

  /** Appends one window durably: resolves only after fsync. */
  append(window: NewEvent[]): Promise<void> {
    return this.#serial.run(async () => {
      const line = Buffer.from(`${JSON.stringify(window.map(asSpooled))}\n`);
      const size = line.byteLength;
      if (this.#bytes + size > this.maxBytes) throw new SpoolFullError(this.maxBytes);
      this.#handle ??= await open(this.path, "a");
      try {
        await writeWhole(this.#handle, line);
        await this.#handle.sync();
      } catch (err) {
        // A torn line would hide every window after it: cut the file back to its last whole line.
        await this.#closeHandle().catch(() => {});
        await truncate(this.path, this.#bytes).catch(() => {});
        const code = (err as NodeJS.ErrnoException).code;
        throw code !== undefined && DISK_FULL_CODES.has(code)
          ? new SpoolDiskFullError(code, err)
          : err;
      }
      this.#bytes += size;
      this.#events += window.length;
      for (const event of window) this.#maxSeq = Math.max(this.#maxSeq, event.seq);
    });
  }

  /**
   * The windows not yet drained, oldest first, read a chunk at a time; follows appends made
   * while it reads. Mark each with `drained()` once it is in the database.
   */
  async *undrained(): AsyncGenerator<SpooledWindow> {
    for await (const line of readLines(this.path, this.#drainedBytes, () => this.#bytes)) {
      yield { events: JSON.parse(line.text) as NewEvent[], end: line.end };
    }
  }

  /** Records that a window (read by `undrained()`) is in the database. */
  drained(window: SpooledWindow): void {
    this.#drainedBytes = window.end;
    this.#events -= window.events.length;
  }

  /**
   * Empties the file if every line in it is drained, under the append lock so no append can
   * slip in between; false if windows were appended since.
   */
  clearIfDrained(): Promise<boolean> {
    return this.#serial.run(async () => {
      if (this.#drainedBytes < this.#bytes) return false;
      await this.#closeHandle();
      await truncate(this.path, 0).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "ENOENT") throw err;
      });
      this.#bytes = 0;
      this.#drainedBytes = 0;
      this.#events = 0;
      this.#maxSeq = 0;
      return true;
    });
  }

  close(): Promise<void> {
    return this.#serial.run(() => this.#closeHandle());
  }

  async #closeHandle(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
}

/**
 * An event as the spool keeps it: `data` once, not also as the JSON ingest made of it, and
 * without the writer's hint `madeId` (a spooled window is written by the conflict-aware
 * statement, and the quarantine shows what the spool kept).
 */
export function asSpooled({ dataJson: _json, madeId: _made, ...event }: NewEvent): NewEvent {
  return event;
}
