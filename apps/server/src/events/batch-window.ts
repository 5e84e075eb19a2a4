/**
 * The batcher's windows as data: entries waiting or in flight, numbering a window (one row per id),
 * answering its producers, and cutting it between submissions when the database refuses it.
 */
import type { NewEvent, StoredId } from "@landale/db";
import type { Scheduler } from "../scheduler";

export interface PendingEvent extends Omit<NewEvent, "seq"> {
  critical: boolean;
  /** The event's JSON length as validation measured it: what the pending bound in bytes counts. */
  bytes: number;
  // `madeId` (from `NewEvent`): no producer can send a made id again while its window is in
  // flight, so the batcher need not keep track of it (see `Batcher`).
}

/** A committed event as fan-out sees it. */
export type CommittedEvent = NewEvent;

export interface WindowStore {
  /**
   * Commits a window atomically, after the window before it; answers each event's stored seq in
   * input order. `previous` settles once the window before is settled: false when this one must
   * not follow it (then nothing of this one is stored and `SupersededError` is thrown). Throws
   * `StoreRefusedError` when the database refuses the window for its content: then nothing of
   * it is stored.
   */
  write(window: NewEvent[], previous?: Promise<boolean>): Promise<StoredId[]>;
}

export interface BatcherOptions {
  store: WindowStore;
  /** Called after each commit with the newly stored events, in seq order. */
  onCommit: (events: CommittedEvent[]) => void;
  /** The seq of the last stored event; the next gets `lastSeq + 1`. */
  lastSeq: number;
  windowMs?: number;
  maxWindow?: number;
  /** Windows written at once (the next while the last commits). */
  maxInFlight?: number;
  maxPending?: number;
  /** Bound on the pending events' approximate size (their JSON length, from validation). */
  maxPendingBytes?: number;
  scheduler?: Scheduler;
  onError?: (err: unknown, windowSize: number) => void;
}

export const BATCHER_DEFAULTS = {
  windowMs: 50,
  maxWindow: 1000,
  // Two windows copying while one commits: docs/DATABASE.md has the measurement.
  maxInFlight: 3,
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

export interface Submission {
  results: StoredId[];
  remaining: number;
  resolve: (results: StoredId[]) => void;
  reject: (err: unknown) => void;
}

export interface Entry {
  event: PendingEvent;
  submission: Submission;
  index: number;
  arrivedAt: number;
}

/** A window given to the store and not yet answered. */
export interface Flight {
  entries: Entry[];
  /** The seq before the window's first. */
  seqBefore: number;
  numbered: Numbered;
  outcome: Promise<{ stored: StoredId[] } | { err: unknown }>;
  /** Set when a refusal before it sends its events back to the queue. */
  returned: boolean;
}

/** A window's rows, one per id, and the row each entry maps to. */
export interface Numbered {
  window: NewEvent[];
  rowOf: number[];
}

/** Numbers the entries from `lastSeq + 1`; a repeated id shares its first row. */
export function numberEntries(entries: readonly Entry[], lastSeq: number): Numbered {
  // Only an id a producer gave can come twice.
  const firstOf = new Map<string, number>();
  const window: NewEvent[] = [];
  const rowOf = entries.map(({ event }) => {
    if (event.madeId !== true) {
      const known = firstOf.get(event.id);
      if (known !== undefined) return known;
      firstOf.set(event.id, window.length);
    }
    window.push(toRow(event, lastSeq + window.length + 1));
    return window.length - 1;
  });
  return { window, rowOf };
}

/**
 * The row of a pending event, without the batcher's own fields. Made field by field, which costs
 * less than a rest-and-spread copy; the type makes a column added to `NewEvent` an error here
 * until it is copied too.
 */
function toRow(event: PendingEvent, seq: number): NewEvent {
  const row: { [K in keyof Required<NewEvent>]: NewEvent[K] } = {
    id: event.id,
    seq,
    type: event.type,
    source: event.source,
    ts: event.ts,
    receivedAt: event.receivedAt,
    correlationId: event.correlationId,
    userId: event.userId,
    userLogin: event.userLogin,
    data: event.data,
    dataJson: event.dataJson,
    madeId: event.madeId,
  };
  return row;
}

/** Gives each entry its stored id, resolving submissions that are complete; returns the new rows. */
export function answer(
  entries: readonly Entry[],
  { window, rowOf }: Numbered,
  stored: StoredId[],
): NewEvent[] {
  entries.forEach((entry, position) => {
    const result = stored[rowOf[position] ?? -1];
    if (result === undefined) return;
    const submission = entry.submission;
    submission.results[entry.index] = result;
    if (--submission.remaining === 0) submission.resolve(submission.results);
  });
  return window.filter((_, row) => stored[row]?.inserted === true);
}

/**
 * Two halves of a window, cut only between submissions (a submission is all or nothing), or null
 * when it holds a single submission.
 */
export function splitBySubmission(entries: Entry[]): [Entry[], Entry[]] | null {
  const starts: number[] = [];
  entries.forEach((entry, i) => {
    if (i === 0 || entries[i - 1]?.submission !== entry.submission) starts.push(i);
  });
  if (starts.length < 2) return null;
  const cut = starts[starts.length >> 1] ?? 0;
  return [entries.slice(0, cut), entries.slice(cut)];
}
