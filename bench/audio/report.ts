/** Turns the audio bench's results into tables, a verdict on each target, and its docs section. */
import type { Machine } from "../lib/machine";
import type { Latency } from "../lib/percentiles";
import {
  count,
  markdownTable,
  ms,
  sectionMarkers,
  type TargetVerdict,
  targetsTable,
} from "../lib/report";
import type { Options } from "./options";
import type { RtfResult, StreamResult } from "./phases";

export const DOCS_MARKERS = sectionMarkers("audio", "bun run bench:audio");

/** What we consider good; the issue names no numbers for audio. */
export const TARGETS = {
  /** One microphone should cost the worker a few percent of a core at most. */
  rtf: 0.05,
  /** Closing packet sent → caption heard. */
  processingP99Ms: 50,
  /** End of speech → caption, past the silence window that closes a segment by design. */
  overWindowP99Ms: 50,
} as const;

export interface RunContext {
  machine: Machine;
  revision: string | null;
  /** The worker's silence window as it applies it: whole 30 ms VAD frames. */
  windowMs: number;
  loopSeconds: number;
  sentences: number;
}

export function evaluateTargets(
  rtf: readonly RtfResult[],
  stream: StreamResult,
  context: RunContext,
): TargetVerdict[] {
  const { latency, health } = stream;
  const lost = health.queue.dropped + health.events.dropped;
  return [
    ...rtf.flatMap((r) => [
      {
        target: `${packetName(r.packetFrames)}: CPU RTF ≤ ${TARGETS.rtf}`,
        measured: r.cpuRtf.toFixed(4),
        met: r.cpuRtf <= TARGETS.rtf,
      },
      {
        target: `${packetName(r.packetFrames)}: wall RTF ≤ ${TARGETS.rtf}`,
        measured: r.wallRtf.toFixed(4),
        met: r.wallRtf <= TARGETS.rtf,
      },
    ]),
    {
      target: `closing packet → caption p99 ≤ ${TARGETS.processingP99Ms} ms`,
      measured: `${ms(latency.processing.p99)} ms`,
      met: latency.processing.p99 <= TARGETS.processingP99Ms,
    },
    {
      target: `end of speech → caption p99 ≤ silence window (${context.windowMs} ms) + ${TARGETS.overWindowP99Ms} ms`,
      measured: `${ms(latency.total.p99)} ms (window + ${ms(latency.total.p99 - context.windowMs)})`,
      met: latency.total.p99 <= context.windowMs + TARGETS.overWindowP99Ms,
    },
    {
      target: "every sentence captioned, none merged",
      measured: `${latency.captioned} of ${latency.expected}, ${latency.merged} merged, ${latency.unmatched} unmatched`,
      met: latency.captioned === latency.expected && latency.merged === 0,
    },
    {
      target: `RSS flat over ${stream.minutes} min (2nd half's median ≤ 1.05 × 1st half's)`,
      measured: `${mib1(stream.rss.firstHalfMedian)} → ${mib1(stream.rss.secondHalfMedian)} MiB (peak ${mib1(stream.rss.max)})`,
      met: stream.rss.flat,
    },
    {
      target: "nothing dropped (segment queue, /events)",
      measured: `${lost}`,
      met: lost === 0,
    },
  ];
}

const packetName = (frames: number) =>
  `${frames}-frame packets (${ms((frames * 1000) / 48_000)} ms)`;
const mib1 = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const spread = (l: Latency) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`;
const share = (cores: number | null) => (cores === null ? "–" : `${Math.round(cores * 100)} %`);

export function rtfTable(results: readonly RtfResult[]): string {
  return markdownTable(
    [
      "packets",
      "audio pushed",
      "wall",
      "worker CPU",
      "**wall RTF**",
      "**CPU RTF**",
      "CPU ms per audio s",
      "segments / captions",
      "machine CPU",
      "other processes",
    ],
    results.map((r) => [
      packetName(r.packetFrames),
      `${count(r.audioS)} s`,
      `${r.wallS.toFixed(2)} s`,
      `${r.workerCpuS.toFixed(2)} s`,
      `**${r.wallRtf.toFixed(4)}**`,
      `**${r.cpuRtf.toFixed(4)}**`,
      (r.cpuRtf * 1000).toFixed(2),
      `${count(r.segments)} / ${count(r.captions)}`,
      r.cpu.machine === null ? "–" : `${Math.round(r.cpu.machine.busy)} %`,
      share(r.cpu.foreignCores),
    ]),
  );
}

export function latencyTable(stream: StreamResult, windowMs: number): string {
  const { latency } = stream;
  const hangover = (l: Latency) => ({
    ...l,
    p50: l.p50 - windowMs,
    p99: l.p99 - windowMs,
    max: l.max - windowMs,
  });
  return markdownTable(
    ["span", "p50 / p99 / max ms"],
    [
      [
        "**end of speech → caption** (last voice packet sent → `audio:transcription` heard)",
        `**${spread(latency.total)}**`,
      ],
      [
        "wait for the audio that closes the segment (last voice packet sent → closing packet sent)",
        spread(latency.wait),
      ],
      ["processing (closing packet sent → caption heard)", `**${spread(latency.processing)}**`],
      ["audio in the segment after the last voice sample", spread(latency.trailing)],
      [
        `… of which past the ${windowMs} ms window (the VAD still hearing speech)`,
        spread(hangover(latency.trailing)),
      ],
    ],
  );
}

export function rssTable(stream: StreamResult): string {
  const perMin = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB/min`;
  return markdownTable(
    [
      "minutes",
      "start (idle)",
      "median, 1st / 2nd half",
      "max",
      "end",
      "slope",
      "slope, 2nd half",
      "flat",
      "worker CPU at real-time pace",
    ],
    [
      [
        String(stream.minutes),
        `${mib1(stream.rss.start)} MiB`,
        `${mib1(stream.rss.firstHalfMedian)} / ${mib1(stream.rss.secondHalfMedian)} MiB`,
        `${mib1(stream.rss.max)} MiB`,
        `${mib1(stream.rss.end)} MiB`,
        perMin(stream.rss.slopePerMin),
        perMin(stream.rss.secondHalfSlopePerMin),
        stream.rss.flat ? "yes" : "**no**",
        share(stream.workerCores),
      ],
    ],
  );
}

export function verdictsTable(verdicts: readonly TargetVerdict[]): string {
  return targetsTable(verdicts, "measured");
}

export function docsSection(
  context: RunContext,
  options: Options,
  rtf: readonly RtfResult[],
  stream: StreamResult,
  verdicts: readonly TargetVerdict[],
): string {
  const { machine } = context;
  const series = stream.rssSamples.map((s) => (s.bytes / 2 ** 20).toFixed(1)).join(", ");
  return `${DOCS_MARKERS.begin}
## Audio worker (\`bun run bench:audio\`)

The real audio worker (\`startWorker\` from \`apps/phononmaser\`, in a process of its own on
127.0.0.1, default settings, \`LANDALE_TRANSCRIBER=none\`, no link to a hub) fed over its WebSocket the way OBS
feeds it: binary frames of 48 kHz stereo float32, ${count(options.packetFrames)} sample frames per packet (OBS's audio tick).
The audio is ${context.sentences} espeak-ng sentences, each followed by a 1.2–2.5 s pause, over a −66 dBFS
noise floor: ${context.loopSeconds.toFixed(1)} s, looped. \`none\` answers every segment with no words, so nothing would
reach \`/events\`; the bench's worker answers each segment at once with a fixed caption instead,
so \`audio:transcription\` on \`/events\` marks the moment the segment left the pipeline, with no
ASR time in it.

Command: \`bun run bench:audio\` (\`--minutes N\` for the stream's length, \`--quick\` for a fast
check, \`--help\` for the rest).

- Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Linux ${machine.kernel}, Bun ${machine.bun}
- Measured: ${machine.date}${context.revision === null ? "" : ` at ${context.revision}`}

Real-time factor: ${count(options.warmupSeconds)} s of audio to warm up, then ${count(options.rtfSeconds)} s pushed as fast as the worker takes it (a fresh worker per row):

${rtfTable(rtf)}

End of speech → caption, at real-time pace over ${stream.minutes} minutes (${stream.latency.total.samples} sentences timed; packets went ${ms(stream.lateness.p99)} ms late at p99, ${ms(stream.lateness.max)} ms at most; other processes used ${share(stream.cpu.foreignCores)} of a core meanwhile):

${latencyTable(stream, context.windowMs)}

RSS of the worker over the same stream, read every 10 s:

${rssTable(stream)}

RSS every 10 s (MiB): ${series}.

${verdictsTable(verdicts)}

How it is measured:
- RTF: the driver sends packets while its socket has under 1 MiB unsent, so the worker always
  has the next one; then a frame from a new source, whose first \`audio:chunk\` on \`/events\`
  is never rate-limited and comes only after every earlier frame of the connection was handled
  (the pipeline is synchronous from the socket's message to the segment). Wall RTF = first
  packet sent → that \`audio:chunk\` heard, over the audio's length; CPU RTF = the worker
  process's user + system time (/proc) over the same span, over the audio's length. Both cover
  the whole worker: WebSocket, frame parsing, downmix, Speex, fvad, segmenter, the segment
  queue and \`/events\`.
- Latency: packet k is sent when its audio is complete, at start + (k + 1) × its length, stamped
  with its first sample's time as OBS stamps it. For each caption, its segment (start and
  length) is placed back in the stream and matched to the sentence whose last voice sample
  (the last over 2 % of full scale) it holds. "Closing packet" is the packet holding the
  segment's last sample plus the Speex resampler's look-ahead (measured on the worker's code),
  which the worker needs before it can close it. Both clocks are the driver's.
- RSS: /proc/<pid>/status VmRSS of the worker process, once before the first packet (idle) and
  every 10 s while streaming; slopes are least-squares fits. Flat means the median of the
  stream's second half is within 5 % of its first half's: growth fails it, the passing peak of
  garbage piling up between two full collections does not.
${DOCS_MARKERS.end}`;
}
