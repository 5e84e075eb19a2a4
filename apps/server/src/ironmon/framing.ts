/**
 * The IronMON tracker's framing: an ASCII decimal length, one space, then exactly that many bytes
 * of UTF-8 JSON, repeated. Reads split and coalesce frames anywhere, so a decoder keeps at most one
 * unfinished frame (header included) between reads: its buffer never holds more than
 * `maxFrameBytes` plus a header. A length that is not digits, too long, or over the bound is fatal
 * for the connection: after it nothing can be trusted to be a frame boundary.
 */

/** Why a connection's byte stream stopped being frames. */
export type FrameError = "bad_length" | "oversize";

export interface FrameDecoder {
  /**
   * The frames completed by this chunk, in order, and the error that ends the stream, if any. A
   * frame may be a view of `chunk`: read it before the socket's next read.
   */
  push(chunk: Uint8Array): { frames: Uint8Array[]; error: FrameError | null };
  /** Bytes held for the unfinished frame. */
  buffered(): number;
}

const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;

export function createFrameDecoder(options: { maxFrameBytes: number }): FrameDecoder {
  const { maxFrameBytes } = options;
  // Enough digits for the largest allowed length and one more, so "oversize" is told apart from
  // a header that is just garbage.
  const maxDigits = String(maxFrameBytes).length + 1;
  let pending: Uint8Array = new Uint8Array(0);
  let failed: FrameError | null = null;

  const parse = (bytes: Uint8Array) => {
    const frames: Uint8Array[] = [];
    let at = 0;
    while (at < bytes.length) {
      let length = 0;
      let cursor = at;
      for (; cursor < bytes.length && cursor - at <= maxDigits; cursor++) {
        const byte = bytes[cursor] as number;
        if (byte === SPACE) break;
        if (byte < ZERO || byte > NINE) return { frames, rest: at, error: "bad_length" as const };
        length = length * 10 + (byte - ZERO);
      }
      const digits = cursor - at;
      if (digits > maxDigits) return { frames, rest: at, error: "oversize" as const };
      if (cursor >= bytes.length) break; // the header is not complete yet
      if (digits === 0) return { frames, rest: at, error: "bad_length" as const };
      if (length > maxFrameBytes) return { frames, rest: at, error: "oversize" as const };
      const start = cursor + 1;
      if (bytes.length - start < length) break;
      frames.push(bytes.subarray(start, start + length));
      at = start + length;
    }
    return { frames, rest: at, error: null };
  };

  return {
    push(chunk) {
      if (failed !== null) return { frames: [], error: failed };
      const bytes = pending.length === 0 ? chunk : concat(pending, chunk);
      const { frames, rest, error } = parse(bytes);
      failed = error;
      // Copy what is kept: `chunk` is the socket's buffer, reused after this returns.
      pending = error === null ? bytes.slice(rest) : new Uint8Array(0);
      return { frames, error };
    },
    buffered: () => pending.length,
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
