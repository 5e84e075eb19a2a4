/**
 * Audio as OBS-side senders stream it to the audio worker: real speech from espeak-ng, made
 * 48 kHz stereo (OBS's usual format) by sox in the wire's encoding, cut into binary frames with
 * the older worker's 28-byte header, and sent over a WebSocket, at real-time pace when asked.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { $ } from "bun";

export type ObsSampleEncoding = "int16" | "int32" | "float32";

export interface ObsAudio {
  /** Interleaved PCM, little-endian. */
  pcm: Uint8Array;
  encoding: ObsSampleEncoding;
  rate: number;
  channels: number;
}

const SOX_ENCODING: Record<ObsSampleEncoding, string[]> = {
  int16: ["-e", "signed-integer", "-b", "16"],
  int32: ["-e", "signed-integer", "-b", "32"],
  float32: ["-e", "floating-point", "-b", "32"],
};

/**
 * `text` spoken by espeak-ng's default voice into a WAV, converted by sox to `rate` Hz and
 * `channels` channels in `encoding`, `gainDb` louder, with `padBeforeS` and `padAfterS` of
 * silence around it.
 */
export async function speak(
  text: string,
  options: {
    encoding: ObsSampleEncoding;
    rate?: number;
    channels?: number;
    padBeforeS?: number;
    padAfterS?: number;
    /** Level change in dB (espeak-ng peaks near full scale; a microphone rarely does). */
    gainDb?: number;
  },
): Promise<ObsAudio> {
  const rate = options.rate ?? 48_000;
  const channels = options.channels ?? 2;
  const dir = await mkdtemp(join(tmpdir(), "testkit-speech-"));
  try {
    const wav = join(dir, "voice.wav");
    const raw = join(dir, "voice.raw");
    await $`espeak-ng -w ${wav} ${text}`.quiet();
    await $`sox -R ${wav} -r ${rate} -c ${channels} ${SOX_ENCODING[options.encoding]} -L -t raw ${raw} gain ${options.gainDb ?? 0} pad ${options.padBeforeS ?? 0.5} ${options.padAfterS ?? 1.5}`.quiet();
    const pcm = new Uint8Array(await Bun.file(raw).arrayBuffer());
    return { pcm, encoding: options.encoding, rate, channels };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The clips one after the other (all in the same format). */
export function concatAudio(clips: readonly ObsAudio[]): ObsAudio {
  const [first] = clips;
  if (first === undefined) throw new Error("no audio to join");
  const pcm = new Uint8Array(clips.reduce((total, clip) => total + clip.pcm.byteLength, 0));
  let at = 0;
  for (const clip of clips) {
    pcm.set(clip.pcm, at);
    at += clip.pcm.byteLength;
  }
  return { ...first, pcm };
}

export interface ObsAudioFrameFields {
  /** Epoch ns (or since OBS started, below 10^15). */
  timestampNs: bigint;
  sampleRate: number;
  channels: number;
  bitDepth: 16 | 32;
  sourceId: string;
  sourceName: string;
  pcm: Uint8Array;
}

/**
 * One binary frame, all little-endian: u64 timestamp_ns, u32 sample_rate, channels, bit_depth,
 * source_id_len, source_name_len, then the UTF-8 id and name, then the PCM.
 */
export function obsAudioFrame(fields: ObsAudioFrameFields): Uint8Array<ArrayBuffer> {
  const id = new TextEncoder().encode(fields.sourceId);
  const name = new TextEncoder().encode(fields.sourceName);
  const frame = new Uint8Array(28 + id.byteLength + name.byteLength + fields.pcm.byteLength);
  const view = new DataView(frame.buffer);
  view.setBigUint64(0, fields.timestampNs, true);
  view.setUint32(8, fields.sampleRate, true);
  view.setUint32(12, fields.channels, true);
  view.setUint32(16, fields.bitDepth, true);
  view.setUint32(20, id.byteLength, true);
  view.setUint32(24, name.byteLength, true);
  frame.set(id, 28);
  frame.set(name, 28 + id.byteLength);
  frame.set(fields.pcm, 28 + id.byteLength + name.byteLength);
  return frame;
}

export interface SendAudioOptions {
  sourceId?: string;
  sourceName?: string;
  /** Sample frames per packet (OBS sends 1024). */
  packetFrames?: number;
  /** The first packet's timestamp in ns; by default now. */
  startNs?: bigint;
  /** Send at this many times real-time pace (1: as OBS does); unset: as fast as the socket takes. */
  pace?: number;
  /** Stops sending between packets. */
  signal?: AbortSignal;
}

/** Streams `audio` as binary frames over `ws`; resolves with the number of frames sent. */
export async function sendAudio(
  ws: WebSocket,
  audio: ObsAudio,
  options: SendAudioOptions = {},
): Promise<number> {
  const packetFrames = options.packetFrames ?? 1024;
  const bytesPerFrame = (audio.encoding === "int16" ? 2 : 4) * audio.channels;
  const packetBytes = packetFrames * bytesPerFrame;
  const startNs = options.startNs ?? BigInt(Date.now()) * 1_000_000n;
  const startedAt = performance.now();
  let sent = 0;
  for (let at = 0; at < audio.pcm.byteLength; at += packetBytes) {
    if (options.signal?.aborted) break;
    const offsetMs = (at / bytesPerFrame / audio.rate) * 1000;
    if (options.pace !== undefined) {
      const wait = startedAt + offsetMs / options.pace - performance.now();
      if (wait > 0) await Bun.sleep(wait);
    }
    ws.send(
      obsAudioFrame({
        timestampNs: startNs + BigInt(Math.round(offsetMs * 1_000_000)),
        sampleRate: audio.rate,
        channels: audio.channels,
        bitDepth: audio.encoding === "int16" ? 16 : 32,
        sourceId: options.sourceId ?? "mic",
        sourceName: options.sourceName ?? "Mic/Aux",
        pcm: audio.pcm.subarray(at, at + packetBytes),
      }),
    );
    sent++;
  }
  return sent;
}
