/**
 * The batcher: events wait at most one window (50 ms) and go to the store together, one write per
 * window of at most `maxWindow` events. A critical event flushes at once, taking along whatever was
 * pending before it, so order is never broken. Producers are answered only after their window is
 * committed, and only then is the window handed on for fan-out. Pending events are bounded in
 * number and in bytes: past `maxPending` or `maxPendingBytes` a submission is refused whole with
 * `BackpressureError`, and counted. When the store refuses a window for its content, the window
 * is bisected by submission until the refused ones are found: only they are answered with the
 * error, and the others are committed in order. Seqs are handed out per attempt, and a refused
 * attempt gives its seqs back, so a refused event never takes a seq and committed seqs stay
 * contiguous from window to window.
 */
import type { NewEvent, StoredId } from "@landale/db";
import { type Scheduler, systemScheduler } from "../scheduler";
import { BackpressureError, StoppedError, StoreRefusedError } from "./refusals";

export interface PendingEvent extends Omit<NewEvent, "seq"> {
  critical: boolean;
  /** The event's JSON length as validation measured it: what the pending bound in bytes counts. */
  bytes: number;
}

/** A committed event as fan-out sees it. */
export type CommittedEvent = NewEvent;

export interface WindowStore {
  /**
   * Commits a window atomically; answers each event's stored seq in input order. Throws
   * `StoreRefusedError` when the database refuses the window for its content: then nothing of
   * it is stored.
   */
  write(window: NewEvent[]): Promise<StoredId[]>;
}

export interface BatcherOptions {
  store: WindowStore;
  /** Called after each commit with the newly stored events, in seq order. */
  onCommit: (events: CommittedEvent[]) => void;
  /** The seq of the last stored event; the next gets `lastSeq + 1`. */
  lastSeq: number;
  windowMs?: number;
  maxWindow?: number;
  maxPending?: number;
  /** Bound on the pending events' approximate size (their JSON length, from validation). */
  maxPendingBytes?: number;
  scheduler?: Scheduler;
  onError?: (err: unknown, windowSize: number) => void;
}

export const BATCHER_DEFAULTS = {
  windowMs: 50,
  maxWindow: 1000,
  // About 12 windows of 1.4 KB chat events: the bytes bind first, the count only for small events.
  // Parsed, a pending event holds about 3× its JSON length of heap (docs/BENCHMARKS.md).
  maxPending: 20_000,
  maxPendingBytes: 16 * 1024 * 1024,
} as const;

export interface BatcherStats {
  pending: number;
  lastSeq: number;
  windows: number;
  committed: number;
  duplicates: number;
  /** Approximate bytes of the pending events. */
  pendingBytes: number;
  /** Events refused because pending was at its bound (in events or in bytes). */
  refusedBackpressure: number;
  /** Events the store refused for their content (answered with `StoreRefusedError`). */
  refusedStore: number;
  /** Windows that failed whole (the store threw something other than a refusal). */
  failedWindows: number;
}

interface Submission {
  results: StoredId[];
  remaining: number;
  resolve: (results: StoredId[]) => void;
  reject: (err: unknown) => void;
}

interface Entry {
  event: PendingEvent;
  submission: Submission;
  index: number;
  arrivedAt: number;
}

export class Batcher {
  readonly #store: WindowStore;
  readonly #onCommit: (events: CommittedEvent[]) => void;
  readonly #onError: (err: unknown, windowSize: number) => void;
  readonly #windowMs: number;
  readonly #maxWindow: number;
  readonly #maxPending: number;
  readonly #maxPendingBytes: number;
  readonly #scheduler: Scheduler;
  #queue: Entry[] = [];
  #pendingBytes = 0;
  #criticalPending = 0;
  #timer: unknown = null;
  #flushing: Promise<void> | null = null;
  #stopping = false;
  #lastSeq: number;
  #stats = {
    windows: 0,
    committed: 0,
    duplicates: 0,
    refusedBackpressure: 0,
    refusedStore: 0,
    failedWindows: 0,
  };

  constructor(options: BatcherOptions) {
    this.#store = options.store;
    this.#onCommit = options.onCommit;
    this.#onError = options.onError ?? (() => {});
    this.#windowMs = options.windowMs ?? BATCHER_DEFAULTS.windowMs;
    this.#maxWindow = options.maxWindow ?? BATCHER_DEFAULTS.maxWindow;
    this.#maxPending = options.maxPending ?? BATCHER_DEFAULTS.maxPending;
    this.#maxPendingBytes = options.maxPendingBytes ?? BATCHER_DEFAULTS.maxPendingBytes;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#lastSeq = options.lastSeq;
  }

  /** Queues events (all or none) and resolves with their stored ids once committed. */
  submit(events: PendingEvent[]): Promise<StoredId[]> {
    if (this.#stopping) return Promise.reject(new StoppedError());
    if (events.length === 0) return Promise.resolve([]);
    if (this.#queue.length + events.length > this.#maxPending) {
      this.#stats.refusedBackpressure += events.length;
      return Promise.reject(new BackpressureError(this.#queue.length, this.#maxPending));
    }
    const bytes = events.reduce((sum, event) => sum + event.bytes, 0);
    if (this.#pendingBytes + bytes > this.#maxPendingBytes) {
      this.#stats.refusedBackpressure += events.length;
      return Promise.reject(
        new BackpressureError(this.#pendingBytes, this.#maxPendingBytes, "bytes"),
      );
    }
    this.#pendingBytes += bytes;
    const arrivedAt = this.#scheduler.now();
    const promise = new Promise<StoredId[]>((resolve, reject) => {
      const submission: Submission = {
        results: new Array(events.length),
        remaining: events.length,
        resolve,
        reject,
      };
      events.forEach((event, index) => {
        this.#queue.push({ event, submission, index, arrivedAt });
        if (event.critical) this.#criticalPending++;
      });
    });
    this.#schedule();
    return promise;
  }

  /** Commits everything pending, then resolves. */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#flushing !== null) {
      if (this.#flushing === null) this.#startFlush();
      await this.#flushing;
    }
  }

  /** Refuses new events, commits what is pending, and releases the window timer. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#clearTimer();
    await this.flush();
  }

  /** Approximate bytes of the pending events (their JSON length). */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  stats(): BatcherStats {
    return {
      pending: this.#queue.length,
      pendingBytes: this.#pendingBytes,
      lastSeq: this.#lastSeq,
      ...this.#stats,
    };
  }

  #schedule(): void {
    if (this.#flushing !== null || this.#queue.length === 0) return;
    if (this.#criticalPending > 0 || this.#queue.length >= this.#maxWindow || this.#stopping) {
      this.#startFlush();
      return;
    }
    if (this.#timer !== null) return;
    // The window opened when its oldest event arrived, even if that was during the last write.
    const waited = this.#scheduler.now() - (this.#queue[0]?.arrivedAt ?? 0);
    this.#timer = this.#scheduler.setTimeout(
      () => {
        this.#timer = null;
        if (this.#flushing === null) this.#startFlush();
      },
      Math.max(0, this.#windowMs - waited),
    );
  }

  #startFlush(): void {
    this.#clearTimer();
    this.#flushing = this.#writeWindow().finally(() => {
      this.#flushing = null;
      this.#schedule();
    });
  }

  #clearTimer(): void {
    if (this.#timer === null) return;
    this.#scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #writeWindow(): Promise<void> {
    const entries = this.#queue.splice(0, this.#maxWindow);
    if (entries.length === 0) return;
    for (const entry of entries) {
      if (entry.event.critical) this.#criticalPending--;
      this.#pendingBytes -= entry.event.bytes;
    }
    await this.#commit(entries);
  }

  /**
   * Writes `entries` as one window and answers them. A refusal for content splits the window in
   * two by submission and tries each half, down to a single submission, which alone is refused.
   */
  async #commit(entries: Entry[]): Promise<void> {
    const firstSeq = this.#lastSeq + 1;
    // One row per id: a repeated id within a window shares the first one's result.
    const firstOf = new Map<string, number>();
    const window: NewEvent[] = [];
    const rowOf = entries.map((entry) => {
      const known = firstOf.get(entry.event.id);
      if (known !== undefined) return known;
      const { critical: _critical, bytes: _bytes, ...event } = entry.event;
      window.push({ ...event, seq: ++this.#lastSeq });
      firstOf.set(event.id, window.length - 1);
      return window.length - 1;
    });

    let stored: StoredId[];
    try {
      stored = await this.#store.write(window);
    } catch (err) {
      if (err instanceof StoreRefusedError) {
        // Nothing of the window was stored: its seqs go back, for the halves or the next window.
        this.#lastSeq = firstSeq - 1;
        const halves = splitBySubmission(entries);
        if (halves !== null) {
          await this.#commit(halves[0]);
          await this.#commit(halves[1]);
          return;
        }
        this.#stats.refusedStore += entries.length;
      } else {
        this.#stats.failedWindows++;
      }
      this.#onError(err, window.length);
      for (const entry of entries) entry.submission.reject(err);
      return;
    }

    this.#stats.windows++;
    entries.forEach((entry, position) => {
      const result = stored[rowOf[position] ?? -1];
      if (result === undefined) return;
      const submission = entry.submission;
      submission.results[entry.index] = result;
      if (--submission.remaining === 0) submission.resolve(submission.results);
    });
    const fresh = window.filter((_, row) => stored[row]?.inserted === true);
    this.#stats.committed += fresh.length;
    this.#stats.duplicates += entries.length - fresh.length;
    if (fresh.length === 0) return;
    try {
      this.#onCommit(fresh);
    } catch (err) {
      this.#onError(err, fresh.length);
    }
  }
}

/**
 * Two halves of a window, cut only between submissions (a submission is all or nothing), or null
 * when it holds a single submission.
 */
function splitBySubmission(entries: Entry[]): [Entry[], Entry[]] | null {
  const starts: number[] = [];
  entries.forEach((entry, i) => {
    if (i === 0 || entries[i - 1]?.submission !== entry.submission) starts.push(i);
  });
  if (starts.length < 2) return null;
  const cut = starts[starts.length >> 1] ?? 0;
  return [entries.slice(0, cut), entries.slice(cut)];
}
