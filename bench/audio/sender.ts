/**
 * The OBS side: binary frames in the worker's wire format (28-byte header, source id and name,
 * interleaved float32), sent as fast as the worker takes them or at real-time pace; and the
 * `/events` subscriber that hears the captions. A frame from a fresh "marker" source after the
 * audio tells when the worker has taken everything before it: its first `audio:chunk` is never
 * rate-limited, and one connection's frames are handled in order.
 */
import { obsAudioFrame } from "../../packages/testkit/src/audio/obs-audio";
import { CHANNELS, type Program, RATE } from "./speech";

const SOURCE_ID = "mic";
/** OBS's default name for the microphone source. */
const SOURCE_NAME = "Mic/Aux";
const BYTES_PER_SAMPLE = 4;
/** Unsent bytes the fast sender keeps queued: enough that the worker never waits for the driver. */
const HIGH_WATER_BYTES = 1024 * 1024;
const MARKER_FRAMES = 480;
const OPEN_TIMEOUT_MS = 10_000;

/** Epoch ms on the driver's clock (the same clock on both sides of every span it measures). */
export const now = () => performance.timeOrigin + performance.now();

/** Packet k of an endless loop of the program, stamped as OBS stamps it: its first sample's time. */
export class PacketSource {
  readonly packetMs: number;
  private readonly bytes: Uint8Array;
  private readonly startNs: bigint;

  constructor(
    private readonly program: Program,
    readonly packetFrames: number,
    /** Epoch ms of sample frame 0, whole. */
    readonly startMs: number,
  ) {
    this.startNs = BigInt(Math.round(startMs)) * 1_000_000n;
    this.packetMs = (packetFrames * 1000) / RATE;
    const { samples } = program;
    this.bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  }

  packet(k: number): Uint8Array {
    const frameBytes = CHANNELS * BYTES_PER_SAMPLE;
    const pcm = new Uint8Array(this.packetFrames * frameBytes);
    const loopBytes = this.program.loopFrames * frameBytes;
    let from = ((k * this.packetFrames) % this.program.loopFrames) * frameBytes;
    for (let at = 0; at < pcm.byteLength; from = 0) {
      const take = Math.min(pcm.byteLength - at, loopBytes - from);
      pcm.set(this.bytes.subarray(from, from + take), at);
      at += take;
    }
    // In BigInt: epoch nanoseconds are past the doubles' 2^53.
    const offsetNs = BigInt(Math.round((k * this.packetFrames * 1e9) / RATE));
    return frame(SOURCE_ID, SOURCE_NAME, this.startNs + offsetNs, pcm);
  }
}

function frame(sourceId: string, sourceName: string, timestampNs: bigint, pcm: Uint8Array) {
  return obsAudioFrame({
    timestampNs,
    sampleRate: RATE,
    channels: CHANNELS,
    bitDepth: 32,
    sourceId,
    sourceName,
    pcm,
  });
}

export interface Caption {
  receivedAt: number;
  /** The segment's first sample, epoch µs (the worker's mapping of our timestamps). */
  timestampUs: number;
  durationS: number;
}

export async function openSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${url}: not open after 10 s`)),
      OPEN_TIMEOUT_MS,
    );
    ws.addEventListener(
      "open",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
    ws.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error(`${url}: failed`));
    });
  });
  return ws;
}

/** The audio connection and the `/events` subscriber of one worker. */
export class Stream {
  readonly captions: Caption[] = [];
  private readonly markers = new Map<string, (at: number) => void>();
  private nextMarker = 1;

  private constructor(
    readonly audio: WebSocket,
    readonly events: WebSocket,
  ) {
    events.addEventListener("message", (event) => {
      const at = now();
      const message = JSON.parse(String(event.data)) as Record<string, unknown>;
      if (message.type === "audio:transcription") {
        this.captions.push({
          receivedAt: at,
          timestampUs: Number(message.timestamp),
          durationS: Number(message.duration),
        });
      } else if (message.type === "audio:chunk") {
        this.markers.get(String(message.source_id))?.(at);
      }
    });
  }

  static async open(audioUrl: string): Promise<Stream> {
    const events = await openSocket(`${audioUrl}/events`);
    const audio = await openSocket(`${audioUrl}/bench`);
    return new Stream(audio, events);
  }

  /** Sends a marker frame; resolves with the time its `audio:chunk` arrived. */
  async drained(timeoutMs: number): Promise<number> {
    // The worker takes at most 16 sources; the marker sources stay open with the connection.
    const id = `marker-${this.nextMarker++}`;
    const arrived = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${id} after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.markers.set(id, (at) => {
        clearTimeout(timer);
        this.markers.delete(id);
        resolve(at);
      });
    });
    const silence = new Uint8Array(MARKER_FRAMES * CHANNELS * BYTES_PER_SAMPLE);
    this.audio.send(frame(id, id, BigInt(Date.now()) * 1_000_000n, silence));
    return arrived;
  }

  /** Packets [from, to) as fast as the socket drains; returns when the last one was sent. */
  async sendFast(source: PacketSource, from: number, to: number): Promise<void> {
    for (let k = from; k < to; k++) {
      while (this.audio.bufferedAmount > HIGH_WATER_BYTES) await Bun.sleep(1);
      this.audio.send(source.packet(k));
    }
  }

  /**
   * Packets [0, count) at real-time pace: packet k goes when its audio is complete, at
   * start + (k + 1) × packet length, as a capture callback would. Returns each one's send time.
   */
  async sendPaced(source: PacketSource, count: number, startAt: number): Promise<Float64Array> {
    const sentAt = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const wait = startAt + (k + 1) * source.packetMs - now();
      if (wait > 0) await Bun.sleep(wait);
      this.audio.send(source.packet(k));
      sentAt[k] = now();
    }
    return sentAt;
  }

  close(): void {
    this.audio.close();
    this.events.close();
  }
}
