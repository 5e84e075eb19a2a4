/**
 * RSS under overload: a short closed-loop warm-up at capacity (so "before" is the RSS of a hub
 * that has already run flat out), then an open loop at a multiple of the measured capacity, then
 * an idle spell; RSS after the idle spell is judged against RSS after the warm-up.
 */
import { ackedSeqs, closedLoop, openLoop } from "./load";
import { pooledBatches } from "./payloads";
import { type Context, type Counts, countsOf, throughputShape } from "./phases";
import { type Span, snapshot, span } from "./probe";
import { peak, samplePending, sampleRss } from "./samplers";
import type { Delivery } from "./subscribers";
import { httpTransport } from "./transports";

/** Requests out at once under overload: Bun's fetch keeps at most 256 connections to one host. */
const OVERLOAD_MAX_IN_FLIGHT = 256;
/** A request of the overload unanswered after this long counts as failed, so a stalled hub cannot stretch the run. */
export const OVERLOAD_TIMEOUT_MS = 30_000;
/** RSS after the overload and the idle spell may exceed RSS after the warm-up by this much. */
export const RSS_TOLERANCE = 0.1;

export interface OverloadResult {
  subscribers: number;
  capacityPerS: number;
  /** Acknowledged events/s of the closed-loop warm-up that precedes the overload. */
  warmupPerS: number;
  offeredPerS: number;
  /** Events the driver actually sent per second (the rest were skipped at the in-flight cap). */
  sentPerS: number;
  durationS: number;
  /** How long the requests still out when sending stopped took to be answered. */
  tailS: number;
  /** How long the hub was left idle after the last answer before "after" was read. */
  idleS: number;
  counts: Counts;
  /** The hub's own count of events refused for back-pressure during the overload. */
  hubRefused: number;
  rss: {
    /** After the warm-up at capacity, just before the overload. */
    before: number;
    firstHalfPeak: number;
    secondHalfPeak: number;
    /** Peak while the hub answered the requests still out when sending stopped. */
    tailPeak: number;
    /** After the idle spell that follows the last answer. */
    after: number;
    /** `after` within RSS_TOLERANCE of `before`. */
    flat: boolean;
    /** [seconds since the overload began, RSS bytes] every 250 ms, through the idle spell. */
    timeline: [number, number][];
  };
  /** The hub's pending (parsed, not yet stored) events, asked every second: [s, pending, answer ms]. */
  pending: [number, number, number][];
  span: Span;
  delivery: Delivery | null;
}

export async function measureOverload(
  context: Context,
  capacityPerS: number,
): Promise<OverloadResult> {
  const { subjects, load } = context;
  const { batch, durationS, factor, warmupS, idleS } = load.overload;
  await subjects.subscribers?.reset(false);
  const transport = httpTransport(subjects.hub.url, OVERLOAD_TIMEOUT_MS);
  const shape = throughputShape("http", load);
  const warmupStarted = performance.now();
  const warmup = closedLoop(transport, shape.concurrency, pooledBatches(shape.batch), warmupS);
  await Bun.sleep(warmupS * 1000);
  await warmup.stop();
  const warmupPerS = (warmup.tally.accepted * 1000) / (performance.now() - warmupStarted);
  const bodies = pooledBatches(batch);
  const offeredPerS = capacityPerS * factor;
  const rssBefore = await subjects.hub.rss();
  const memory = sampleRss(subjects.hub);
  const pending = samplePending(subjects.hub);
  const before = await snapshot(subjects);
  const tally = await openLoop(transport, {
    requestsPerS: offeredPerS / batch,
    durationS,
    maxInFlight: OVERLOAD_MAX_IN_FLIGHT,
    makeBatch: bodies,
  });
  const after = await snapshot(subjects);
  const pendingTimeline = await pending.stop();
  const tailS = Math.max(0, after.at - before.at) / 1000 - durationS;
  await Bun.sleep(idleS * 1000);
  const rssAfter = await subjects.hub.rss();
  const timeline = await memory.stop();
  const delivery = (await subjects.subscribers?.deliver(ackedSeqs([warmup.tally, tally]))) ?? null;
  context.acknowledged += warmup.tally.accepted + tally.accepted;
  const counts = countsOf([tally]);
  return {
    subscribers: subjects.subscribers?.sockets ?? 0,
    capacityPerS,
    warmupPerS,
    offeredPerS,
    sentPerS: (counts.requests * batch) / durationS,
    durationS,
    tailS,
    idleS,
    counts,
    hubRefused:
      after.health.events.refused_backpressure - before.health.events.refused_backpressure,
    rss: {
      before: rssBefore,
      firstHalfPeak: peak(timeline.filter(([s]) => s < durationS / 2)),
      secondHalfPeak: peak(timeline.filter(([s]) => s >= durationS / 2 && s <= durationS)),
      tailPeak: peak(timeline.filter(([s]) => s > durationS && s <= durationS + tailS)),
      after: rssAfter,
      flat: rssAfter <= rssBefore * (1 + RSS_TOLERANCE),
      timeline,
    },
    pending: pendingTimeline,
    span: span(before, after),
    delivery,
  };
}
