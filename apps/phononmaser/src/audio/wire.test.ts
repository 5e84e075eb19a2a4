import { describe, expect, it } from "bun:test";
import { binaryFrame, jsonAudioFrame, sinePcm } from "../../test/support/frames";
import { CLOSE, MAX_FRAME_BYTES, parseBinaryFrame, parseTextFrame, WireError } from "./wire";

/** The close code and reason a frame is refused with. */
function refusal(parse: () => unknown): { code: number; reason: string } {
  try {
    parse();
  } catch (err) {
    if (err instanceof WireError) return { code: err.code, reason: err.reason };
    throw err;
  }
  throw new Error("expected the frame to be refused");
}

describe("parseBinaryFrame", () => {
  it("reads the 28-byte header, the two strings and the PCM", () => {
    const pcm = sinePcm("int16", { frames: 4 });
    const frame = parseBinaryFrame(
      binaryFrame({
        timestampNs: 1_700_000_000_123_456_789n,
        sampleRate: 44_100,
        channels: 2,
        bitDepth: 16,
        sourceId: "mic-1",
        sourceName: "Micro é",
        pcm,
      }),
    );
    expect(frame).toEqual({
      timestampUs: 1_700_000_000_123_456,
      format: { sampleRate: 44_100, channels: 2, bitDepth: 16 },
      sourceId: "mic-1",
      sourceName: "Micro é",
      pcm,
    });
  });

  it("takes 32-bit frames and empty strings", () => {
    const pcm = sinePcm("float32", { frames: 3, channels: 1 });
    const frame = parseBinaryFrame(
      binaryFrame({ bitDepth: 32, channels: 1, sourceId: "", sourceName: "", pcm }),
    );
    expect(frame.format.bitDepth).toBe(32);
    expect(frame.pcm).toEqual(pcm);
  });

  const cases: Array<[string, Parameters<typeof binaryFrame>[0], number, string]> = [
    [
      "a zero sample rate",
      { sampleRate: 0 },
      CLOSE.invalidPayload,
      "sample_rate 0 is outside 8000-384000 Hz",
    ],
    [
      "an absurd sample rate",
      { sampleRate: 500_000 },
      CLOSE.invalidPayload,
      "sample_rate 500000 is outside 8000-384000 Hz",
    ],
    ["zero channels", { channels: 0 }, CLOSE.invalidPayload, "channels 0 is outside 1-32"],
    ["33 channels", { channels: 33 }, CLOSE.invalidPayload, "channels 33 is outside 1-32"],
    [
      "a 24-bit depth",
      { bitDepth: 24 },
      CLOSE.invalidPayload,
      "bit_depth 24 is not supported (16 or 32)",
    ],
    [
      "a zero bit depth",
      { bitDepth: 0 },
      CLOSE.invalidPayload,
      "bit_depth 0 is not supported (16 or 32)",
    ],
    [
      "a source id past the end",
      { sourceId: "mic", sourceName: "", idLength: 40 },
      CLOSE.invalidPayload,
      "source_id_len 40 + source_name_len 0 run past the frame's end (3 bytes after the header)",
    ],
    [
      "a source name past the end",
      { sourceId: "mic", sourceName: "Mic", nameLength: 4 },
      CLOSE.invalidPayload,
      "source_id_len 3 + source_name_len 4 run past the frame's end (6 bytes after the header)",
    ],
    [
      "lengths whose sum wraps 32 bits",
      { sourceId: "a", sourceName: "b", idLength: 0xffff_ffff, nameLength: 2 },
      CLOSE.invalidPayload,
      "source_id_len 4294967295 + source_name_len 2 run past the frame's end (2 bytes after the header)",
    ],
    [
      "a source id that is not UTF-8",
      { idBytes: new Uint8Array([0xff, 0xfe]) },
      CLOSE.invalidPayload,
      "source id is not valid UTF-8",
    ],
    [
      "a source id over 128 bytes",
      { sourceId: "x".repeat(129) },
      CLOSE.invalidPayload,
      "source id is over 128 bytes",
    ],
    [
      "PCM that is not whole sample frames",
      { channels: 2, bitDepth: 16, pcm: new Uint8Array(6) },
      CLOSE.invalidPayload,
      "PCM of 6 bytes is not whole 2-channel 16-bit frames",
    ],
  ];
  for (const [what, fields, code, reason] of cases) {
    it(`refuses ${what}`, () => {
      expect(refusal(() => parseBinaryFrame(binaryFrame(fields)))).toEqual({ code, reason });
    });
  }

  it("refuses a frame shorter than the header", () => {
    expect(refusal(() => parseBinaryFrame(new Uint8Array(27)))).toEqual({
      code: CLOSE.invalidPayload,
      reason: "frame of 27 bytes is shorter than the 28-byte header",
    });
  });

  it("refuses a frame over 1 MiB", () => {
    const frame = binaryFrame({ channels: 1, pcm: new Uint8Array(MAX_FRAME_BYTES) });
    expect(refusal(() => parseBinaryFrame(frame))).toEqual({
      code: CLOSE.tooBig,
      reason: `frame of ${frame.byteLength} bytes is over the 1048576 limit`,
    });
  });
});

describe("parseTextFrame", () => {
  it("reads start, stop and heartbeat", () => {
    for (const type of ["start", "stop", "heartbeat"] as const) {
      expect(parseTextFrame(JSON.stringify({ type }))).toEqual({ kind: "control", type });
    }
  });

  it("reads audio_data with hex PCM", () => {
    const pcm = sinePcm("int32", { frames: 5 });
    const message = parseTextFrame(
      jsonAudioFrame({
        timestamp: 12_345,
        bitDepth: 32,
        sourceId: "desk",
        sourceName: "Desk",
        pcm,
      }),
    );
    expect(message).toEqual({
      kind: "audio",
      frame: {
        timestampUs: 12_345,
        format: { sampleRate: 48_000, channels: 2, bitDepth: 32 },
        sourceId: "desk",
        sourceName: "Desk",
        pcm,
      },
    });
  });

  const audio = (patch: Record<string, unknown>) =>
    JSON.stringify({ ...JSON.parse(jsonAudioFrame({ pcm: new Uint8Array(4) })), ...patch });
  const cases: Array<[string, string, number, string]> = [
    ["text that is not JSON", "{nope", CLOSE.invalidPayload, "text frame is not JSON"],
    [
      "an unknown type",
      JSON.stringify({ type: "video" }),
      CLOSE.unsupported,
      'unknown message type (expected "start", "stop", "heartbeat" or "audio_data")',
    ],
    [
      "JSON without a type",
      "[1,2]",
      CLOSE.unsupported,
      'unknown message type (expected "start", "stop", "heartbeat" or "audio_data")',
    ],
    [
      "audio_data without a format",
      audio({ format: undefined }),
      CLOSE.invalidPayload,
      "audio_data: format: Invalid input: expected object, received undefined",
    ],
    [
      "odd hex",
      audio({ data: "abc" }),
      CLOSE.invalidPayload,
      "audio_data: data is not an even number of hex digits",
    ],
    [
      "non-hex data",
      audio({ data: "zz00" }),
      CLOSE.invalidPayload,
      "audio_data: data is not an even number of hex digits",
    ],
    [
      "a zero rate",
      audio({ format: { sampleRate: 0, channels: 2, bitDepth: 16 } }),
      CLOSE.invalidPayload,
      "sample_rate 0 is outside 8000-384000 Hz",
    ],
    [
      "40 channels",
      audio({ format: { sampleRate: 48_000, channels: 40, bitDepth: 16 } }),
      CLOSE.invalidPayload,
      "channels 40 is outside 1-32",
    ],
    [
      "an 8-bit depth",
      audio({ format: { sampleRate: 48_000, channels: 2, bitDepth: 8 } }),
      CLOSE.invalidPayload,
      "bit_depth 8 is not supported (16 or 32)",
    ],
    [
      "PCM that is not whole frames",
      audio({ data: "000000" }),
      CLOSE.invalidPayload,
      "PCM of 3 bytes is not whole 2-channel 16-bit frames",
    ],
  ];
  for (const [what, message, code, reason] of cases) {
    it(`refuses ${what}`, () => {
      expect(refusal(() => parseTextFrame(message))).toEqual({ code, reason });
    });
  }

  it("refuses a text frame over 1 MiB", () => {
    const message = jsonAudioFrame({ channels: 1, pcm: new Uint8Array(MAX_FRAME_BYTES / 2 + 64) });
    expect(refusal(() => parseTextFrame(message)).code).toBe(CLOSE.tooBig);
  });
});
