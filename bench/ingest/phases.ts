/**
 * The ingest bench's three measurements on a running hub: sustained throughput (closed loop,
 * batched), ingest→receive latency at a moderate rate (one event per request, ordinary or
 * critical), and RSS under overload (open loop at a multiple of the measured capacity).
 */
import { type Latency, latencyOf } from "../lib/percentiles";
import type { HubHandle } from "./hub";
import { ackedSeqs, closedLoop, openLoop, type Tally } from "./load";
import type { Load } from "./options";
import { criticalEvent, ordinaryBatchJson, ordinaryEvent, wallClock } from "./payloads";
import { type Snapshot, type Span, type Subjects, snapshot, span } from "./probe";
import type { Delivery, TimedLatency } from "./subscribers";
import { channelTransport, httpTransport, type IngestPath, type Transport } from "./transports";

/** A closed loop runs at most this much longer than planned, should a snapshot be slow. */
const LOOP_SLACK_S = 30;
const RSS_SAMPLE_MS = 250;
const PENDING_SAMPLE_MS = 1_000;
/** Requests out at once in a latency phase; far above what its rate needs. */
const LATENCY_MAX_IN_FLIGHT = 1_000;
/** Requests out at once under overload: Bun's fetch keeps at most 256 connections to one host. */
const OVERLOAD_MAX_IN_FLIGHT = 256;
/** Distinct prebuilt bodies the overload cycles through, so the driver spends nothing building them. */
const OVERLOAD_BODIES = 16;
/** RSS counts as flat when its peak in the second half of the overload (and while the last requests are answered) is within this of the first half's. */
export const FLAT_RSS_TOLERANCE = 0.1;

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
  attempts: number;
}

export interface LatencyResult {
  path: IngestPath;
  kind: EventKind;
  ordinaryPerS: number;
  criticalPerS: number;
  /** At every sampled subscriber, and at the first one each event reached. */
  latency: TimedLatency;
  /** Send to answer of the timed events' own requests (the critical ones in a critical phase). */
  timedAckRtt: Latency;
  counts: Counts;
  span: Span;
  delivery: Delivery;
}

export interface OverloadResult {
  subscribers: number;
  capacityPerS: number;
  offeredPerS: number;
  /** Events the driver actually sent per second (the rest were skipped at the in-flight cap). */
  sentPerS: number;
  durationS: number;
  /** How long the requests still out when sending stopped took to be answered. */
  tailS: number;
  counts: Counts;
  /** The hub's own count of events refused for back-pressure during the overload. */
  hubRefused: number;
  rss: {
    before: number;
    firstHalfPeak: number;
    secondHalfPeak: number;
    /** Peak while the hub answered the requests still out when sending stopped. */
    tailPeak: number;
    after: number;
    flat: boolean;
    /** [seconds since the overload began, RSS bytes] every RSS_SAMPLE_MS. */
    timeline: [number, number][];
  };
  /** The hub's pending (parsed, not yet stored) events, asked every second: [s, pending, answer ms]. */
  pending: [number, number, number][];
  span: Span;
  delivery: Delivery | null;
}

export interface Context {
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
  const transport = await openTransport(subjects.hub.url, path, shape.sockets);
  const memory = sampleRss(subjects.hub);
  const loop = closedLoop(
    transport,
    shape.concurrency,
    (first) => ({ json: ordinaryBatchJson(first, shape.batch), count: shape.batch }),
    load.warmupS + load.throughputS + LOOP_SLACK_S,
  );
  let before: Marked;
  let middle: { at: number; accepted: number };
  let after: Marked;
  try {
    await Bun.sleep(load.warmupS * 1000);
    before = await mark(subjects, loop.tally);
    await Bun.sleep((load.throughputS * 1000) / 2);
    middle = { at: performance.now(), accepted: loop.tally.accepted };
    await Bun.sleep((load.throughputS * 1000) / 2);
    after = await mark(subjects, loop.tally);
  } finally {
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
    attempts: 1,
  };
}

export async function measureLatency(
  context: Context,
  path: IngestPath,
  kind: EventKind,
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
  return {
    path,
    kind,
    ordinaryPerS,
    criticalPerS: kind === "critical" ? criticalPerS : 0,
    latency: kind === "critical" ? delivery.critical : delivery.ordinary,
    timedAckRtt: latencyOf([timed.rttSamples()]),
    counts: countsOf(tallies),
    span: span(before, after),
    delivery,
  };
}

export async function measureOverload(
  context: Context,
  capacityPerS: number,
): Promise<OverloadResult> {
  const { subjects, load } = context;
  const { batch, durationS, factor } = load.overload;
  await subjects.subscribers?.reset(false);
  const bodies = Array.from({ length: OVERLOAD_BODIES }, (_, i) =>
    ordinaryBatchJson(i * batch, batch),
  );
  const offeredPerS = capacityPerS * factor;
  const transport = httpTransport(subjects.hub.url);
  const rssBefore = await subjects.hub.rss();
  const memory = sampleRss(subjects.hub);
  const pending = samplePending(subjects.hub);
  const before = await snapshot(subjects);
  const tally = await openLoop(transport, {
    requestsPerS: offeredPerS / batch,
    durationS,
    maxInFlight: OVERLOAD_MAX_IN_FLIGHT,
    makeBatch: (first) => ({ json: bodies[(first / batch) % OVERLOAD_BODIES]!, count: batch }),
  });
  const after = await snapshot(subjects);
  const timeline = await memory.stop();
  const pendingTimeline = await pending.stop();
  const delivery = (await subjects.subscribers?.deliver(ackedSeqs([tally]))) ?? null;
  context.acknowledged += tally.accepted;
  const counts = countsOf([tally]);
  const firstHalfPeak = peak(timeline.filter(([s]) => s < durationS / 2));
  const secondHalfPeak = peak(timeline.filter(([s]) => s >= durationS / 2 && s <= durationS));
  const tailPeak = peak(timeline.filter(([s]) => s > durationS));
  return {
    subscribers: subjects.subscribers?.sockets ?? 0,
    capacityPerS,
    offeredPerS,
    sentPerS: (counts.requests * batch) / durationS,
    durationS,
    tailS: Math.max(0, after.at - before.at) / 1000 - durationS,
    counts,
    hubRefused:
      after.health.events.refused_backpressure - before.health.events.refused_backpressure,
    rss: {
      before: rssBefore,
      firstHalfPeak,
      secondHalfPeak,
      tailPeak,
      after: await subjects.hub.rss(),
      flat: Math.max(secondHalfPeak, tailPeak) <= firstHalfPeak * (1 + FLAT_RSS_TOLERANCE),
      timeline,
    },
    pending: pendingTimeline,
    span: span(before, after),
    delivery,
  };
}

function throughputShape(path: IngestPath, load: Load) {
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

function countsOf(tallies: readonly Tally[]): Counts {
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

/** Samples the hub's RSS on a timer until stopped; resolves with [seconds, bytes] pairs. */
function sampleRss(hub: HubHandle): { stop(): Promise<[number, number][]> } {
  const started = performance.now();
  const samples: [number, number][] = [];
  const take = async () => samples.push([(performance.now() - started) / 1000, await hub.rss()]);
  const timer = setInterval(take, RSS_SAMPLE_MS);
  void take();
  return {
    async stop() {
      clearInterval(timer);
      await take();
      return samples;
    },
  };
}

/** Asks the hub for its pending count every PENDING_SAMPLE_MS (one question at a time) until stopped. */
function samplePending(hub: HubHandle): { stop(): Promise<[number, number, number][]> } {
  const started = performance.now();
  const samples: [number, number, number][] = [];
  let stopped = false;
  const run = (async () => {
    while (!stopped) {
      const asked = performance.now();
      const health = await hub.health().catch(() => null);
      const answered = performance.now();
      if (health !== null) {
        samples.push([(asked - started) / 1000, health.events.pending, answered - asked]);
      }
      await Bun.sleep(Math.max(0, PENDING_SAMPLE_MS - (answered - asked)));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await run;
      return samples;
    },
  };
}

function rate(fromCount: number, toCount: number, fromMs: number, toMs: number): number {
  return ((toCount - fromCount) / (toMs - fromMs)) * 1000;
}

function peak(samples: readonly [number, number][]): number {
  return samples.reduce((max, [, rss]) => Math.max(max, rss), 0);
}
