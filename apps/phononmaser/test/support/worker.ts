/**
 * The worker as tests run it: the real composition (`startWorker`) on free ports, with an engine
 * that records the segments it is given and answers as the test says (by default as `none`
 * does: no words). Stopped when the test ends.
 */
import { onTestFinished } from "bun:test";
import { createLogger } from "@landale/logger";
import { sendAudio } from "@landale/testkit";
import { loadConfig } from "../../src/config";
import type { Segment } from "../../src/pipeline/segment";
import type {
  EngineResult,
  EngineState,
  Transcription,
  TranscriptionEngine,
} from "../../src/transcriber";
import { startWorker, type Worker } from "../../src/worker";
import type { SpeechClip } from "./speech";

export type Respond = (segment: Segment, signal: AbortSignal) => Promise<EngineResult | null>;

export interface TestWorker {
  worker: Worker;
  segments: Segment[];
  transcriptions: Transcription[];
}

const READY: EngineState = { state: "ready", message: null };

export async function startTestWorker(
  options: { env?: Record<string, string>; respond?: Respond } = {},
): Promise<TestWorker> {
  const config = loadConfig({
    PHONONMASER_PORT: "0",
    PHONONMASER_HEALTH_PORT: "0",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const segments: Segment[] = [];
  const transcriptions: Transcription[] = [];
  const respond = options.respond ?? (async () => null);
  const worker = await startWorker(config, {
    logger: createLogger({ name: "phononmaser-test", level: "silent" }),
    createEngine: (): TranscriptionEngine => ({
      name: "none",
      check: async () => READY,
      state: () => READY,
      transcribe: (segment, signal) => {
        segments.push(segment);
        return respond(segment, signal);
      },
      stop: async () => {},
    }),
    onTranscription: (transcription) => transcriptions.push(transcription),
  });
  onTestFinished(() => worker.stop());
  return { worker, segments, transcriptions };
}

/** Polls `check` until it holds, or fails naming `what` after `ms`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

export interface TestSocket {
  ws: WebSocket;
  /** Every text message received, from the first. */
  messages: string[];
  closed: Promise<{ code: number; reason: string }>;
}

export async function openSocket(url: string): Promise<TestSocket> {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  const messages: string[] = [];
  ws.addEventListener("message", (event) => {
    messages.push(typeof event.data === "string" ? event.data : "<binary>");
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason }));
  });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`could not connect to ${url}`)), {
      once: true,
    });
  });
  onTestFinished(() => ws.close());
  return { ws, messages, closed };
}

export interface StreamOptions {
  sourceId?: string;
  sourceName?: string;
  /** The first packet's timestamp in ns (epoch, or OBS-relative below 10^15). */
  startNs?: bigint;
  framesPerPacket?: number;
  /** Send at real-time pace instead of as fast as the socket takes it. */
  paced?: boolean;
}

/** Streams a clip as binary frames (testkit's OBS sender); resolves with the frames sent. */
export function streamClip(
  ws: WebSocket,
  clip: SpeechClip,
  options: StreamOptions = {},
): Promise<number> {
  return sendAudio(ws, clip, {
    packetFrames: options.framesPerPacket,
    startNs: options.startNs,
    pace: options.paced === true ? 1 : undefined,
    sourceId: options.sourceId,
    sourceName: options.sourceName ?? "Microphone",
  });
}
