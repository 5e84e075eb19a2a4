/**
 * Live captions end to end, as a new user would have them: espeak-ng speaks a sentence into a
 * WAV, sox makes it 48 kHz stereo, and it is streamed at real-time pace as the older worker's
 * binary frames (int16, then float32 as OBS sends) to the audio worker (`bun
 * apps/phononmaser/src/main.ts` with pocketsphinx). Its words arrive on `transcription:live`, are
 * stored, and show on `/overlays/captions` in Chromium. Needs the built overlays (turbo's test task
 * builds them).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { createClient } from "@landale/client";
import {
  PUSH,
  TRANSCRIPTION_LIVE,
  type Transcription,
  type TranscriptionPage,
} from "@landale/shared";
import {
  type AudioWorkerProcess,
  launchBrowser,
  type ObsSampleEncoding,
  sendAudio,
  spawnAudioWorker,
  speak,
} from "@landale/testkit";
import type { Browser } from "playwright-core";
import { type HubProcess, openPage, screenshot, startHubProcess } from "./support";

const WORKER_MAIN = new URL("../../phononmaser/src/main.ts", import.meta.url).pathname;
const WORKER_TOKEN = "captions-test-worker-token";
/** What Debian's pocketsphinx recognises reliably in espeak-ng's default voice. */
const SENTENCE = "the quick brown fox jumps over the lazy dog";
const WORDS = ["quick", "brown", "fox", "jumps", "over", "lazy", "dog"];
const TIMEOUT_MS = 90_000;
setDefaultTimeout(TIMEOUT_MS);

let browser: Browser;
let hub: HubProcess;
let worker: AudioWorkerProcess;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  hub = await startHubProcess({ LANDALE_WORKER_TOKEN: WORKER_TOKEN });
  worker = await spawnAudioWorker({
    main: WORKER_MAIN,
    env: {
      LANDALE_TRANSCRIBER: "pocketsphinx",
      LANDALE_HUB_URL: hub.url,
      LANDALE_WORKER_TOKEN: WORKER_TOKEN,
    },
    stopAfter: "caller",
  });
}, TIMEOUT_MS);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), worker?.stop(), hub?.stop()]);
}, TIMEOUT_MS);

declare global {
  interface Window {
    __captionsShown?: string[];
  }
}

/** Runs in the page before its scripts: notes the text of every caption line that appears. */
function recordCaptions(): void {
  const shown: string[] = [];
  window.__captionsShown = shown;
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement && node.matches("[data-caption]")) {
          shown.push(node.textContent ?? "");
        }
      }
    }
  }).observe(document, { subtree: true, childList: true });
}

async function connect(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`could not connect to ${url}`)), {
      once: true,
    });
  });
  cleanups.push(() => ws.close());
  return ws;
}

describe("the audio worker's captions", () => {
  for (const encoding of ["int16", "float32"] as const satisfies ObsSampleEncoding[]) {
    it(`turn ${encoding} speech streamed at real-time pace into a stored caption on the page`, async () => {
      const { context, page } = await openPage(browser, hub, "captions", {
        prepare: (tab) => tab.addInitScript(recordCaptions),
      });
      cleanups.push(() => context.close() as Promise<void>);
      const listener = createClient({ url: `${hub.url.replace(/^http/, "ws")}/socket` });
      cleanups.push(() => listener.close());
      const arrived: Transcription[] = [];
      listener.subscribe(TRANSCRIPTION_LIVE, PUSH.newTranscription, (transcription) =>
        arrived.push(transcription),
      );

      // At -6 dB, a microphone's level: at espeak-ng's near-full-scale, pocketsphinx hears the
      // float32 clip (exact digital silence around the voice, no dither) as "the article…".
      const audio = await speak(SENTENCE, {
        encoding,
        gainDb: -6,
        padBeforeS: 0.5,
        padAfterS: 1.5,
      });
      const ws = await connect(`${worker.audioUrl}/obs`);
      const sourceId = `mic-${encoding}`;
      await sendAudio(ws, audio, { pace: 1, sourceId, sourceName: "Mic/Aux" });

      const transcription = await waitFor("the transcription on transcription:live", () =>
        arrived.find((candidate) => candidate.source_id === sourceId),
      );
      const heard = WORDS.filter((word) =>
        transcription.text.toLowerCase().split(/\s+/).includes(word),
      );
      expect(heard.length).toBeGreaterThanOrEqual(3);
      expect(transcription.session_id).toMatch(/^stream_\d{4}_\d{2}_\d{2}$/);

      const { transcriptions } = await hub.get<TranscriptionPage>("/api/transcriptions?limit=50");
      expect(transcriptions.filter((stored) => stored.id === transcription.id)).toEqual([
        transcription,
      ]);

      await page.waitForFunction(
        (text) => window.__captionsShown?.includes(text) === true,
        transcription.text,
      );
      await screenshot(page, `captions-worker-${encoding}`);
      // The hub pushes before it answers the worker: the link empties just after.
      const health = await waitFor("the link's queue empty", async () => {
        const now = await worker.health();
        return now.link?.queue.depth === 0 ? now : undefined;
      });
      expect(health.link).toMatchObject({ connected: true, queue: { dropped: 0 }, refused: 0 });
      expect(health.engine).toMatchObject({ name: "pocketsphinx", state: "ready" });
    });
  }
});

async function waitFor<T>(
  what: string,
  find: () => T | undefined | Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}
