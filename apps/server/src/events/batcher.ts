/**
 * The batcher: events wait at most one window (50 ms) and go to the store together, one write per
 * window of at most `maxWindow` events. A critical event flushes at once, taking along whatever was
 * pending before it, so order is never broken. Up to `maxInFlight` windows are written at once:
 * the next is written while the last commits, and the store commits them in order. Producers are
 * answered only after their window is committed, in seq order, and only then is the window handed
 * on for fan-out — after the next window's write has started, so fan-out never delays it.
 * An id is in one window in flight at most: a re-send of an id whose window is still in flight
 * waits for that window to settle, and is then written (and answered with the stored seq). On
 * Postgres the later window's copy could take the row first, and the earlier window would wait
 * for a transaction that commits only after it: both would stall until the write timeout.
 * Pending events are bounded in number and in bytes: past `maxPending` or `maxPendingBytes` a submission is refused whole with
 * `BackpressureError`, and counted. When the store refuses a window for its content, the window
 * is bisected by submission until the refused ones are found: only they are answered with the
 * error, and the others are committed in order. Seqs are handed out per attempt, and a refused
 * attempt gives its seqs back — the windows written after it are numbered again — so a refused
 * event never takes a seq and committed seqs stay contiguous from window to window.
 */
import type { StoredId } from "@landale/db";
import { type Scheduler, systemScheduler } from "../scheduler";
import {
  BATCHER_DEFAULTS,
  type BatcherOptions,
  type BatcherStats,
  type Entry,
  type Flight,
  type Numbered,
  numberEntries,
  type PendingEvent,
  type Submission,
  splitBySubmission,
  type WindowStore,
} from "./batch-window";
import { InFlightIds } from "./in-flight-ids";
import { PendingQueue } from "./pending";
import { StoppedError, StoreRefusedError, SupersededError } from "./refusals";
import { WindowAnswers } from "./window-answers";

export {
  BATCHER_DEFAULTS,
  type BatcherOptions,
  type BatcherStats,
  type CommittedEvent,
  type PendingEvent,
  type WindowStore,
} from "./batch-window";

export class Batcher {
  readonly #store: WindowStore;
  readonly #answers: WindowAnswers;
  readonly #windowMs: number;
  readonly #maxWindow: number;
  readonly #maxInFlight: number;
  readonly #scheduler: Scheduler;
  readonly #queue: PendingQueue;
  #timer: unknown = null;
  /** Windows given to the store, oldest first. */
  #flights: Flight[] = [];
  /** The ids producers gave the events in those windows, and the entries held back meanwhile. */
  readonly #inFlight: InFlightIds;
  /** Whether the next window may follow the last one given to the store. */
  #tail: Promise<boolean> = Promise.resolve(true);
  /** The flights' answers, chained so they happen in seq order. */
  #answering: Promise<void> = Promise.resolve();
  /** Set while a refused window is bisected: no other window is written meanwhile. */
  #recovering = false;
  #stopping = false;
  #lastSeq: number;

  constructor(options: BatcherOptions) {
    this.#store = options.store;
    this.#answers = new WindowAnswers(options.onCommit, options.onError ?? (() => {}));
    this.#windowMs = options.windowMs ?? BATCHER_DEFAULTS.windowMs;
    this.#maxWindow = options.maxWindow ?? BATCHER_DEFAULTS.maxWindow;
    this.#maxInFlight = options.maxInFlight ?? BATCHER_DEFAULTS.maxInFlight;
    this.#queue = new PendingQueue(
      options.maxPending ?? BATCHER_DEFAULTS.maxPending,
      options.maxPendingBytes ?? BATCHER_DEFAULTS.maxPendingBytes,
    );
    this.#inFlight = new InFlightIds(this.#queue);
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#lastSeq = options.lastSeq;
  }

  /** Queues events (all or none) and resolves with their stored ids once committed. */
  submit(events: PendingEvent[]): Promise<StoredId[]> {
    if (this.#stopping) return Promise.reject(new StoppedError());
    if (events.length === 0) return Promise.resolve([]);
    const { promise, resolve, reject } = Promise.withResolvers<StoredId[]>();
    const submission: Submission = {
      results: new Array(events.length),
      remaining: events.length,
      resolve,
      reject,
    };
    try {
      this.#queue.add(events, submission, this.#scheduler.now());
    } catch (err) {
      this.#answers.overflowed(events.length);
      return Promise.reject(err);
    }
    this.#schedule();
    return promise;
  }

  /** Commits everything pending, then resolves. */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#flights.length > 0 || this.#recovering) {
      if (this.#flights.length === 0 && !this.#recovering) this.#write();
      await this.#answering;
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
    return this.#queue.bytes + this.#inFlight.heldBytes;
  }

  stats(): BatcherStats {
    return {
      pending: this.#queue.length + this.#inFlight.held,
      pendingBytes: this.pendingBytes,
      lastSeq: this.#lastSeq,
      ...this.#answers.counts(),
    };
  }

  #schedule(): void {
    while (this.#queue.length > 0 && this.#flights.length < this.#maxInFlight) {
      if (this.#recovering) return;
      const oldest = this.#queue.oldestArrivedAt ?? 0;
      const due =
        this.#queue.critical ||
        this.#queue.length >= this.#maxWindow ||
        this.#stopping ||
        this.#scheduler.now() - oldest >= this.#windowMs;
      // Nothing written: all it took waits for a window in flight, whose answer schedules again.
      if (!due || !this.#write()) break;
    }
    // With every slot taken, the next answer schedules again.
    const full = this.#flights.length >= this.#maxInFlight;
    if (this.#queue.length === 0 || this.#timer !== null || this.#recovering || full) return;
    // The window opened when its oldest event arrived, even if that was during the last write.
    const waited = this.#scheduler.now() - (this.#queue.oldestArrivedAt ?? 0);
    this.#timer = this.#scheduler.setTimeout(
      () => {
        this.#timer = null;
        this.#schedule();
      },
      Math.max(0, this.#windowMs - waited),
    );
  }

  #clearTimer(): void {
    if (this.#timer === null) return;
    this.#scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Takes the next window off the queue and gives it to the store behind the ones in flight;
   * false when there was nothing to give.
   */
  #write(): boolean {
    this.#clearTimer();
    const entries = this.#inFlight.take(this.#maxWindow);
    if (entries.length === 0) return false;
    const seqBefore = this.#lastSeq;
    const numbered = this.#numbered(entries);
    this.#inFlight.add(entries);
    const outcome = this.#store.write(numbered.window, this.#tail).then(
      (stored) => ({ stored }),
      (err: unknown) => ({ err }),
    );
    // A refused window's successors are numbered again; anything else lets them follow.
    this.#tail = outcome.then(
      (result) =>
        !("err" in result) ||
        !(result.err instanceof StoreRefusedError || result.err instanceof SupersededError),
    );
    const flight: Flight = { entries, seqBefore, numbered, outcome, returned: false };
    this.#flights.push(flight);
    this.#answering = this.#answering.then(() => this.#answer(flight));
    return true;
  }

  /** Answers a flight once it and every flight before it are settled. */
  async #answer(flight: Flight): Promise<void> {
    const result = await flight.outcome;
    if (flight.returned) return;
    this.#flights.shift();
    this.#inFlight.landed(flight.entries);
    if ("stored" in result) {
      // The next window's write starts before this one is answered and fanned out.
      this.#schedule();
      this.#answers.committed(flight.entries, flight.numbered, result.stored);
      return;
    }
    if (result.err instanceof StoreRefusedError) {
      await this.#recover(flight, result.err);
    } else {
      this.#answers.failed(flight.entries, flight.numbered.window.length, result.err);
    }
    this.#schedule();
  }

  /**
   * A window was refused for its content. The windows written after it are superseded: once they
   * have settled, their events go back to the front of the queue, the refused window's seqs are
   * given back, and it is bisected by submission down to the refused ones before anything else.
   */
  async #recover(flight: Flight, err: StoreRefusedError): Promise<void> {
    this.#recovering = true;
    const later = this.#flights.splice(0);
    for (const next of later) {
      next.returned = true;
      this.#inFlight.landed(next.entries);
    }
    await Promise.all(later.map((next) => next.outcome));
    this.#lastSeq = flight.seqBefore;
    this.#tail = Promise.resolve(true);
    const halves = splitBySubmission(flight.entries);
    if (halves === null) {
      this.#answers.refused(flight.entries, flight.numbered.window.length, err);
    } else {
      await this.#commit(halves[0]);
      await this.#commit(halves[1]);
    }
    this.#queue.putBack(later.flatMap((next) => next.entries));
    this.#recovering = false;
  }

  /**
   * Writes `entries` as one window with nothing else in flight, and answers them. A refusal for
   * content splits the window in two by submission and tries each half, down to a single
   * submission, which alone is refused.
   */
  async #commit(entries: Entry[]): Promise<void> {
    const seqBefore = this.#lastSeq;
    const numbered = this.#numbered(entries);
    let stored: StoredId[];
    try {
      stored = await this.#store.write(numbered.window);
    } catch (err) {
      if (!(err instanceof StoreRefusedError)) {
        this.#answers.failed(entries, numbered.window.length, err);
        return;
      }
      // Nothing of the window was stored: its seqs go back, for the halves or the next window.
      this.#lastSeq = seqBefore;
      const halves = splitBySubmission(entries);
      if (halves !== null) {
        await this.#commit(halves[0]);
        await this.#commit(halves[1]);
        return;
      }
      this.#answers.refused(entries, numbered.window.length, err);
      return;
    }
    this.#answers.committed(entries, numbered, stored);
  }

  /** Numbers the entries from the next seq. */
  #numbered(entries: Entry[]): Numbered {
    const numbered = numberEntries(entries, this.#lastSeq);
    this.#lastSeq += numbered.window.length;
    return numbered;
  }
}
