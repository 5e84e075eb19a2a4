/** Turns fan-out results into a table, a verdict on each target, and a section of docs/BENCHMARKS.md. */
import type { Machine } from "../lib/machine";
import {
  count,
  kb,
  markdownTable,
  mib,
  ms,
  percent,
  sectionMarkers,
  type TargetVerdict,
  targetsTable,
} from "../lib/report";
import type { Options } from "./options";
import { DISTURBED_CORES, isDisturbed, type ScenarioResult } from "./scenario";

export const TARGETS = {
  /** At the light load, channels' p99 at most this multiple of the ceiling's. */
  lightP99Ratio: 1.25,
  /** At saturation, channels delivers at least this share of the ceiling's msgs/s. */
  saturationThroughputShare: 0.9,
  maxLost: 0,
  /** Server RSS per idle joined socket, bytes (1 KB = 1,000 bytes). */
  maxRssPerIdleSocket: 10_000,
} as const;

export const DOCS_MARKERS = sectionMarkers("fanout", "bun run bench:fanout");
const BYTES_PER_KB = 1_000;
const SERVER_LABEL = {
  bare: "ceiling",
  channels: "channels",
  redis: "channels via Redis",
} as const;

export function evaluateTargets(results: readonly ScenarioResult[]): TargetVerdict[] {
  const find = (load: string, server: string) =>
    results.find((result) => result.load.name === load && result.server === server);
  const verdicts: TargetVerdict[] = [];
  const lightBare = find("light", "bare");
  const lightChannels = find("light", "channels");
  if (lightBare !== undefined && lightChannels !== undefined) {
    const ratio = lightChannels.latency.p99 / lightBare.latency.p99;
    verdicts.push({
      target: `light: p99 ≤ ${TARGETS.lightP99Ratio}× the ceiling's`,
      measured: `${ms(lightChannels.latency.p99)} vs ${ms(lightBare.latency.p99)} ms (${ratio.toFixed(2)}×)`,
      met: ratio <= TARGETS.lightP99Ratio,
    });
  }
  const saturationBare = find("saturation", "bare");
  const saturationChannels = find("saturation", "channels");
  if (saturationBare !== undefined && saturationChannels !== undefined) {
    const share = saturationChannels.deliveredPerS / saturationBare.deliveredPerS;
    verdicts.push({
      target: `saturation: ≥ ${percent(TARGETS.saturationThroughputShare)} of the ceiling's msgs/s`,
      measured: `${count(saturationChannels.deliveredPerS)} vs ${count(saturationBare.deliveredPerS)} (${percent(share)})`,
      met: share >= TARGETS.saturationThroughputShare,
    });
  }
  for (const result of results.filter((r) => r.server === "channels")) {
    verdicts.push({
      target: `${result.load.name}: ${TARGETS.maxLost} lost`,
      measured: `${count(result.lost)} of ${count(result.expected)}`,
      met: result.lost <= TARGETS.maxLost,
    });
  }
  for (const result of results.filter((r) => r.server === "channels")) {
    verdicts.push({
      target: `RSS ≤ ${TARGETS.maxRssPerIdleSocket / BYTES_PER_KB} KB per idle socket (${count(result.load.sockets)} sockets)`,
      measured: `${kb(result.rss.perIdleSocket)} KB (${count(result.rss.perIdleSocket)} bytes)`,
      met: result.rss.perIdleSocket <= TARGETS.maxRssPerIdleSocket,
    });
  }
  return verdicts;
}

export function resultsTable(results: readonly ScenarioResult[]): string {
  const header = [
    "load",
    "server",
    "sockets × msg/s",
    "delivered msgs/s",
    "of offered",
    "p50 ms",
    "p99 ms",
    "max ms",
    "lost",
    "idle RSS/socket",
    "peak RSS",
    "server CPU",
    "clients CPU",
    "machine CPU",
    "other processes",
  ];
  const rows = results.map((r) => [
    r.load.name,
    r.server === "bare" ? "bare (ceiling)" : "channels",
    `${count(r.load.sockets)} × ${r.load.rate}`,
    count(r.deliveredPerS),
    percent(r.deliveredPerS / r.offeredPerS),
    ms(r.latency.p50),
    ms(r.latency.p99),
    ms(r.latency.max),
    count(r.lost),
    `${kb(r.rss.perIdleSocket)} KB`,
    `${mib(r.rss.peak)} MiB`,
    `${Math.round(r.cpu.server)} %`,
    `${Math.round(r.cpu.clients)} %`,
    r.machineCpu.machine === null ? "–" : `${Math.round(r.machineCpu.machine.busy)} %`,
    r.machineCpu.foreignCores === null ? "–" : `${Math.round(r.machineCpu.foreignCores * 100)} %`,
  ]);
  return markdownTable(header, rows);
}

export function verdictsTable(verdicts: readonly TargetVerdict[]): string {
  return targetsTable(verdicts, "measured (channels vs ceiling)");
}

/**
 * What one more socket costs each server, from the two loads' idle RSS: unlike RSS ÷ N, it leaves
 * out what the first connections cost once (compiled code, grown heaps). Null without two loads.
 */
export function memoryPerSocket(results: readonly ScenarioResult[]): string | null {
  const parts: string[] = [];
  for (const server of ["channels", "bare"] as const) {
    const runs = results
      .filter((r) => r.server === server)
      .sort((a, b) => a.load.sockets - b.load.sockets);
    const low = runs[0];
    const high = runs[runs.length - 1];
    if (low === undefined || high === undefined || low.load.sockets === high.load.sockets) continue;
    const grown = (r: ScenarioResult) => r.rss.idle - r.rss.baseline;
    const marginal = (grown(high) - grown(low)) / (high.load.sockets - low.load.sockets);
    parts.push(
      `${SERVER_LABEL[server]} ${kb(marginal)} KB RSS (JS heap ${kb(high.rss.heapPerIdleSocket)} KB)`,
    );
  }
  return parts.length === 0 ? null : parts.join("; ");
}

/** Names the measurements other processes disturbed even after the retries, or null. */
export function disturbanceNote(results: readonly ScenarioResult[]): string | null {
  const disturbed = results.filter(isDisturbed);
  if (disturbed.length === 0) return null;
  const names = disturbed.map((r) => `${r.load.name}/${SERVER_LABEL[r.server]}`).join(", ");
  return `\n**Caution:** other processes took more than ${DISTURBED_CORES * 100} % of a core during ${names} (see the last column); those figures are noisier than the rest.\n`;
}

export function docsSection(
  machine: Machine,
  options: Options,
  results: readonly ScenarioResult[],
  verdicts: readonly TargetVerdict[],
): string {
  return `${DOCS_MARKERS.begin}
## Fan-out (\`bun run bench:fanout\`)

N WebSockets joined to one topic; the server broadcasts a ~100-byte JSON payload at a fixed rate.
Each load runs twice in the same command: against \`@landale/channels\` (Bun.serve +
\`createChannelServer\`, V2 JSON, the payload wrapped in \`[null,null,topic,event,payload]\`) and
against the ceiling, a bare \`Bun.serve\` that subscribes each socket on open and \`server.publish\`es
the raw payload with the same WebSocket settings (no compression, no pings, 4 MiB back-pressure limit).

Command: \`bun run bench:fanout\` (\`--quick\` for a fast check, \`--help\` for overrides).

- Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Linux ${machine.kernel}, Bun ${machine.bun}
- Measured: ${machine.date}
- Per load and server: ${options.durationS} s of broadcast after ${options.warmupS} s of warm-up; ${options.workers} client processes; latency timed on every ${options.sampleEvery}th socket

${resultsTable(results)}
${disturbanceNote(results) ?? ""}
${verdictsTable(verdicts)}

Cost of one more idle socket, from the difference between the two loads: ${memoryPerSocket(results) ?? "–"}.

How it is measured:
- Servers and clients are separate Bun processes on 127.0.0.1. The server's control endpoint
  starts a broadcast: message k is due at k / rate seconds; a late timer tick sends every message
  already due, so the offered rate holds on average.
- Each message carries its sequence number and \`performance.timeOrigin + performance.now()\` taken
  just before the publish call; latency is the receiving client's same clock minus that stamp.
- Every socket counts every broadcast; only every ${options.sampleEvery}th socket parses frames, the
  same sockets for both servers. Lost = broadcasts sent × sockets − received, after the drain (all
  arrived, or nothing arrived for 1.5 s).
- Delivered msgs/s = received ÷ (last receive − first publish + one send interval), so a server
  that keeps up shows 100 % of offered (sockets × rate). Server and clients CPU are shares of one
  core over the same span (the machine has ${machine.cpus}); machine CPU is /proc/stat's busy share
  of all cores while the broadcast ran, and "other processes" what was left after the bench's own
  processes, in shares of one core. Each measurement waits (up to a minute) for the machine to be
  quiet first; one where others still took more than ${DISTURBED_CORES * 100} % of a core is repeated
  (up to ${options.retries} times) and the quietest attempt kept.
- Idle RSS/socket = (server RSS with N idle joined sockets − RSS before any socket) ÷ N, each read
  1 s after a full GC (so the allocator has returned freed pages); peak RSS is the highest RSS seen
  while broadcasting.
${DOCS_MARKERS.end}`;
}
