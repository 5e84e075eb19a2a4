/**
 * Two of the ingest bench's measurements on a running hub: sustained throughput (closed loop,
 * batched; without subscribers, with a heartbeat probe timing the hub's socket replies meanwhile)
 * and ingest→receive latency at a moderate rate (one event per request, ordinary or critical).
 * RSS under overload is in `overload.ts`.
 */
import { type Latency, latencyOf } from "../lib/percentiles";
import type { ProcessGroup } from "../lib/processes";
import { HeartbeatProbe, type HeartbeatResult } from "./heartbeat";
import { ackedSeqs, closedLoop, openLoop, type Tally } from "./load";
import type { Load } from "./options";
import { criticalEvent, ordinaryEvent, pooledBatches, wallClock } from "./payloads";
import { type Snapshot, type Span, type Subjects, snapshot, span } from "./probe";
import { peak, sampleRss } from "./samplers";
import type { Delivery, TimedLatency } from "./subscribers";
import { channelTransport, httpTransport, type IngestPath, type Transport } from "./transports";

/** A closed loop runs at most this much longer than planned, should a snapshot be slow. */
const LOOP_SLACK_S = 30;
/** Requests out at once in a latency phase; far above what its rate needs. */
const LATENCY_MAX_IN_FLIGHT = 1_000;

export type EventKind = "ordinary" | "critical";

export interface Counts {
  requests: number;
  accepted: number;
  refused: number;
  refusedRequests: number;
  failed: number;
  skipped: number;
  codes: Record<string, number>;
  /** Time from send to answer (HTTP 202 or channel reply) of accepted requests. */
  ackRtt: Latency;
}

export interface ThroughputResult {
  path: IngestPath;
  subscribers: number;
  batch: number;
  /** Requests (HTTP) or pushes (channel) kept in flight. */
  concurrency: number;
  sockets: number;
  ackedPerS: number;
  /** Acknowledged events/s in the first and the second half of the measurement. */
  halves: [number, number];
  /** Events received per second, all subscribers together; null without subscribers. */
  deliveredPerS: number | null;
  /** Bytes of `event_batch` frames received per second, all subscribers together. */
  deliveredBytesPerS: number | null;
  meanWindow: number;
  rss: { start: number; peak: number; end: number };
  counts: Counts;
  span: Span;
  delivery: Delivery | null;
  /** Socket heartbeat replies over the measured span; measured without subscribers only. */
  heartbeat: HeartbeatResult | null;
  attempts: number;
}

export interface LatencyResult {
  path: IngestPath;
  kind: EventKind;
  ordinaryPerS: number;
  criticalPerS: number;
  /** The best throughput measured with the same subscribers, events/s. */
  capacityPerS: number;
  /** Events offered a second (ordinary and critical) as a share of that capacity. */
  offeredShare: number;
  /** At every sampled subscriber, and at the first one each event reached. */
  latency: TimedLatency;
  /** Send to answer of the timed events' own requests (the critical ones in a critical phase). */
  timedAckRtt: Latency;
  counts: Counts;
  span: Span;
  delivery: Delivery;
}

export interface Context {
  group: ProcessGroup;
  subjects: Subjects;
  load: Load;
  /** Every event the hub acknowledged on this hub, over all measurements (repeats included). */
  acknowledged: number;
}

export async function measureThroughput(
  context: Context,
  path: IngestPath,
): Promise<ThroughputResult> {
  const { subjects, load } = context;
  const subscribers = subjects.subscribers;
  await subscribers?.reset(false);
  const shape = throughputShape(path, load);
  const probe = subscribers === null ? await HeartbeatProbe.spawn(context.group) : null;
  const transport = await openTransport(subjects.hub.url, path, shape.sockets).catch(
    async (error: unknown) => {
      await probe?.close();
      throw error;
    },
  );
  const memory = sampleRss(subjects.hub);
  const loop = closedLoop(
    transport,
    shape.concurrency,
    pooledBatches(shape.batch),
    load.warmupS + load.throughputS + LOOP_SLACK_S,
  );
  let before: Marked;
  let middle: { at: number; accepted: number };
  let after: Marked;
  let heartbeat: HeartbeatResult | null = null;
  try {
    await Bun.sleep(load.warmupS * 1000);
    await probe?.begin(subjects.hub.url);
    before = await mark(subjects, loop.tally);
    await Bun.sleep((load.throughputS * 1000) / 2);
    middle = { at: performance.now(), accepted: loop.tally.accepted };
    await Bun.sleep((load.throughputS * 1000) / 2);
    after = await mark(subjects, loop.tally);
    heartbeat = (await probe?.stop()) ?? null;
  } finally {
    if (heartbeat === null) await probe?.close();
    await loop.stop();
    transport.close();
  }
  const timeline = await memory.stop();
  context.acknowledged += loop.tally.accepted;
  const measured = span(before.snapshot, after.snapshot);
  const delivery = subscribers === null ? null : await subscribers.deliver(ackedSeqs([loop.tally]));
  return {
    path,
    subscribers: subscribers?.sockets ?? 0,
    ...shape,
    ackedPerS: (after.accepted - before.accepted) / measured.seconds,
    halves: [
      rate(before.accepted, middle.accepted, before.snapshot.at, middle.at),
      rate(middle.accepted, after.accepted, middle.at, after.snapshot.at),
    ],
    deliveredPerS:
      subscribers === null ? null : (after.received - before.received) / measured.seconds,
    deliveredBytesPerS:
      subscribers === null ? null : (after.receivedBytes - before.receivedBytes) / measured.seconds,
    meanWindow: measured.windows === 0 ? 0 : measured.committed / measured.windows,
    rss: {
      start: timeline[0]?.[1] ?? 0,
      peak: peak(timeline),
      end: timeline[timeline.length - 1]?.[1] ?? 0,
    },
    counts: countsOf([loop.tally]),
    span: measured,
    delivery,
    heartbeat,
    attempts: 1,
  };
}

/** `capacityPerS` is the best throughput measured with the same subscribers, which the offered rate is compared with. */
export async function measureLatency(
  context: Context,
  path: IngestPath,
  kind: EventKind,
  capacityPerS: number,
): Promise<LatencyResult> {
  const { subjects, load } = context;
  const subscribers = subjects.subscribers;
  if (subscribers === null) throw new Error("latency is measured at the subscribers");
  await subscribers.reset(true);
  const transport = await openTransport(subjects.hub.url, path, 1);
  const { durationS, ordinaryPerS, criticalPerS } = load.latency;
  const single = (make: typeof ordinaryEvent) => (n: number) => ({
    json: JSON.stringify(make(n, wallClock())),
    count: 1,
  });
  const before = await snapshot(subjects);
  let tallies: Tally[];
  try {
    tallies = await Promise.all([
      openLoop(transport, {
        requestsPerS: ordinaryPerS,
        durationS,
        maxInFlight: LATENCY_MAX_IN_FLIGHT,
        makeBatch: single(ordinaryEvent),
      }),
      ...(kind === "critical"
        ? [
            openLoop(transport, {
              requestsPerS: criticalPerS,
              durationS,
              maxInFlight: LATENCY_MAX_IN_FLIGHT,
              makeBatch: single(criticalEvent),
            }),
          ]
        : []),
    ]);
  } finally {
    transport.close();
  }
  const after = await snapshot(subjects);
  context.acknowledged += tallies.reduce((sum, tally) => sum + tally.accepted, 0);
  const delivery = await subscribers.deliver(ackedSeqs(tallies));
  const timed = tallies[tallies.length - 1]!;
  const offeredPerS = ordinaryPerS + (kind === "critical" ? criticalPerS : 0);
  return {
    path,
    kind,
    ordinaryPerS,
    criticalPerS: kind === "critical" ? criticalPerS : 0,
    capacityPerS,
    offeredShare: offeredPerS / capacityPerS,
    latency: kind === "critical" ? delivery.critical : delivery.ordinary,
    timedAckRtt: latencyOf([timed.rttSamples()]),
    counts: countsOf(tallies),
    span: span(before, after),
    delivery,
  };
}

export function throughputShape(path: IngestPath, load: Load) {
  return path === "http"
    ? { batch: load.http.batch, concurrency: load.http.senders, sockets: 0 }
    : {
        batch: load.channel.batch,
        concurrency: load.channel.sockets * load.channel.inFlight,
        sockets: load.channel.sockets,
      };
}

function openTransport(hubUrl: string, path: IngestPath, sockets: number): Promise<Transport> {
  return path === "http"
    ? Promise.resolve(httpTransport(hubUrl))
    : channelTransport(hubUrl, sockets);
}

interface Marked {
  snapshot: Snapshot;
  accepted: number;
  received: number;
  receivedBytes: number;
}

/** A snapshot with the driver's and the subscribers' counts taken as it completes. */
async function mark(subjects: Subjects, tally: Tally): Promise<Marked> {
  const [taken, received] = await Promise.all([
    snapshot(subjects),
    subjects.subscribers?.received() ?? Promise.resolve({ events: 0, bytes: 0 }),
  ]);
  return {
    snapshot: taken,
    accepted: tally.accepted,
    received: received.events,
    receivedBytes: received.bytes,
  };
}

export function countsOf(tallies: readonly Tally[]): Counts {
  const codes: Record<string, number> = {};
  for (const tally of tallies) {
    for (const [code, n] of Object.entries(tally.codes)) codes[code] = (codes[code] ?? 0) + n;
  }
  const total = (pick: (tally: Tally) => number) =>
    tallies.reduce((sum, tally) => sum + pick(tally), 0);
  return {
    requests: total((t) => t.requests),
    accepted: total((t) => t.accepted),
    refused: total((t) => t.refused),
    refusedRequests: total((t) => t.refusedRequests),
    failed: total((t) => t.failed),
    skipped: total((t) => t.skipped),
    codes,
    ackRtt: latencyOf(tallies.map((tally) => tally.rttSamples())),
  };
}

function rate(fromCount: number, toCount: number, fromMs: number, toMs: number): number {
  return ((toCount - fromCount) / (toMs - fromMs)) * 1000;
}
