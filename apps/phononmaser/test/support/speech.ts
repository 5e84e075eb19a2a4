/**
 * Real speech for the pipeline's tests: espeak-ng speaks a sentence, sox makes it 48 kHz stereo
 * in the wire encoding with silence around it, and the speech's bounds are measured in the result.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { $ } from "bun";
import { toMono } from "../../src/pipeline/pcm";

export type WireEncoding = "int16" | "int32" | "float32";

export interface SpeechClip {
  pcm: Uint8Array;
  encoding: WireEncoding;
  rate: number;
  channels: number;
  durationMs: number;
  /** Where the voice starts and ends in `pcm` (first and last sample over 2% of full scale). */
  speechStartMs: number;
  speechEndMs: number;
}

const RATE = 48_000;
const CHANNELS = 2;
const SOX_ENCODING: Record<WireEncoding, string[]> = {
  int16: ["-e", "signed-integer", "-b", "16"],
  int32: ["-e", "signed-integer", "-b", "32"],
  float32: ["-e", "floating-point", "-b", "32"],
};
const VOICE_THRESHOLD = 0.02;

export async function speechClip(
  text: string,
  encoding: WireEncoding,
  pad: { beforeS: number; afterS: number } = { beforeS: 1, afterS: 2 },
): Promise<SpeechClip> {
  const dir = mkdtempSync(join(tmpdir(), "phononmaser-speech-"));
  try {
    const voice = join(dir, "voice.wav");
    const raw = join(dir, "clip.raw");
    await $`espeak-ng -w ${voice} ${text}`.quiet();
    await $`sox -R ${voice} -r ${RATE} -c ${CHANNELS} ${SOX_ENCODING[encoding]} -t raw ${raw} pad ${pad.beforeS} ${pad.afterS}`.quiet();
    const pcm = new Uint8Array(await Bun.file(raw).arrayBuffer());
    const mono = toMono(pcm, CHANNELS, encoding);
    let first = -1;
    let last = -1;
    for (let i = 0; i < mono.length; i++) {
      if (Math.abs(mono[i] ?? 0) < VOICE_THRESHOLD) continue;
      if (first === -1) first = i;
      last = i;
    }
    if (first === -1) throw new Error("espeak-ng produced no audible speech");
    return {
      pcm,
      encoding,
      rate: RATE,
      channels: CHANNELS,
      durationMs: (mono.length * 1000) / RATE,
      speechStartMs: (first * 1000) / RATE,
      speechEndMs: (last * 1000) / RATE,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `durationS` of digital silence in the wire encoding (zeros in all three). */
export function silenceClip(encoding: WireEncoding, durationS: number): SpeechClip {
  const bytes = encoding === "int16" ? 2 : 4;
  return {
    pcm: new Uint8Array(Math.round(durationS * RATE) * CHANNELS * bytes),
    encoding,
    rate: RATE,
    channels: CHANNELS,
    durationMs: durationS * 1000,
    speechStartMs: Number.NaN,
    speechEndMs: Number.NaN,
  };
}

/** Transcribes 16 kHz mono int16 with pocketsphinx (the offline engine Debian ships). */
export async function pocketsphinxWords(pcm: Int16Array): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "phononmaser-asr-"));
  try {
    const raw = join(dir, "segment.raw");
    const wav = join(dir, "segment.wav");
    await Bun.write(raw, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    await $`sox -t raw -r 16000 -c 1 -e signed-integer -b 16 ${raw} ${wav}`.quiet();
    return (await $`pocketsphinx_continuous -infile ${wav} -logfn /dev/null`.quiet().text()).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
