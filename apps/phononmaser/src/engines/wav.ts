/**
 * A segment as a WAV file (RIFF, PCM 16-bit little-endian): what every engine reads, whether from
 * a temp file (the CLIs) or a multipart upload (OpenAI-compatible servers).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SEGMENT_SAMPLE_RATE = 16_000;
const HEADER_BYTES = 44;

export function encodeWav(pcm: Int16Array, sampleRate = SEGMENT_SAMPLE_RATE): Uint8Array {
  const dataBytes = pcm.length * 2;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size for PCM
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.length; i++) view.setInt16(HEADER_BYTES + i * 2, pcm[i]!, true);
  return bytes;
}

/**
 * Runs `use` with a private temp directory holding the segment as `segment.wav`, and removes the
 * directory afterwards whatever happened — the caller makes sure no child still writes there.
 */
export async function withTempWav<T>(
  pcm: Int16Array,
  use: (paths: { dir: string; wav: string }) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "phononmaser-"));
  try {
    const wav = join(dir, "segment.wav");
    await Bun.write(wav, encodeWav(pcm));
    return await use({ dir, wav });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
