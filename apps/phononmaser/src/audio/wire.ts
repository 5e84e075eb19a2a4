/**
 * The audio sources' wire format, kept from the older worker so OBS-side senders work unchanged.
 *
 * Binary frame, all little-endian:
 *   u64 timestamp_ns | u32 sample_rate | u32 channels | u32 bit_depth | u32 source_id_len |
 *   u32 source_name_len  (28 bytes), then the UTF-8 source id and name, then interleaved PCM
 *   (16-bit: int16; 32-bit: int32 or float32, see `sample-format.ts`).
 * Text frame, JSON: `{"type":"start"|"stop"|"heartbeat"}`, or `{"type":"audio_data", "timestamp"
 *   (µs), "format":{"sampleRate","channels","bitDepth"}, "sourceId", "sourceName", "data"}` with
 *   the PCM in hex.
 * Anything else is refused with a `WireError`: the close code and a reason saying what was wrong.
 */
import { z } from "zod";

export const HEADER_BYTES = 28;
/** The largest frame accepted, binary or text. */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const MAX_SAMPLE_RATE = 384_000;
export const MIN_SAMPLE_RATE = 8000;
export const MAX_CHANNELS = 32;
export const BIT_DEPTHS = [16, 32] as const;
/** Bounds on the strings (the hub keeps a source id of at most 128 characters). */
export const MAX_SOURCE_ID_BYTES = 128;
export const MAX_SOURCE_NAME_BYTES = 256;

/** RFC 6455 close codes the server refuses with. */
export const CLOSE = {
  unsupported: 1003,
  invalidPayload: 1007,
  policy: 1008,
  tooBig: 1009,
  goingAway: 1001,
} as const;

export class WireError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "WireError";
  }
}

export interface AudioFormat {
  sampleRate: number;
  channels: number;
  bitDepth: 16 | 32;
}

export interface AudioFrame {
  /** As sent: µs since the epoch, or since OBS started when below 10^12 (`clock.ts`). */
  timestampUs: number;
  format: AudioFormat;
  sourceId: string;
  sourceName: string;
  /** Interleaved samples; a whole number of sample frames. */
  pcm: Uint8Array;
}

export type Control = "start" | "stop" | "heartbeat";
export type WireMessage = { kind: "audio"; frame: AudioFrame } | { kind: "control"; type: Control };

const invalid = (reason: string) => new WireError(CLOSE.invalidPayload, reason);
const utf8 = new TextDecoder("utf-8", { fatal: true });

function checkSize(bytes: number): void {
  if (bytes > MAX_FRAME_BYTES) {
    throw new WireError(
      CLOSE.tooBig,
      `frame of ${bytes} bytes is over the ${MAX_FRAME_BYTES} limit`,
    );
  }
}

function checkFormat(sampleRate: number, channels: number, bitDepth: number): AudioFormat {
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw invalid(`sample_rate ${sampleRate} is outside ${MIN_SAMPLE_RATE}-${MAX_SAMPLE_RATE} Hz`);
  }
  if (channels < 1 || channels > MAX_CHANNELS) {
    throw invalid(`channels ${channels} is outside 1-${MAX_CHANNELS}`);
  }
  if (bitDepth !== 16 && bitDepth !== 32) {
    throw invalid(`bit_depth ${bitDepth} is not supported (16 or 32)`);
  }
  return { sampleRate, channels, bitDepth };
}

function checkPcm(pcm: Uint8Array, format: AudioFormat): void {
  const frameBytes = (format.bitDepth / 8) * format.channels;
  if (pcm.byteLength % frameBytes !== 0) {
    throw invalid(
      `PCM of ${pcm.byteLength} bytes is not whole ${format.channels}-channel ${format.bitDepth}-bit frames`,
    );
  }
}

function checkSource(sourceId: string, sourceName: string): void {
  if (new TextEncoder().encode(sourceId).byteLength > MAX_SOURCE_ID_BYTES) {
    throw invalid(`source id is over ${MAX_SOURCE_ID_BYTES} bytes`);
  }
  if (new TextEncoder().encode(sourceName).byteLength > MAX_SOURCE_NAME_BYTES) {
    throw invalid(`source name is over ${MAX_SOURCE_NAME_BYTES} bytes`);
  }
}

function text(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalid(`${what} is not valid UTF-8`);
  }
}

export function parseBinaryFrame(data: Uint8Array): AudioFrame {
  checkSize(data.byteLength);
  if (data.byteLength < HEADER_BYTES) {
    throw invalid(
      `frame of ${data.byteLength} bytes is shorter than the ${HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const timestampNs = view.getBigUint64(0, true);
  const format = checkFormat(
    view.getUint32(8, true),
    view.getUint32(12, true),
    view.getUint32(16, true),
  );
  const idLength = view.getUint32(20, true);
  const nameLength = view.getUint32(24, true);
  // Compared before adding so that two lengths near 2^32 cannot wrap past the check.
  const room = data.byteLength - HEADER_BYTES;
  if (idLength > room || nameLength > room - idLength) {
    throw invalid(
      `source_id_len ${idLength} + source_name_len ${nameLength} run past the frame's end (${room} bytes after the header)`,
    );
  }
  const nameStart = HEADER_BYTES + idLength;
  const pcmStart = nameStart + nameLength;
  const sourceId = text(data.subarray(HEADER_BYTES, nameStart), "source id");
  const sourceName = text(data.subarray(nameStart, pcmStart), "source name");
  checkSource(sourceId, sourceName);
  const pcm = data.subarray(pcmStart);
  checkPcm(pcm, format);
  return { timestampUs: Number(timestampNs / 1000n), format, sourceId, sourceName, pcm };
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

const TextFrame = z.discriminatedUnion("type", [
  z.object({ type: z.enum(["start", "stop", "heartbeat"]) }),
  z.object({
    type: z.literal("audio_data"),
    timestamp: z.number().int().nonnegative(),
    format: z.object({
      sampleRate: z.number().int(),
      channels: z.number().int(),
      bitDepth: z.number().int(),
    }),
    sourceId: z.string(),
    sourceName: z.string(),
    data: z.string(),
  }),
]);

export function parseTextFrame(message: string): WireMessage {
  checkSize(Buffer.byteLength(message));
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    throw invalid("text frame is not JSON");
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !["start", "stop", "heartbeat", "audio_data"].includes(type)) {
    throw new WireError(
      CLOSE.unsupported,
      'unknown message type (expected "start", "stop", "heartbeat" or "audio_data")',
    );
  }
  const parsed = TextFrame.safeParse(json);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw invalid(`${type}: ${issue?.path.join(".") || "message"}: ${issue?.message ?? "invalid"}`);
  }
  const frame = parsed.data;
  if (frame.type !== "audio_data") return { kind: "control", type: frame.type };
  const format = checkFormat(frame.format.sampleRate, frame.format.channels, frame.format.bitDepth);
  checkSource(frame.sourceId, frame.sourceName);
  if (!HEX.test(frame.data)) throw invalid("audio_data: data is not an even number of hex digits");
  const pcm = new Uint8Array(Buffer.from(frame.data, "hex"));
  checkPcm(pcm, format);
  return {
    kind: "audio",
    frame: {
      timestampUs: frame.timestamp,
      format,
      sourceId: frame.sourceId,
      sourceName: frame.sourceName,
      pcm,
    },
  };
}
