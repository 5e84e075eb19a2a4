/** Turns ingest results into tables, a verdict on each target, and the bench's section of docs/BENCHMARKS.md. */
import type { Machine } from "../lib/machine";
import {
  count,
  markdownTable,
  mib,
  ms,
  type SectionMarkers,
  sectionMarkers,
  type TargetVerdict,
  targetsTable,
} from "../lib/report";
import { DISTURBED_CORES, type EngineResult } from "./engine";
import type { Engine, Options } from "./options";
import { CRITICAL_TYPE, FOLLOW_EVERY } from "./payloads";
import {
  FLAT_RSS_TOLERANCE,
  type LatencyResult,
  type OverloadResult,
  type ThroughputResult,
} from "./phases";
import type { Span } from "./probe";

export const MARKERS: SectionMarkers = sectionMarkers("ingest", "bun run bench:ingest");

export const TARGETS = {
  eventsPerS: { postgres: 50_000, pglite: 10_000 } satisfies Record<Engine, number>,
  ordinaryP99Ms: 60,
  criticalP99Ms: 5,
  maxLost: 0,
} as const;

const BYTES_PER_MB = 1_000_000;
const ENGINE_NAMES: Record<Engine, string> = { pglite: "PGlite", postgres: "Postgres" };
const PATH_NAMES = { http: "POST /api/events", channel: "channel push" } as const;

export function evaluateTargets(engines: readonly EngineResult[]): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  for (const result of engines) {
    const name = ENGINE_NAMES[result.engine];
    const target = TARGETS.eventsPerS[result.engine];
    for (const measured of result.throughput) {
      verdicts.push({
        target: `${name}, ${PATH_NAMES[measured.path]}, ${count(measured.subscribers)} subscribers: ≥ ${count(target)} events/s`,
        measured: `${count(measured.ackedPerS)} events/s`,
        met: measured.ackedPerS >= target,
      });
    }
    for (const measured of result.latency) {
      const limit = measured.kind === "critical" ? TARGETS.criticalP99Ms : TARGETS.ordinaryP99Ms;
      verdicts.push({
        target: `${name}, ${PATH_NAMES[measured.path]}: ${measured.kind} p99 ≤ ${limit} ms`,
        measured: `${ms(measured.latency.all.p99)} ms (first subscriber ${ms(measured.latency.first.p99)} ms)`,
        met: measured.latency.all.p99 <= limit,
      });
    }
    for (const overload of result.overload) {
      const { rss } = overload;
      verdicts.push({
        target: `${name}, ${count(overload.subscribers)} subscribers: RSS flat under overload (${count(overload.offeredPerS)} events/s offered)`,
        measured: `${mib(rss.firstHalfPeak)} → ${mib(rss.secondHalfPeak)} → ${mib(rss.tailPeak)} MiB (peaks: 1st half, 2nd half, last answers), ${count(overload.counts.refused)} events refused`,
        met: rss.flat,
      });
    }
    const lost = lostOf(result);
    verdicts.push({
      target: `${name}: ${TARGETS.maxLost} acknowledged events lost (every subscriber, every phase)`,
      measured: `${count(lost.lost)} of ${count(lost.expected)}`,
      met: lost.lost <= TARGETS.maxLost,
    });
    verdicts.push({
      target: `${name}: every acknowledged event stored`,
      measured: `${count(result.stored.stored)} stored of ${count(result.stored.acknowledged)} acknowledged`,
      met: result.stored.stored === result.stored.acknowledged,
    });
  }
  return verdicts;
}

function lostOf(result: EngineResult): { lost: number; expected: number } {
  const deliveries = [
    ...result.throughput.map((r) => r.delivery),
    ...result.latency.map((r) => r.delivery),
    ...result.overload.map((r) => r.delivery),
  ].filter((delivery) => delivery !== null);
  return {
    lost: deliveries.reduce((sum, delivery) => sum + delivery.lost, 0),
    expected: deliveries.reduce((sum, delivery) => sum + delivery.expected, 0),
  };
}

export function throughputTable(engines: readonly EngineResult[]): string {
  return throughputRows(
    engines.flatMap(({ engine, ceiling, throughput }) =>
      [...ceiling, ...throughput].map((result) => ({ engine, result })),
    ),
  );
}

/** One row per measurement, with the CPU of every process involved. */
export function throughputRows(
  measured: readonly { engine: Engine; result: ThroughputResult }[],
): string {
  const header = [
    "engine",
    "path",
    "subscribers",
    "batch × in flight",
    "acknowledged events/s",
    "1st / 2nd half",
    "delivered events/s",
    "fan-out MB/s",
    "events per window",
    "ack p50 / p99 ms",
    "lost",
    "frames dropped",
    "hub CPU",
    "Postgres CPU",
    "subscribers CPU",
    "driver CPU",
    "other processes",
  ];
  return markdownTable(
    header,
    measured.map(({ engine, result }) => throughputRow(engine, result)),
  );
}

function throughputRow(engine: Engine, r: ThroughputResult): string[] {
  return [
    ENGINE_NAMES[engine],
    PATH_NAMES[r.path] + (r.sockets > 0 ? ` (${r.sockets} sockets)` : ""),
    count(r.subscribers),
    `${count(r.batch)} × ${r.concurrency}`,
    count(r.ackedPerS),
    `${count(r.halves[0])} / ${count(r.halves[1])}`,
    r.deliveredPerS === null ? "–" : count(r.deliveredPerS),
    r.deliveredBytesPerS === null ? "–" : count(r.deliveredBytesPerS / BYTES_PER_MB),
    count(r.meanWindow),
    `${ms(r.counts.ackRtt.p50)} / ${ms(r.counts.ackRtt.p99)}`,
    r.delivery === null ? "–" : count(r.delivery.lost),
    count(r.span.dropped),
    ...cpuCells(r.span, engine),
  ];
}

function cpuCells(measured: Span, engine: Engine): string[] {
  const core = (cores: number) => `${Math.round(cores * 100)} %`;
  return [
    core(measured.cores.hub),
    engine === "postgres" ? core(measured.cores.postgres) : "(in the hub)",
    core(measured.cores.subscribers),
    core(measured.cores.driver),
    measured.foreignCores === null ? "–" : core(measured.foreignCores),
  ];
}

export function latencyTable(engines: readonly EngineResult[]): string {
  const header = [
    "engine",
    "path",
    "events timed",
    "offered (one event per request)",
    "p50 ms",
    "p99 ms",
    "max ms",
    "samples",
    "first subscriber p50 / p99 ms",
    "their ack p50 / p99 ms",
    "lost",
  ];
  const rows = engines.flatMap((result) => result.latency.map((r) => latencyRow(result.engine, r)));
  return markdownTable(header, rows);
}

function latencyRow(engine: Engine, r: LatencyResult): string[] {
  const offered =
    r.kind === "critical"
      ? `${r.criticalPerS}/s ${CRITICAL_TYPE} + ${r.ordinaryPerS}/s ordinary`
      : `${r.ordinaryPerS}/s ordinary`;
  return [
    ENGINE_NAMES[engine],
    PATH_NAMES[r.path],
    r.kind,
    offered,
    ms(r.latency.all.p50),
    ms(r.latency.all.p99),
    ms(r.latency.all.max),
    count(r.latency.all.samples),
    `${ms(r.latency.first.p50)} / ${ms(r.latency.first.p99)}`,
    `${ms(r.timedAckRtt.p50)} / ${ms(r.timedAckRtt.p99)}`,
    count(r.delivery.lost),
  ];
}

export function overloadTable(engines: readonly EngineResult[]): string {
  const header = [
    "engine",
    "subscribers",
    "capacity (measured)",
    "offered",
    "sent",
    "accepted",
    "refused 503 (events / requests)",
    "hub pending, peak",
    "health answer, slowest",
    "other failures",
    "RSS before",
    "RSS peak, 1st half",
    "RSS peak, 2nd half",
    "RSS peak, last answers",
    "RSS after",
    "flat",
    "lost",
  ];
  const rows = engines.flatMap(({ engine, overload }) =>
    overload.map((o) => overloadRow(engine, o)),
  );
  return markdownTable(header, rows);
}

function overloadRow(engine: Engine, o: OverloadResult): string[] {
  return [
    ENGINE_NAMES[engine],
    count(o.subscribers),
    `${count(o.capacityPerS)} events/s`,
    `${count(o.offeredPerS)} events/s`,
    `${count(o.sentPerS)} events/s`,
    count(o.counts.accepted),
    `${count(o.counts.refused)} / ${count(o.counts.refusedRequests)}`,
    count(Math.max(0, ...o.pending.map(([, pending]) => pending))),
    `${ms(Math.max(0, ...o.pending.map(([, , answerMs]) => answerMs)))} ms`,
    count(o.counts.failed),
    `${mib(o.rss.before)} MiB`,
    `${mib(o.rss.firstHalfPeak)} MiB`,
    `${mib(o.rss.secondHalfPeak)} MiB`,
    `${mib(o.rss.tailPeak)} MiB (${o.tailS.toFixed(1)} s)`,
    `${mib(o.rss.after)} MiB`,
    o.rss.flat ? "yes" : "**no**",
    o.delivery === null ? "–" : count(o.delivery.lost),
  ];
}

export function resultsText(engines: readonly EngineResult[], verdicts: readonly TargetVerdict[]) {
  return [
    throughputTable(engines),
    latencyTable(engines),
    overloadTable(engines),
    targetsTable(verdicts, "measured"),
  ].join("\n\n");
}

export function docsSection(
  machine: Machine,
  revision: string | null,
  options: Options,
  engines: readonly EngineResult[],
  verdicts: readonly TargetVerdict[],
): string {
  const { load } = options;
  const rss = engines
    .map(
      (r) =>
        `${ENGINE_NAMES[r.engine]} ${mib(r.rss.idle)} MiB idle, ${mib(r.rss.withSubscribers)} MiB with ${count(r.subscribers.sockets)} subscribers`,
    )
    .join("; ");
  return `${MARKERS.begin}
## Ingest (\`bun run bench:ingest\`)

Events into the real hub (\`bun apps/server/src/main.ts\`, a subprocess on 127.0.0.1 with a fresh
data dir; Postgres gets a throw-away \`landale_bench_<random>\` database, dropped at the end; a fresh
hub and database for every measurement, the latency rows sharing one) through
\`POST /api/events\` and through \`ingest\` pushes on \`events:ingest\`, with ${count(load.subscribers)}
raw V2 sockets joined to \`events:all\` in a separate client process. The events are Twitch-shaped
(\`packages/shared\` fixtures): chat messages (~1.4 KB of JSON) with one follow in ${FOLLOW_EVERY}, and
\`stream.online\` as the critical type.

Command: \`bun run bench:ingest\` (\`--quick\` for a smoke run, \`--profile\` for CPU profiles of the hub).
Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Linux ${machine.kernel},
Bun ${machine.bun}. Measured ${machine.date} on commit ${revision ?? "(unknown)"}. Hub RSS: ${rss}.

Sustained throughput (${load.throughputS} s after ${load.warmupS} s of warm-up; the rows with 0
subscribers are the hub's ceiling without fan-out):

${throughputTable(engines)}

Ingest→receive latency (${load.latency.durationS} s per row, timed on every ${load.sampleEvery}th subscriber):

${latencyTable(engines)}

Overload (${load.overload.durationS} s of \`POST /api/events\` with ${count(load.overload.batch)} events per request,
offered at ${load.overload.factor}× the best throughput measured in the same set-up, without and with subscribers):

${overloadTable(engines)}

${targetsTable(verdicts, "measured")}

How it is measured:
- Throughput: a closed loop — each sender (HTTP request or channel push) sends its next batch as soon
  as the last is answered, so the hub's acknowledgement rate is the sustained rate. Acknowledged
  events/s counts only the ${load.throughputS} s after the warm-up; delivered events/s and fan-out
  MB/s are what all subscribers together received over the same span (events, and bytes of
  \`event_batch\` frames). Every row (and every repeat) runs on a fresh hub and database; "1st /
  2nd half" is the acknowledged rate in each half of the measured span, to show a hub that slows
  down as it takes more events. CPU columns are shares of one core over that
  span (the machine has ${machine.cpus}): the hub process (PGlite runs inside it), the Postgres server
  processes of the bench database plus its WAL writer, checkpointer and background writer, the
  subscriber process, and the driver (senders); "other processes" is what the rest of the machine
  used (from /proc/stat). A measurement disturbed by more than ${Math.round(DISTURBED_CORES * 100)} % of a core of other work is
  repeated (up to ${options.retries} times) and the quietest kept; each waits for a quiet machine first.
- Latency: one event per request (or push), sent on a fixed schedule (event k at k / rate), stamped
  with \`performance.timeOrigin + performance.now()\` in \`data.bench_sent_at\` just before sending;
  the subscriber's same clock at receipt minus the stamp. Ordinary events wait for their 50 ms
  window; critical ones (\`stream.online\`) flush it at once and are timed amid ordinary traffic.
  p50/p99/max are over every sampled subscriber's receipt; "first subscriber" takes, per event, only
  the sampled subscriber that got it first, so the difference is the time the one client process
  takes to read the same frame on ${count(load.subscribers)} sockets. "Their ack" is send → HTTP 202 or
  channel reply of those same requests; the hub answers after the window's \`publish\` call, so it
  includes the hub's side of the fan-out but not the subscribers' reading.
- Lost: every acknowledgement carries the seqs the events were stored with; every subscriber keeps
  the seq ranges (\`from_seq\`..\`to_seq\`) of the \`event_batch\`es it received, and lost counts, over
  all subscribers, the acknowledged seqs outside them — after a drain (every subscriber saw the last
  acknowledged seq, or nothing arrived for 2 s). In latency phases sampled subscribers also parse each
  batch and check it holds its whole range. "Frames dropped" is the hub's own count of frames
  back-pressure kept from a subscriber. At the end the events of the bench's types stored (counted
  through \`/api/activity/stats\`) are compared with every event acknowledged.
- Overload: an open loop at ${load.overload.factor}× capacity (request k at k / rate, whatever the answers; at most
  256 requests out, the rest counted as not sent). The hub's pending count (parsed events waiting
  for their window, the quantity back-pressure bounds) is read from \`/api/health\` every second,
  and how long that answer took. RSS is read from /proc every 250 ms; it is flat
  when its peak in the second half, and while the requests still out at the end are answered, is
  within ${Math.round(FLAT_RSS_TOLERANCE * 100)} % of its peak in the first half.
${MARKERS.end}`;
}
