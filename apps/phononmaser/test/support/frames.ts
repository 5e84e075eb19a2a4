/** Builds frames as OBS-side senders do, lengths and all, so a test can also lie in them. */

export interface BinaryFrameFields {
  timestampNs?: bigint;
  sampleRate?: number;
  channels?: number;
  bitDepth?: number;
  sourceId?: string;
  sourceName?: string;
  /** Overrides the true byte lengths of the strings. */
  idLength?: number;
  nameLength?: number;
  /** Raw string bytes, for invalid UTF-8. */
  idBytes?: Uint8Array;
  pcm?: Uint8Array;
}

export function binaryFrame(fields: BinaryFrameFields = {}): Uint8Array {
  const id = fields.idBytes ?? new TextEncoder().encode(fields.sourceId ?? "mic");
  const name = new TextEncoder().encode(fields.sourceName ?? "Microphone");
  const pcm = fields.pcm ?? new Uint8Array(0);
  const frame = new Uint8Array(28 + id.byteLength + name.byteLength + pcm.byteLength);
  const view = new DataView(frame.buffer);
  view.setBigUint64(0, fields.timestampNs ?? BigInt(Date.now()) * 1_000_000n, true);
  view.setUint32(8, fields.sampleRate ?? 48_000, true);
  view.setUint32(12, fields.channels ?? 2, true);
  view.setUint32(16, fields.bitDepth ?? 16, true);
  view.setUint32(20, fields.idLength ?? id.byteLength, true);
  view.setUint32(24, fields.nameLength ?? name.byteLength, true);
  frame.set(id, 28);
  frame.set(name, 28 + id.byteLength);
  frame.set(pcm, 28 + id.byteLength + name.byteLength);
  return frame;
}

export interface JsonFrameFields {
  timestamp?: number;
  sampleRate?: number;
  channels?: number;
  bitDepth?: number;
  sourceId?: string;
  sourceName?: string;
  pcm?: Uint8Array;
}

export function jsonAudioFrame(fields: JsonFrameFields = {}): string {
  return JSON.stringify({
    type: "audio_data",
    timestamp: fields.timestamp ?? Date.now() * 1000,
    format: {
      sampleRate: fields.sampleRate ?? 48_000,
      channels: fields.channels ?? 2,
      bitDepth: fields.bitDepth ?? 16,
    },
    sourceId: fields.sourceId ?? "mic",
    sourceName: fields.sourceName ?? "Microphone",
    data: Buffer.from(fields.pcm ?? new Uint8Array(0)).toString("hex"),
  });
}

/** Interleaved PCM of `frames` sample frames of a sine, in each wire encoding. */
export function sinePcm(
  encoding: "int16" | "int32" | "float32",
  options: { frames: number; channels?: number; rate?: number; hz?: number; amplitude?: number },
): Uint8Array {
  const channels = options.channels ?? 2;
  const rate = options.rate ?? 48_000;
  const hz = options.hz ?? 1000;
  const amplitude = options.amplitude ?? 0.5;
  const bytes = encoding === "int16" ? 2 : 4;
  const out = new Uint8Array(options.frames * channels * bytes);
  const view = new DataView(out.buffer);
  for (let frame = 0; frame < options.frames; frame++) {
    const value = amplitude * Math.sin((2 * Math.PI * hz * frame) / rate);
    for (let channel = 0; channel < channels; channel++) {
      const at = (frame * channels + channel) * bytes;
      if (encoding === "int16") view.setInt16(at, Math.round(value * 32767), true);
      else if (encoding === "int32") view.setInt32(at, Math.round(value * 2147483647), true);
      else view.setFloat32(at, value, true);
    }
  }
  return out;
}
