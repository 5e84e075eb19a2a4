/**
 * Load generators over a transport, bounded in time and in requests in flight: a closed loop
 * (N senders, each sending again as soon as it is answered: sustained throughput) and an open
 * loop (request k due at k / rate, whatever the answers: latency at a set rate, and overload).
 */
import type { Outcome, Transport } from "./transports";

/** Answer times kept per tally (8 bytes each); more are counted, not kept. */
const MAX_RTT_SAMPLES = 200_000;
/** Seqs of accepted events kept per tally, to check every one reached every subscriber. */
const MAX_SEQS = 4_000_000;
/** How often an open loop's timer looks for due requests. */
const TICK_MS = 1;

/** Seqs in a buffer that doubles as it fills, up to MAX_SEQS; past that they are counted, not kept. */
export class SeqList {
  #values = new Float64Array(1024);
  count = 0;
  /** Seqs not kept: their events go unchecked at the subscribers. */
  untracked = 0;

  add(seq: number): void {
    if (this.count === this.#values.length) {
      if (this.count >= MAX_SEQS) {
        this.untracked++;
        return;
      }
      const grown = new Float64Array(Math.min(MAX_SEQS, this.count * 2));
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.count++] = seq;
  }

  view(): Float64Array {
    return this.#values.subarray(0, this.count);
  }
}

/** Everything the driver's senders were told, counted as the answers come in. */
export class Tally {
  requests = 0;
  accepted = 0;
  refused = 0;
  refusedRequests = 0;
  failed = 0;
  /** Open loop only: requests not sent because `maxInFlight` were already out. */
  skipped = 0;
  readonly codes: Record<string, number> = {};
  readonly rtt = new Float64Array(MAX_RTT_SAMPLES);
  rttCount = 0;
  readonly seqs = new SeqList();

  add(outcome: Outcome): void {
    this.requests++;
    this.accepted += outcome.accepted;
    this.refused += outcome.refused;
    if (outcome.refused > 0) this.refusedRequests++;
    this.failed += outcome.failed;
    if (outcome.code !== null) this.codes[outcome.code] = (this.codes[outcome.code] ?? 0) + 1;
    if (outcome.accepted > 0 && this.rttCount < MAX_RTT_SAMPLES) {
      this.rtt[this.rttCount++] = outcome.rttMs;
    }
    for (const seq of outcome.seqs) this.seqs.add(seq);
  }

  rttSamples(): Float64Array {
    return this.rtt.slice(0, this.rttCount);
  }
}

/** What a batch of the load carries: its JSON and how many events are in it. */
export type MakeBatch = (first: number) => { json: string; count: number };

export interface ClosedLoop {
  readonly tally: Tally;
  /** Stops sending and resolves once every request out has been answered. */
  stop(): Promise<void>;
}

/** `concurrency` senders, each sending its next batch as soon as the last is answered, until stopped or `maxS`. */
export function closedLoop(
  transport: Transport,
  concurrency: number,
  makeBatch: MakeBatch,
  maxS: number,
): ClosedLoop {
  const tally = new Tally();
  const deadline = performance.now() + maxS * 1000;
  let stopped = false;
  let numbered = 0;
  const sender = async () => {
    while (!stopped && performance.now() < deadline) {
      const batch = makeBatch(numbered);
      numbered += batch.count;
      tally.add(await transport.send(batch.json, batch.count));
    }
  };
  const senders = Array.from({ length: concurrency }, sender);
  return {
    tally,
    async stop() {
      stopped = true;
      await Promise.all(senders);
    },
  };
}

export interface OpenLoopOptions {
  requestsPerS: number;
  durationS: number;
  maxInFlight: number;
  makeBatch: MakeBatch;
  /** Called (cheaply) on each tick, e.g. to sample the hub's RSS on a schedule of its own. */
  onTick?: () => void;
}

/** Sends request k at k / rate for `durationS`, then waits for the answers; resolves with the tally. */
export async function openLoop(transport: Transport, options: OpenLoopOptions): Promise<Tally> {
  const tally = new Tally();
  const total = Math.round(options.requestsPerS * options.durationS);
  const intervalMs = 1000 / options.requestsPerS;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  let numbered = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
    for (; sent < due; sent++) {
      if (inFlight.size >= options.maxInFlight) {
        tally.skipped++;
        continue;
      }
      const batch = options.makeBatch(numbered);
      numbered += batch.count;
      const request = transport.send(batch.json, batch.count).then((outcome) => {
        tally.add(outcome);
        inFlight.delete(request);
      });
      inFlight.add(request);
    }
    options.onTick?.();
    if (sent < total)
      await Bun.sleep(Math.max(TICK_MS, started + sent * intervalMs - performance.now()));
  }
  await Promise.all(inFlight);
  return tally;
}

/** The seqs every tally's accepted events were given, sorted. */
export function ackedSeqs(tallies: readonly Tally[]): Float64Array {
  const out = new Float64Array(tallies.reduce((sum, tally) => sum + tally.seqs.count, 0));
  let offset = 0;
  for (const tally of tallies) {
    out.set(tally.seqs.view(), offset);
    offset += tally.seqs.count;
  }
  return out.sort();
}
