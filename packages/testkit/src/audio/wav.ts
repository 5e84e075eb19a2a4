/**
 * Reading a WAV file as the fakes' real counterparts would: RIFF chunks walked in order, `fmt `
 * then `data`. Only PCM 16-bit is decoded — what the product sends; anything else is refused.
 */

export interface FakeWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Interleaved samples. */
  samples: Int16Array;
  durationMs: number;
}

/** The decoded file, or null when it is not a PCM 16-bit WAV. */
export function parseWav(bytes: Uint8Array): FakeWav | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") return null;
  let format: { audioFormat: number; channels: number; sampleRate: number; bits: number } | null =
    null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt " && size >= 16 && body + 16 <= bytes.length) {
      format = {
        audioFormat: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (format?.audioFormat !== 1 || format.bits !== 16) return null;
      if (format.channels === 0 || format.sampleRate === 0) return null;
      const end = Math.min(body + size, bytes.length);
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + i * 2, true);
      return {
        sampleRate: format.sampleRate,
        channels: format.channels,
        bitsPerSample: format.bits,
        samples,
        durationMs: (count / format.channels / format.sampleRate) * 1000,
      };
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  return null;
}
