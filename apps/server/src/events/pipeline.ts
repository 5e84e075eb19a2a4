/**
 * The event pipeline: ingest → batcher → durable store (database, else spool) → recent ring and
 * fan-out to `events:<filter>`. One object builds the parts in order and owns their shutdown;
 * whoever else wants committed events (the stream engine) listens with `onCommitted`.
 */
import { join } from "node:path";
import { type Database, maxEventSeq } from "@landale/db";
import type { Logger } from "@landale/logger";
import type { EventEnvelope } from "@landale/shared";
import type { Broadcast } from "../broadcast";
import { type AdmissionStats, ByteAdmission } from "./admission";
import { BATCHER_DEFAULTS, Batcher, type BatcherStats } from "./batcher";
import { toEnvelope } from "./envelope";
import { createFanout } from "./fanout";
import { createIngest, type Ingest } from "./ingest";
import { Quarantine } from "./quarantine";
import { RecentEvents } from "./recent";
import { type Reclaimer, reclaimAfterOverload } from "./reclaim";
import { Spool } from "./spool";
import { DurableStore, type StoreStats } from "./store";
import { Turns, type TurnsStats } from "./turns";

export interface PipelineOptions {
  database: Database;
  /** Where the spool and the quarantine live (`<dataDir>/spool`, `<dataDir>/quarantine`). */
  dataDir: string;
  batchWindowMs: number;
  maxPending: number;
  /**
   * Bound on the pending events' bytes; also the budget that ingest bodies being read and
   * validated share with them (`admission`).
   */
  maxPendingBytes: number;
  broadcast: Broadcast;
  logger: Logger;
}

/** Hears every committed window's new events, in seq order. */
export type CommittedListener = (events: readonly EventEnvelope[]) => void;

export class EventPipeline {
  /** Validates, normalises and submits events; resolves once they are committed. */
  readonly ingest: Ingest;
  /** The latest committed events, for joins that replay. */
  readonly recent: RecentEvents;
  /** Acknowledged events the database refused while the spool drained. */
  readonly quarantine: Quarantine;
  /** Where an HTTP ingest request reserves its bytes before its body is read. */
  readonly admission: ByteAdmission;
  /** The event loop's turns for HTTP bodies to be parsed and validated and windows encoded. */
  readonly turns = new Turns();
  readonly #batcher: Batcher;
  readonly #store: DurableStore;
  readonly #listeners: CommittedListener[] = [];
  readonly #reclaimer: Reclaimer;

  private constructor(
    options: PipelineOptions,
    parts: { spool: Spool; quarantine: Quarantine; lastStoredSeq: number },
  ) {
    const { database, broadcast, logger } = options;
    this.quarantine = parts.quarantine;
    this.#store = new DurableStore({
      database,
      spool: parts.spool,
      quarantine: parts.quarantine,
      logger: logger.child({ component: "store" }),
      turns: this.turns,
    });
    const lastSeq = startingSeq(parts.lastStoredSeq, parts.spool);
    this.recent = new RecentEvents(lastSeq);
    this.#listeners.push(createFanout(this.recent, broadcast));
    this.#batcher = new Batcher({
      store: this.#store,
      lastSeq,
      windowMs: options.batchWindowMs,
      maxPending: options.maxPending,
      maxPendingBytes: options.maxPendingBytes,
      // Called once the next window's write has started: fan-out and the stream engine never
      // hold a write up, and the state already holds a window when its producers read the answer.
      onCommit: (window) => {
        const envelopes = window.map(toEnvelope);
        for (const listener of this.#listeners) listener(envelopes);
      },
      onError: (err, size) => logger.error({ err, size }, "event window not stored"),
    });
    this.admission = new ByteAdmission(options.maxPendingBytes, () => this.#batcher.pendingBytes);
    this.ingest = createIngest(this.#batcher, logger.child({ component: "ingest" }));
    this.#reclaimer = reclaimAfterOverload({
      refusals: () => this.admission.stats().refused + this.#batcher.stats().refusedBackpressure,
      pending: () => this.#batcher.stats().pending,
      logger,
    });
  }

  /** Opens the spool and the quarantine and resumes numbering after what is stored. */
  static async open(options: PipelineOptions): Promise<EventPipeline> {
    const spool = await Spool.open(join(options.dataDir, "spool"));
    const quarantine = await Quarantine.open(join(options.dataDir, "quarantine"));
    const lastStoredSeq = await maxEventSeq(options.database);
    return new EventPipeline(options, { spool, quarantine, lastStoredSeq });
  }

  /** Adds a listener after the fan-out; it hears windows committed from now on. */
  onCommitted(listener: CommittedListener): void {
    this.#listeners.push(listener);
  }

  stats(): {
    batch: BatcherStats;
    store: StoreStats;
    admission: AdmissionStats;
    turns: TurnsStats;
  } {
    return {
      batch: this.#batcher.stats(),
      store: this.#store.stats(),
      admission: this.admission.stats(),
      turns: this.turns.stats(),
    };
  }

  /** Refuses new events, commits what is pending, drains the spool if it can, closes the files. */
  async stop(): Promise<void> {
    this.#reclaimer.stop();
    // Nothing waits for a turn from here: the last windows are encoded as they come.
    this.turns.stop();
    await this.#batcher.stop();
    await this.#store.stop();
  }
}

/**
 * Where numbering resumes. After a previous run, skip one window's worth of seqs: a hub killed
 * mid-write may still have a window in flight on the Postgres server, numbered just past what
 * this start can see, and the two must never collide.
 */
function startingSeq(lastStoredSeq: number, spool: Spool): number {
  const stored = Math.max(lastStoredSeq, spool.maxSeq);
  return stored === 0 ? 0 : stored + BATCHER_DEFAULTS.maxWindow;
}
