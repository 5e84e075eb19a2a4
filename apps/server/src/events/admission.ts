/**
 * Admission by bytes, before a body is read: an ingest request reserves its declared size against
 * one budget that also counts the batcher's pending bytes, and is refused unread past it. Refusing
 * after reading would be too late: under overload the bodies read, parsed and validated only to be
 * refused, and the objects they become, are what grows the heap. A channel push, read with its
 * frame already, reserves its frame's length the same way while it waits to be validated. A
 * reservation is released once its events are submitted (they are pending bytes from then on) or
 * refused.
 */

export interface Reservation {
  /** Gives the bytes back; calling it again does nothing. */
  release(): void;
}

export interface AdmissionStats {
  /** Bytes reserved by requests being read, parsed or validated (HTTP bodies, channel pushes). */
  readingBytes: number;
  /** Requests refused unread (pushes unvalidated) because they would have passed the budget. */
  refused: number;
}

export class ByteAdmission {
  readonly #budget: number;
  readonly #pendingBytes: () => number;
  #readingBytes = 0;
  #refused = 0;

  /** `pendingBytes` reads the bytes of events already waiting for their window. */
  constructor(budget: number, pendingBytes: () => number) {
    this.#budget = budget;
    this.#pendingBytes = pendingBytes;
  }

  /**
   * Reserves `bytes` (a body's declared size), or answers null, counted, when that would take what
   * is being read plus what is pending past the budget.
   */
  reserve(bytes: number): Reservation | null {
    if (this.#readingBytes + this.#pendingBytes() + bytes > this.#budget) {
      this.#refused++;
      return null;
    }
    this.#readingBytes += bytes;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.#readingBytes -= bytes;
      },
    };
  }

  stats(): AdmissionStats {
    return { readingBytes: this.#readingBytes, refused: this.#refused };
  }
}
