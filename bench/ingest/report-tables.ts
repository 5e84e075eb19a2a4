/** The ingest bench's tables: the storage ceiling, throughput (as a share of it), latency, overload. */
import { count, markdownTable, mib, ms } from "../lib/report";
import type { Ceiling } from "./ceiling";
import type { EngineResult } from "./engine";
import type { Engine } from "./options";
import type { OverloadResult } from "./overload";
import { CRITICAL_TYPE } from "./payloads";
import type { LatencyResult, ThroughputResult } from "./phases";
import type { Span } from "./probe";
import type { Delivery } from "./subscribers";

const BYTES_PER_MB = 1_000_000;
export const ENGINE_NAMES: Record<Engine, string> = { pglite: "PGlite", postgres: "Postgres" };
export const PATH_NAMES = { http: "POST /api/events", channel: "channel push" } as const;

/** A share as a whole percentage, e.g. "64 %". */
export function share(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value * 100)} %` : "–";
}

export function ceilingTable(engines: readonly EngineResult[]): string {
  const header = [
    "engine",
    "bare client writes",
    "rows per window",
    "rows/s",
    "attempts",
    "kept",
    "client CPU",
    "Postgres CPU",
    "other processes",
  ];
  const rows = engines.flatMap(({ engine, ceiling }) =>
    ceiling.trials.map((trial) => [
      ENGINE_NAMES[engine],
      trial.method,
      count(ceiling.window),
      count(trial.rowsPerS),
      String(trial.attempts),
      trial.method === ceiling.best.method ? "**ceiling**" : "",
      core(trial.cores.client),
      trial.cores.postgres === null ? "(in the client)" : core(trial.cores.postgres),
      trial.foreignCores === null ? "–" : core(trial.foreignCores),
    ]),
  );
  return markdownTable(header, rows);
}

export function throughputTable(engines: readonly EngineResult[]): string {
  return throughputRows(
    engines.flatMap(({ engine, ceiling, alone, throughput }) =>
      [...alone, ...throughput].map((result) => ({ engine, result, ceiling })),
    ),
  );
}

/** One row per measurement, with the CPU of every process involved; the share column needs a ceiling. */
export function throughputRows(
  measured: readonly { engine: Engine; result: ThroughputResult; ceiling?: Ceiling }[],
): string {
  const header = [
    "engine",
    "path",
    "subscribers",
    "batch × in flight",
    "acknowledged events/s",
    "of the ceiling",
    "1st / 2nd half",
    "delivered events/s",
    "fan-out MB/s",
    "events per window",
    "ack p50 / p99 ms",
    "heartbeat reply p50 / p99 / max ms",
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
    measured.map(({ engine, result, ceiling }) => throughputRow(engine, result, ceiling)),
  );
}

function throughputRow(engine: Engine, r: ThroughputResult, ceiling?: Ceiling): string[] {
  const heartbeat = r.heartbeat;
  return [
    ENGINE_NAMES[engine],
    PATH_NAMES[r.path] + (r.sockets > 0 ? ` (${r.sockets} sockets)` : ""),
    count(r.subscribers),
    `${count(r.batch)} × ${r.concurrency}`,
    count(r.ackedPerS),
    ceiling === undefined ? "–" : share(r.ackedPerS / ceiling.best.rowsPerS),
    `${count(r.halves[0])} / ${count(r.halves[1])}`,
    r.deliveredPerS === null ? "–" : count(r.deliveredPerS),
    r.deliveredBytesPerS === null ? "–" : count(r.deliveredBytesPerS / BYTES_PER_MB),
    count(r.meanWindow),
    `${ms(r.counts.ackRtt.p50)} / ${ms(r.counts.ackRtt.p99)}`,
    heartbeat === null
      ? "–"
      : `${ms(heartbeat.rtt.p50)} / ${ms(heartbeat.rtt.p99)} / ${ms(heartbeat.rtt.max)}` +
        (heartbeat.unanswered > 0 ? ` (${count(heartbeat.unanswered)} unanswered)` : ""),
    r.delivery === null ? "–" : lostCell(r.delivery),
    count(r.span.dropped),
    ...cpuCells(r.span, engine),
  ];
}

function cpuCells(measured: Span, engine: Engine): string[] {
  return [
    core(measured.cores.hub),
    engine === "postgres" ? core(measured.cores.postgres) : "(in the hub)",
    core(measured.cores.subscribers),
    core(measured.cores.driver),
    measured.foreignCores === null ? "–" : core(measured.foreignCores),
  ];
}

function core(cores: number): string {
  return `${Math.round(cores * 100)} %`;
}

export function latencyTable(engines: readonly EngineResult[]): string {
  const header = [
    "engine",
    "path",
    "events timed",
    "offered (one event per request)",
    "offered / capacity",
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
    `${share(r.offeredShare)} of ${count(r.capacityPerS)}/s`,
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
    "warm-up at capacity",
    "offered",
    "sent",
    "accepted",
    "refused 503 (events / requests)",
    "hub pending, peak",
    "health answer, slowest",
    "other failures",
    "RSS before (after the warm-up)",
    "RSS peak, 1st half",
    "RSS peak, 2nd half",
    "RSS peak, last answers",
    "RSS after (idle)",
    "after / before",
    "lost",
  ];
  const rows = engines.flatMap(({ engine, overload }) =>
    overload.map((o) => overloadRow(engine, o)),
  );
  return markdownTable(header, rows);
}

function overloadRow(engine: Engine, o: OverloadResult): string[] {
  const ratio = o.rss.before === 0 ? Number.NaN : o.rss.after / o.rss.before;
  return [
    ENGINE_NAMES[engine],
    count(o.subscribers),
    `${count(o.capacityPerS)} events/s`,
    `${count(o.warmupPerS)} events/s`,
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
    `${mib(o.rss.after)} MiB (${o.idleS} s)`,
    o.rss.flat ? share(ratio) : `**${share(ratio)}**`,
    o.delivery === null ? "–" : count(o.delivery.lost),
  ];
}

/** Lost events, and the sockets the hub closed as too slow (which rejoin in real clients). */
function lostCell(delivery: Delivery): string {
  const closed = delivery.closedTooSlow;
  return closed.sockets === 0
    ? count(delivery.lost)
    : `${count(delivery.lost)} (${count(closed.sockets)} sockets closed as too slow)`;
}
