/** The driver's handle on the subscriber process: connect N sockets to `events:all`, reset, poll, drain, report. */
import { type Latency, latencyOf } from "../lib/percentiles";
import { type ProcessGroup, WorkerPool } from "../lib/processes";
import type {
  ConnectedReply,
  ProgressReply,
  ReportReply,
  SubscriberCommand,
  SubscriberReply,
  TimedSamples,
} from "./messages";
import { socketUrl } from "./wire";

const SCRIPT = new URL("./subscriber-worker.ts", import.meta.url).pathname;
/** One process holds every subscriber, as one machine of overlays would. */
const WORKERS = 1;
const HELLO_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 60_000;
const ASK_TIMEOUT_MS = 10_000;
const REPORT_TIMEOUT_MS = 60_000;
const POLL_MS = 200;
/** A drain ends when every socket saw the last acknowledged seq, nothing arrived for DRAIN_QUIET_MS, or at DRAIN_MAX_MS. */
const DRAIN_QUIET_MS = 2_000;
const DRAIN_MAX_MS = 60_000;

/** Ingest→receive latency at every sampled subscriber, and at the first each event reached. */
export interface TimedLatency {
  all: Latency;
  first: Latency;
}

export interface Delivery {
  sockets: number;
  acknowledged: number;
  /** Acknowledged events × sockets: what the subscribers must have received. */
  expected: number;
  /** Of those, what no batch brought to a socket the hub kept open. */
  lost: number;
  socketsMissing: number;
  /** Sockets the hub closed as too slow (4008), and the acknowledged events they did not get. */
  closedTooSlow: { sockets: number; missed: number };
  /** Every event received, the hub's own (stream engine) included, summed over sockets. */
  received: number;
  perSocket: { min: number; max: number };
  /** Windows a socket missed (its next batch did not start where the last ended). */
  gaps: number;
  mismatched: number;
  ordinary: TimedLatency;
  critical: TimedLatency;
  /** How long after the senders were answered the last events arrived (or the drain gave up). */
  drainMs: number;
}

export class Subscribers {
  private constructor(
    private readonly pool: WorkerPool<SubscriberCommand, SubscriberReply>,
    readonly sockets: number,
  ) {}

  static async start(
    group: ProcessGroup,
    hubUrl: string,
    sockets: number,
    sampleEvery: number,
  ): Promise<Subscribers> {
    const pool = await WorkerPool.start<SubscriberCommand, SubscriberReply>(
      group,
      SCRIPT,
      WORKERS,
      HELLO_TIMEOUT_MS,
    );
    const share = Math.ceil(sockets / WORKERS);
    const replies = await pool.askAll<ConnectedReply>(
      (index, id) => ({
        type: "connect",
        id,
        url: socketUrl(hubUrl),
        sockets: Math.min(share, sockets - index * share),
        sampleEvery,
        timeoutMs: CONNECT_TIMEOUT_MS,
      }),
      CONNECT_TIMEOUT_MS + ASK_TIMEOUT_MS,
    );
    const joined = sum(replies.map((reply) => reply.joined));
    if (joined !== sockets) {
      await pool.stop();
      throw new Error(`only ${joined} of ${sockets} subscribers joined events:all`);
    }
    return new Subscribers(pool, sockets);
  }

  get pids(): number[] {
    return this.pool.pids;
  }

  /** Zeroes the counts; `timed` makes sampled sockets parse and time events. */
  async reset(timed: boolean): Promise<void> {
    await this.pool.askAll((_, id) => ({ type: "reset", id, timed }), ASK_TIMEOUT_MS);
  }

  /** Events and bytes received since the reset, all sockets together. */
  async received(): Promise<{ events: number; bytes: number }> {
    const replies = await this.#progress();
    return {
      events: sum(replies.map((reply) => reply.received)),
      bytes: sum(replies.map((reply) => reply.bytes)),
    };
  }

  /**
   * Waits until every socket has seen the last acknowledged seq (or arrivals stop), then asks
   * each socket which acknowledged events (`acked`, sorted seqs) it never received.
   */
  async deliver(acked: Float64Array): Promise<Delivery> {
    const drainMs = await this.#drain(acked[acked.length - 1] ?? 0);
    const reports = await this.pool.askAll<ReportReply>(
      (_, id) => ({ type: "report", id, acked }),
      REPORT_TIMEOUT_MS,
    );
    return {
      sockets: this.sockets,
      acknowledged: acked.length,
      expected: acked.length * this.sockets,
      lost: sum(reports.map((report) => report.missing)),
      socketsMissing: sum(reports.map((report) => report.socketsMissing)),
      closedTooSlow: {
        sockets: sum(reports.map((report) => report.closedTooSlow)),
        missed: sum(reports.map((report) => report.missingClosedTooSlow)),
      },
      received: sum(reports.map((report) => report.received)),
      perSocket: {
        min: Math.min(...reports.map((report) => report.minPerSocket)),
        max: Math.max(...reports.map((report) => report.maxPerSocket)),
      },
      gaps: sum(reports.map((report) => report.gaps)),
      mismatched: sum(reports.map((report) => report.mismatched)),
      ordinary: timedLatency(reports.map((report) => report.ordinary)),
      critical: timedLatency(reports.map((report) => report.critical)),
      drainMs,
    };
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }

  #progress(): Promise<ProgressReply[]> {
    return this.pool.askAll<ProgressReply>((_, id) => ({ type: "progress", id }), ASK_TIMEOUT_MS);
  }

  async #drain(lastSeq: number): Promise<number> {
    const started = performance.now();
    let last = -1;
    let changedAt = started;
    while (performance.now() - started < DRAIN_MAX_MS) {
      const replies = await this.#progress();
      if (Math.min(...replies.map((reply) => reply.minLastTo)) >= lastSeq) break;
      const now = sum(replies.map((reply) => reply.received));
      if (now !== last) changedAt = performance.now();
      else if (performance.now() - changedAt > DRAIN_QUIET_MS) break;
      last = now;
      await Bun.sleep(POLL_MS);
    }
    return performance.now() - started;
  }
}

function timedLatency(parts: readonly TimedSamples[]): TimedLatency {
  return {
    all: latencyOf(parts.map((part) => part.all)),
    first: latencyOf(parts.map((part) => part.first)),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
