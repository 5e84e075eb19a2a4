/** The audio bench's command line: stream length, audio pushed for the RTF, packet size, docs. */
import { parseArgs } from "node:util";

export interface Options {
  /** Length of the real-time stream (latency and RSS), minutes. */
  minutes: number;
  /** Audio pushed as fast as the worker takes it, after the warm-up, seconds. */
  rtfSeconds: number;
  warmupSeconds: number;
  /** Sample frames per packet (OBS hands its audio callbacks 1,024 at 48 kHz). */
  packetFrames: number;
  /** Packet sizes the RTF is measured with: OBS's and 10 ms, or the one asked for. */
  rtfPacketFrames: number[];
  /** Repeats of an RTF measurement other processes disturbed. */
  retries: number;
  writeDocs: boolean;
}

const STANDARD_MINUTES = 10;
const QUICK_MINUTES = 1;
const STANDARD_RTF_SECONDS = 600;
const QUICK_RTF_SECONDS = 60;
const WARMUP_SECONDS = 30;
/** AUDIO_OUTPUT_FRAMES in libobs: 21.3 ms at 48 kHz. */
const OBS_PACKET_FRAMES = 1024;
const TEN_MS_FRAMES = 480;
const DEFAULT_RETRIES = 2;

export const USAGE = `bun run bench:audio [flags]

  --minutes N         length of the real-time stream for latency and RSS (default ${STANDARD_MINUTES})
  --rtf-seconds N     seconds of audio pushed as fast as the worker takes them (default ${STANDARD_RTF_SECONDS})
  --packet-frames N   48 kHz sample frames per packet (default ${OBS_PACKET_FRAMES}, OBS's; the RTF is
                      also measured with ${TEN_MS_FRAMES}, 10 ms, unless this is given)
  --quick             --minutes ${QUICK_MINUTES} --rtf-seconds ${QUICK_RTF_SECONDS}: a fast check
  --retries N         repeat an RTF measurement other processes disturbed, up to N times (default ${DEFAULT_RETRIES})
  --no-docs           do not rewrite docs/BENCHMARKS.md
  --help

Needs espeak-ng and sox. Only a standard run (no --quick, --minutes, --rtf-seconds or
--packet-frames) rewrites docs/BENCHMARKS.md; every run writes JSON to bench/results/.
`;

export function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: "string" },
      "rtf-seconds": { type: "string" },
      "packet-frames": { type: "string" },
      quick: { type: "boolean", default: false },
      retries: { type: "string" },
      "no-docs": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const minutes = optionalNumber(values.minutes, "minutes", 0.5, 24 * 60);
  const rtfSeconds = optionalNumber(values["rtf-seconds"], "rtf-seconds", 10, 24 * 3600);
  const packetFrames = optionalNumber(values["packet-frames"], "packet-frames", 64, 48_000);
  if (packetFrames !== undefined && !Number.isInteger(packetFrames)) {
    throw new Error("--packet-frames must be a whole number");
  }
  const retries = optionalNumber(values.retries, "retries", 0, 5);
  const standard =
    !values.quick &&
    minutes === undefined &&
    rtfSeconds === undefined &&
    packetFrames === undefined;
  return {
    minutes: minutes ?? (values.quick ? QUICK_MINUTES : STANDARD_MINUTES),
    rtfSeconds: rtfSeconds ?? (values.quick ? QUICK_RTF_SECONDS : STANDARD_RTF_SECONDS),
    warmupSeconds: WARMUP_SECONDS,
    packetFrames: packetFrames ?? OBS_PACKET_FRAMES,
    rtfPacketFrames:
      packetFrames === undefined ? [OBS_PACKET_FRAMES, TEN_MS_FRAMES] : [packetFrames],
    retries: retries === undefined ? DEFAULT_RETRIES : Math.round(retries),
    writeDocs: standard && !values["no-docs"],
  };
}

function optionalNumber(raw: string | undefined, name: string, min: number, max: number) {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number in [${min}, ${max}], got "${raw}"`);
  }
  return value;
}
