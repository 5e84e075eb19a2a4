/** Turns ingest results into a verdict on each of issue 17's targets, the terminal's text, and the bench's section of docs/BENCHMARKS.md. */
import type { Machine } from "../lib/machine";
import {
  count,
  mib,
  ms,
  type SectionMarkers,
  sectionMarkers,
  type TargetVerdict,
  targetsTable,
} from "../lib/report";
import { WINDOW_ROWS } from "./ceiling";
import { DISTURBED_CORES, type EngineResult, QUIET_WAIT_MS } from "./engine";
import { HEARTBEAT_INTERVAL_MS } from "./heartbeat";
import type { Engine, Options } from "./options";
import { OVERLOAD_TIMEOUT_MS, RSS_TOLERANCE } from "./overload";
import { BODY_POOL, CRITICAL_TYPE, FOLLOW_EVERY } from "./payloads";
import type { ThroughputResult } from "./phases";
import {
  ceilingTable,
  ENGINE_NAMES,
  latencyTable,
  overloadTable,
  PATH_NAMES,
  share,
  throughputTable,
} from "./report-tables";

export const MARKERS: SectionMarkers = sectionMarkers("ingest", "bun run bench:ingest");

export const TARGETS = {
  /** Hub throughput as a share of its engine's ceiling; null: no target for that case. */
  ofCeiling: {
    postgres: { alone: 0.7, subscribed: 0.5 },
    pglite: { alone: 0.7, subscribed: null },
  } satisfies Record<Engine, { alone: number; subscribed: number | null }>,
  ordinaryP99Ms: 60,
  criticalP99Ms: { postgres: 5, pglite: 10 } satisfies Record<Engine, number>,
  /** Latency counts only measured below this share of the hub's capacity. */
  maxOfferedShare: 0.5,
  /** Heartbeat reply p99 while the hub ingests at capacity; judged where PGlite's writes could block it. */
  heartbeatP99Ms: { pglite: 5 } satisfies Partial<Record<Engine, number>>,
  rssTolerance: RSS_TOLERANCE,
  maxLost: 0,
} as const;

export function evaluateTargets(engines: readonly EngineResult[]): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  for (const result of engines) {
    const name = ENGINE_NAMES[result.engine];
    const shares = TARGETS.ofCeiling[result.engine];
    for (const measured of result.alone)
      verdicts.push(ceilingVerdict(result, measured, shares.alone));
    if (shares.subscribed !== null) {
      for (const measured of result.throughput) {
        verdicts.push(ceilingVerdict(result, measured, shares.subscribed));
      }
    }
    const heartbeatLimit = result.engine === "pglite" ? TARGETS.heartbeatP99Ms.pglite : null;
    if (heartbeatLimit !== null) {
      for (const measured of result.alone) {
        const heartbeat = measured.heartbeat;
        verdicts.push({
          target: `${name}, ${PATH_NAMES[measured.path]} at capacity: socket heartbeat reply p99 ≤ ${heartbeatLimit} ms`,
          measured:
            heartbeat === null
              ? "not measured"
              : `${ms(heartbeat.rtt.p99)} ms (max ${ms(heartbeat.rtt.max)}, ${count(heartbeat.rtt.samples)} of ${count(heartbeat.sent)} answered)`,
          met:
            heartbeat !== null &&
            heartbeat.unanswered === 0 &&
            heartbeat.rtt.samples > 0 &&
            heartbeat.rtt.p99 <= heartbeatLimit,
        });
      }
    }
    for (const measured of result.latency) {
      const limit =
        measured.kind === "critical" ? TARGETS.criticalP99Ms[result.engine] : TARGETS.ordinaryP99Ms;
      const underHalf = measured.offeredShare < TARGETS.maxOfferedShare;
      verdicts.push({
        target: `${name}, ${PATH_NAMES[measured.path]}: ${measured.kind} p99 ≤ ${limit} ms below ${share(TARGETS.maxOfferedShare)} of capacity`,
        measured:
          `${ms(measured.latency.all.p99)} ms (first subscriber ${ms(measured.latency.first.p99)} ms) ` +
          `at ${share(measured.offeredShare)} of capacity`,
        met: underHalf && measured.latency.all.p99 <= limit,
      });
    }
    for (const overload of result.overload) {
      const { rss } = overload;
      verdicts.push({
        target: `${name}, ${count(overload.subscribers)} subscribers: RSS after a ${Math.round(overload.offeredPerS / overload.capacityPerS)}× overload within ${share(TARGETS.rssTolerance)} of before`,
        measured: `${mib(rss.before)} → ${mib(rss.after)} MiB (peak ${mib(Math.max(rss.firstHalfPeak, rss.secondHalfPeak, rss.tailPeak))} MiB), ${count(overload.counts.refused)} events refused`,
        met: rss.flat,
      });
    }
    const lost = lostOf(result);
    verdicts.push({
      target: `${name}: ${TARGETS.maxLost} acknowledged events lost (every subscriber, every phase)`,
      measured:
        `${count(lost.lost)} of ${count(lost.expected)}` +
        (lost.closedSockets > 0
          ? `; ${count(lost.closedSockets)} sockets the hub closed as too slow missed ${count(lost.closedMissed)}`
          : ""),
      met: lost.lost <= TARGETS.maxLost,
    });
    // Events of a request that timed out may be stored without an acknowledgement: more is no loss.
    verdicts.push({
      target: `${name}: every acknowledged event stored`,
      measured: `${count(result.stored.stored)} stored of ${count(result.stored.acknowledged)} acknowledged`,
      met: result.stored.stored >= result.stored.acknowledged,
    });
  }
  return verdicts;
}

function ceilingVerdict(
  result: EngineResult,
  measured: ThroughputResult,
  minShare: number,
): TargetVerdict {
  const best = result.ceiling.best;
  const ratio = measured.ackedPerS / best.rowsPerS;
  // The hub writes the same rows by a slower path than the bare client: above 100 %, the ceiling
  // itself was held down (other processes), and the comparison says nothing.
  const credible = ratio <= 1;
  // Subscribers the hub closed as too slow were not served for the rest of the span: the rate is
  // then that of fewer subscribers than the target names.
  const closed = measured.delivery?.closedTooSlow.sockets ?? 0;
  return {
    target: `${ENGINE_NAMES[result.engine]}, ${PATH_NAMES[measured.path]}, ${count(measured.subscribers)} subscribers: ≥ ${share(minShare)} of the ceiling`,
    measured:
      `${count(measured.ackedPerS)} events/s = ${share(ratio)} of ${count(best.rowsPerS)} rows/s (${best.method})` +
      (credible ? "" : "; the ceiling was held down, measure again") +
      (closed === 0
        ? ""
        : `; ${count(closed)} of ${count(measured.subscribers)} subscribers closed as too slow, so fewer were served`),
    met: credible && closed === 0 && ratio >= minShare,
  };
}

function lostOf(result: EngineResult): {
  lost: number;
  expected: number;
  closedSockets: number;
  closedMissed: number;
} {
  const deliveries = [
    ...result.alone.map((r) => r.delivery),
    ...result.throughput.map((r) => r.delivery),
    ...result.latency.map((r) => r.delivery),
    ...result.overload.map((r) => r.delivery),
  ].filter((delivery) => delivery !== null);
  return {
    lost: deliveries.reduce((sum, delivery) => sum + delivery.lost, 0),
    expected: deliveries.reduce((sum, delivery) => sum + delivery.expected, 0),
    closedSockets: deliveries.reduce((sum, delivery) => sum + delivery.closedTooSlow.sockets, 0),
    closedMissed: deliveries.reduce((sum, delivery) => sum + delivery.closedTooSlow.missed, 0),
  };
}

export function resultsText(engines: readonly EngineResult[], verdicts: readonly TargetVerdict[]) {
  return [
    ceilingTable(engines),
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

Events into the real hub (\`bun apps/server/src/main.ts\`, a subprocess on 127.0.0.1 started with
the runtime settings \`bun start\` gives it (\`apps/server/src/runtime-env.ts\`) and a fresh data
dir, on PGlite a copy of the migrated template the tests use; Postgres gets a throw-away
\`landale_bench_<random>\` database, dropped at the end; a fresh hub and database for every
measurement, the latency rows sharing one) through
\`POST /api/events\` and through \`ingest\` pushes on \`events:ingest\`, with ${count(load.subscribers)}
raw V2 sockets joined to \`events:all\` in a separate client process. The events are Twitch-shaped
(\`packages/shared\` fixtures): chat messages (~1.4 KB of JSON) with one follow in ${FOLLOW_EVERY}, and
\`${CRITICAL_TYPE}\` as the critical type. Each engine's hub is judged against the ceiling of its
database measured in the same run: the same rows written without the hub.

Command: \`bun run bench:ingest\` (\`--quick\` for a smoke run, \`--profile\` for CPU profiles of the hub).
Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Linux ${machine.kernel},
Bun ${machine.bun}. Measured ${machine.date} on commit ${revision ?? "(unknown)"}. Hub RSS: ${rss}.

Ceiling (${count(WINDOW_ROWS)}-row windows, one transaction each, ${load.throughputS} s after ${load.warmupS} s of warm-up; the
fastest way tried is the engine's ceiling):

${ceilingTable(engines)}

Sustained throughput of the hub (${load.throughputS} s after ${load.warmupS} s of warm-up; "of the ceiling" is
acknowledged events/s over the ceiling's rows/s; the rows with 0 subscribers carry the heartbeat probe):

${throughputTable(engines)}

Ingest→receive latency (${load.latency.durationS} s per row, timed on every ${load.sampleEvery}th subscriber; capacity is the
best throughput measured with the same subscribers):

${latencyTable(engines)}

Overload (${load.overload.warmupS} s closed loop at capacity, then ${load.overload.durationS} s of \`POST /api/events\` with
${count(load.overload.batch)} events per request offered at ${load.overload.factor}× the best throughput measured in the same set-up,
then ${load.overload.idleS} s idle; without and with subscribers):

${overloadTable(engines)}

${targetsTable(verdicts, "measured")}

How it is measured:
- Ceiling: before any hub runs, a fresh database (Postgres: a throw-away database; PGlite: a fresh
  data dir, from the template) is migrated by \`connect()\` from \`@landale/db\`, so its schema and
  indexes are the hub's, and closed. A bare client then writes the rows the hub would store for the bench's events (id,
  seq, type, source, ts, received_at, correlation_id, user_id, user_login, data, normalised as
  \`toPending\` and \`userOf\` do) in ${count(WINDOW_ROWS)}-row windows, each its own transaction, in a
  closed loop. Postgres: postgres.js \`COPY events (…) FROM STDIN\` in text format over 1 and 2
  concurrent connections, each trial on a fresh database, CPU split as for the hub rows (the
  client is the driver process). PGlite: in a bun process of its own with the hub's runtime
  settings (the hub's PGlite gets a thread of its own), \`COPY events FROM '/dev/blob'\` with
  the \`blob\` query option, and an
  \`INSERT … SELECT … FROM json_to_recordset($1::json)\` of the whole window, each on a fresh data
  dir. A trial disturbed by other processes is repeated as the throughput rows are (below), and
  its fastest attempt kept; the fastest way is the ceiling, and every hub throughput row is shown
  as a share of it. A hub above 100 % of it means the ceiling was held down: that target is not met.
- Throughput: a closed loop — each sender (HTTP request or channel push) sends its next batch as soon
  as the last is answered, so the hub's acknowledgement rate is the sustained rate; the batches are
  ${BODY_POOL} bodies built before the measurement, sent in turn (the hub gives every event a new
  id), so the driver spends its share of the machine sending, not serialising. Acknowledged
  events/s counts only the ${load.throughputS} s after the warm-up; delivered events/s and fan-out
  MB/s are what all subscribers together received over the same span (events, and bytes of
  \`event_batch\` frames). Every row (and every repeat) runs on a fresh hub and database; "1st /
  2nd half" is the acknowledged rate in each half of the measured span, to show a hub that slows
  down as it takes more events. CPU columns are shares of one core over that
  span (the machine has ${machine.cpus}): the hub process (PGlite runs inside it), the Postgres server
  processes of the bench database plus its WAL writer, checkpointer and background writer, the
  subscriber process, and the driver (senders); "other processes" is what the rest of the machine
  used (from /proc/stat). A measurement disturbed by more than ${Math.round(DISTURBED_CORES * 100)} % of a core of other work is
  repeated (up to ${options.retries} times) and the quietest kept; each waits (up to ${QUIET_WAIT_MS[options.quick ? "quick" : "standard"] / 1000} s) for a quiet
  machine first.
- Heartbeat: during the rows without subscribers, a process of its own opens one more raw V2
  socket on \`/socket\` and sends a Phoenix heartbeat (topic \`phoenix\`, event \`heartbeat\`) every
  ${HEARTBEAT_INTERVAL_MS} ms over the measured span, timing each send → \`phx_reply\`; a heartbeat still
  unanswered a second after the last was sent counts against the target.
- Latency: one event per request (or push), sent on a fixed schedule (event k at k / rate), stamped
  with \`performance.timeOrigin + performance.now()\` in \`data.bench_sent_at\` just before sending;
  the subscriber's same clock at receipt minus the stamp. Ordinary events wait for their 50 ms
  window; critical ones (\`${CRITICAL_TYPE}\`) flush it at once and are timed amid ordinary traffic.
  "Offered / capacity" is the events offered a second over the best acknowledged rate measured with
  the same subscribers; a latency target counts only below ${share(TARGETS.maxOfferedShare)} of it.
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
  through \`/api/activity/stats\`) are compared with every event acknowledged; more stored than
  acknowledged is no loss (a request that timed out may still have been stored).
- Overload: first a closed loop at capacity (the throughput set-up over HTTP) for ${load.overload.warmupS} s;
  "RSS before" is read after it. Then an open loop at ${load.overload.factor}× capacity (request k at k / rate,
  whatever the answers; at most 256 requests out, the rest counted as not sent; a request
  unanswered after ${OVERLOAD_TIMEOUT_MS / 1000} s counts as failed). The hub's pending count (parsed events waiting
  for their window, the quantity back-pressure bounds) is read from \`/api/health\` every second,
  and how long that answer took. RSS is read from /proc every 250 ms (the peak columns); "RSS
  after" is read once the hub has been idle ${load.overload.idleS} s after the last answer, and the target
  holds when it is within ${share(TARGETS.rssTolerance)} of "RSS before".
${MARKERS.end}`;
}
