/**
 * Interleaved PCM of any supported encoding → mono float samples in [-1, 1], and float → int16.
 * Channels are averaged rather than summed so a stereo mix never clips.
 */
import type { PcmEncoding } from "../audio/sample-format";

const INT16_SCALE = 32768;
const INT32_SCALE = 2147483648;

export function toMono(pcm: Uint8Array, channels: number, encoding: PcmEncoding): Float32Array {
  const bytes = encoding === "int16" ? 2 : 4;
  const frames = Math.floor(pcm.byteLength / (bytes * channels));
  const mono = new Float32Array(frames);
  // A DataView: the PCM starts after two strings of any length, so it is rarely aligned.
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const read =
    encoding === "int16"
      ? (at: number) => view.getInt16(at, true) / INT16_SCALE
      : encoding === "int32"
        ? (at: number) => view.getInt32(at, true) / INT32_SCALE
        : (at: number) => view.getFloat32(at, true);
  let at = 0;
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) {
      sum += read(at);
      at += bytes;
    }
    mono[frame] = sum / channels;
  }
  return mono;
}

/** Rounds and clamps to int16; out-of-range floats (a hot float32 source) saturate. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const scaled = Math.round((samples[i] ?? 0) * INT16_SCALE);
    out[i] = Math.min(32767, Math.max(-32768, scaled));
  }
  return out;
}
