/** The batcher's answers to producers and fan-out, as windows settle, and the count of each. */
import type { StoredId } from "@landale/db";
import {
  answer,
  type BatcherStats,
  type CommittedEvent,
  type Entry,
  type Numbered,
} from "./batch-window";

/** What became of the events submitted: the counters of `BatcherStats`. */
export type AnswerCounts = Pick<
  BatcherStats,
  "windows" | "committed" | "duplicates" | "refusedBackpressure" | "refusedStore" | "failedWindows"
>;

export class WindowAnswers {
  readonly #onCommit: (events: CommittedEvent[]) => void;
  readonly #onError: (err: unknown, windowSize: number) => void;
  readonly #counts: AnswerCounts = {
    windows: 0,
    committed: 0,
    duplicates: 0,
    refusedBackpressure: 0,
    refusedStore: 0,
    failedWindows: 0,
  };

  constructor(
    onCommit: (events: CommittedEvent[]) => void,
    onError: (err: unknown, windowSize: number) => void,
  ) {
    this.#onCommit = onCommit;
    this.#onError = onError;
  }

  counts(): Readonly<AnswerCounts> {
    return this.#counts;
  }

  /** A submission was refused whole, past the pending bound: counts its events. */
  overflowed(events: number): void {
    this.#counts.refusedBackpressure += events;
  }

  /** Answers a committed window's producers, then hands its new events on. */
  committed(entries: Entry[], numbered: Numbered, stored: StoredId[]): void {
    this.#counts.windows++;
    const fresh = answer(entries, numbered, stored);
    this.#counts.committed += fresh.length;
    this.#counts.duplicates += entries.length - fresh.length;
    if (fresh.length === 0) return;
    try {
      this.#onCommit(fresh);
    } catch (err) {
      this.#onError(err, fresh.length);
    }
  }

  /** Answers every entry of a window that failed whole (not refused) with `err`, and counts it. */
  failed(entries: Entry[], size: number, err: unknown): void {
    this.#counts.failedWindows++;
    this.#reject(entries, size, err);
  }

  /** Answers the entries the store refused for their content with `err`, and counts them. */
  refused(entries: Entry[], size: number, err: unknown): void {
    this.#counts.refusedStore += entries.length;
    this.#reject(entries, size, err);
  }

  #reject(entries: Entry[], size: number, err: unknown): void {
    this.#onError(err, size);
    for (const entry of entries) entry.submission.reject(err);
  }
}
