/**
 * The hub and the worker as processes for the link's tests: the real hub (`spawnHub`) with a
 * worker token, and `bun src/main.ts` (`spawnAudioWorker`) pointed at it, with the fake
 * whisper-cli as its engine so every segment's text is known.
 */
import { onTestFinished } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Transcription, TranscriptionPage } from "@landale/shared";
import {
  type AudioWorkerProcess,
  createFakeWhisperCli,
  type FakeWhisperAnswer,
  type FakeWhisperCli,
  type HubProcess,
  spawnAudioWorker,
  spawnHub,
} from "@landale/testkit";

export const HUB_MAIN = new URL("../../../server/src/main.ts", import.meta.url).pathname;
export const WORKER_MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
export const WORKER_TOKEN = "phononmaser-test-worker-token";

/** A hub that can be killed and started again on the same port and data dir. */
export interface RestartableHub {
  readonly url: string;
  readonly port: number;
  current(): HubProcess;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startHub(port?: number): Promise<RestartableHub> {
  const dataDir = mkdtempSync(join(tmpdir(), "phononmaser-hub-"));
  const options = {
    main: HUB_MAIN,
    env: { LANDALE_WORKER_TOKEN: WORKER_TOKEN },
    dataDir,
    stopAfter: "caller" as const,
  };
  let hub = await spawnHub({ ...options, port });
  onTestFinished(async () => {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    url: hub.url,
    port: hub.port,
    current: () => hub,
    kill: () => hub.kill("SIGKILL"),
    async start() {
      hub = await spawnHub({ ...options, port: hub.port });
    },
  };
}

/** Distinct texts, so a segment stored twice or not at all shows. */
export function numberedAnswers(count: number): FakeWhisperAnswer[] {
  return Array.from({ length: count }, (_, index) => ({ text: `caption number ${index + 1}` }));
}

export async function fakeWhisper(answers: FakeWhisperAnswer[]): Promise<FakeWhisperCli> {
  const fake = await createFakeWhisperCli({ answers });
  onTestFinished(() => fake.cleanup());
  return fake;
}

export function startWorkerProcess(
  hubUrl: string,
  fake: FakeWhisperCli,
  env: Record<string, string> = {},
): Promise<AudioWorkerProcess> {
  return spawnAudioWorker({
    main: WORKER_MAIN,
    env: {
      LANDALE_TRANSCRIBER: "whisper-cpp",
      WHISPER_EXECUTABLE: fake.executable,
      WHISPER_MODEL_PATH: fake.modelPath,
      LANDALE_HUB_URL: hubUrl,
      LANDALE_WORKER_TOKEN: WORKER_TOKEN,
      ...env,
    },
  });
}

/** Every stored transcription, newest first (a test stores fewer than a page). */
export async function storedTranscriptions(hubUrl: string): Promise<Transcription[]> {
  const response = await fetch(`${hubUrl}/api/transcriptions?limit=500`, {
    headers: { authorization: `Bearer ${WORKER_TOKEN}` },
  });
  if (!response.ok) throw new Error(`GET /api/transcriptions: ${response.status}`);
  return TranscriptionPage.parse(await response.json()).transcriptions;
}

/** Opens a socket to the worker's audio port, closed when the test ends. */
export async function audioSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`could not connect to ${url}`)), {
      once: true,
    });
  });
  onTestFinished(() => ws.close());
  return ws;
}
