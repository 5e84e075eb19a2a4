/**
 * A window of events as COPY's text format, in the column order `COPY_COLUMNS` names, encoded
 * straight into chunks of UTF-8: what both engines' window writers send (`./event-window`).
 */
import type { NewEvent } from "./events";

/** The columns in COPY order. */
export const COPY_COLUMNS =
  "id, seq, type, source, ts, received_at, correlation_id, user_id, user_login, data";
/** What COPY's text format reads as special inside a value. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const NULL = "\\N";

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
/** The most bytes of UTF-8 one UTF-16 unit of a string becomes (a pair of them, 4). */
const MAX_UNIT_BYTES = 3;
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
  // Each chunk owns its memory (never a slice of a shared pool): PGlite's thread takes it whole.
  let chunk = Buffer.allocUnsafeSlow(chunkBytes);
  let used = 0;
  const next = () => {
    chunks.push(chunk.subarray(0, used));
    chunk = Buffer.allocUnsafeSlow(chunkBytes);
    used = 0;
  };
  const put = (text: string) => {
    // Room for the text whatever its characters (a UTF-16 unit is at most 3 bytes of UTF-8):
    // written whole by Buffer's native encoder, which halved this function's time in the hub
    // against `encodeInto` into a fresh view (docs/DATABASE.md). Only text that may not fit goes
    // character by character to the chunk's end.
    if (text.length * MAX_UNIT_BYTES <= chunkBytes - used) {
      used += chunk.write(text, used);
      return;
    }
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
