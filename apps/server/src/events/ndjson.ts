/**
 * Newline-delimited JSON files: read a chunk at a time (the spool can hold hundreds of megabytes,
 * and nothing may ever read it whole), and written whole or not at all.
 */
import { type FileHandle, open } from "node:fs/promises";

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

export interface Line {
  /** The line without its newline. */
  text: string;
  /** The byte offset just past its newline: where the next line starts. */
  end: number;
}

/**
 * The whole lines of `path` from byte `from`, in order, up to `until()` (asked again after each
 * chunk, so a reader follows a file that grows). A last line with no newline is not yielded.
 * A missing file has no lines.
 */
export async function* readLines(
  path: string,
  from = 0,
  until: () => number = () => Number.POSITIVE_INFINITY,
): AsyncGenerator<Line> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    // Bytes of a line that began in an earlier chunk; a line may span many.
    let carry: Buffer[] = [];
    let position = from;
    for (;;) {
      const limit = until();
      if (position >= limit) return;
      const want = Math.min(CHUNK_BYTES, limit - position);
      const { bytesRead } = await handle.read(chunk, 0, want, position);
      if (bytesRead === 0) return;
      let start = 0;
      for (let at = chunk.indexOf(NEWLINE, 0); at !== -1 && at < bytesRead; ) {
        const piece = chunk.subarray(start, at);
        const text =
          carry.length === 0
            ? piece.toString("utf8")
            : Buffer.concat([...carry, piece]).toString("utf8");
        carry = [];
        yield { text, end: position + at + 1 };
        start = at + 1;
        at = chunk.indexOf(NEWLINE, start);
      }
      if (start < bytesRead) carry.push(Buffer.from(chunk.subarray(start, bytesRead)));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Writes every byte of `data`. A write may take only part of it (a disk filling up takes what fits
 * and says so only by the count); the next write then fails with the reason, e.g. ENOSPC.
 */
export async function writeWhole(handle: FileHandle, data: Buffer): Promise<void> {
  for (let written = 0; written < data.byteLength; ) {
    const { bytesWritten } = await handle.write(data, written, data.byteLength - written);
    if (bytesWritten === 0) throw Object.assign(new Error("no byte written"), { code: "EIO" });
    written += bytesWritten;
  }
}
