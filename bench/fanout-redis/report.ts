/** The Redis fan-out bench's table and its section of docs/BENCHMARKS.md. */
import type { ScenarioConfig, ScenarioResult } from "../fanout/scenario";
import type { Machine } from "../lib/machine";
import { count, markdownTable, ms, percent, sectionMarkers } from "../lib/report";

export const DOCS_MARKERS = sectionMarkers("fanout-redis", "bun run bench:fanout-redis");

interface AdapterCounters {
  publishDropped?: number;
  publishFailed?: number;
  missed?: number;
}

/** The adapter's losses on both nodes, or "–" for the single node. */
function adapterLosses(result: ScenarioResult): string {
  const nodes = result.serverCounters as {
    publisher?: { adapter?: AdapterCounters };
    subscriber?: { adapter?: AdapterCounters };
  };
  if (nodes.publisher === undefined) return "–";
  const of = (c: AdapterCounters | undefined) =>
    (c?.publishDropped ?? 0) + (c?.publishFailed ?? 0) + (c?.missed ?? 0);
  return count(of(nodes.publisher.adapter) + of(nodes.subscriber?.adapter));
}

export function resultsTable(results: readonly ScenarioResult[]): string {
  const header = [
    "path",
    "sockets × msg/s",
    "delivered msgs/s",
    "of offered",
    "p50 ms",
    "p99 ms",
    "max ms",
    "lost",
    "adapter dropped/missed",
    "servers CPU",
    "other processes",
  ];
  const rows = results.map((r) => [
    r.server === "redis" ? "cross-node (Redis)" : "single node",
    `${count(r.load.sockets)} × ${r.load.rate}`,
    count(r.deliveredPerS),
    percent(r.deliveredPerS / r.offeredPerS),
    ms(r.latency.p50),
    ms(r.latency.p99),
    ms(r.latency.max),
    count(r.lost),
    adapterLosses(r),
    `${Math.round(r.cpu.server)} %`,
    r.machineCpu.foreignCores === null ? "–" : `${Math.round(r.machineCpu.foreignCores * 100)} %`,
  ]);
  return markdownTable(header, rows);
}

export function docsSection(
  machine: Machine,
  config: ScenarioConfig,
  results: readonly ScenarioResult[],
): string {
  return `${DOCS_MARKERS.begin}
## Fan-out across nodes (\`bun run bench:fanout-redis\`)

The fan-out bench's light load, measured the same way (see above), twice: on one channels server
(no adapter), then across two channels servers sharing broadcasts through the Redis adapter
(\`createRedisAdapter\`, the Redis on 127.0.0.1:6379, a channel of the run's own). Across nodes the
broadcast runs on one server and every socket is joined to the other, so each timed message went
publisher → Redis → subscriber node → socket. Servers CPU is both servers' across nodes (Redis's
own CPU is not counted).

Command: \`bun run bench:fanout-redis\` (\`--quick\` for a fast check, \`--help\` for overrides).

- Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Linux ${machine.kernel}, Bun ${machine.bun}
- Measured: ${machine.date}
- ${config.durationS} s of broadcast after ${config.warmupS} s of warm-up; ${config.workers} client processes; latency timed on every ${config.sampleEvery}th socket

${resultsTable(results)}
${DOCS_MARKERS.end}`;
}
