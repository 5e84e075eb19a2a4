import { describe, expect, it } from "bun:test";
import { createLogger } from "@landale/logger";
import type { Segment } from "./pipeline/segment";
import {
  type EngineResult,
  type EngineState,
  Transcriber,
  type Transcription,
  type TranscriptionEngine,
} from "./transcriber";

const logger = createLogger({ name: "transcriber-test", level: "silent" });
const READY: EngineState = { state: "ready", message: null };

function segment(n: number): Segment {
  return {
    id: `segment-${n}`,
    sourceId: "mic",
    sourceName: "Mic",
    startedAt: 1_700_000_000_000 + n * 1000,
    durationMs: 1500,
    pcm: new Int16Array(24_000),
  };
}

/** An engine whose every call waits for the test to answer it (or to abort it). */
function heldEngine(options: { ignoreAbort?: boolean } = {}) {
  const calls: Array<{
    segment: Segment;
    signal: AbortSignal;
    answer: (result: EngineResult | null) => void;
  }> = [];
  const engine: TranscriptionEngine = {
    name: "none",
    check: async () => READY,
    state: () => READY,
    transcribe: (segment, signal) =>
      new Promise((resolve, reject) => {
        calls.push({ segment, signal, answer: resolve });
        if (!options.ignoreAbort) signal.addEventListener("abort", () => reject(signal.reason));
      }),
    stop: async () => {},
  };
  return { engine, calls };
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

describe("Transcriber", () => {
  it("transcribes one segment at a time, in order, and hands on the words", async () => {
    const { engine, calls } = heldEngine();
    const out: Transcription[] = [];
    const transcriber = new Transcriber({
      engine,
      capacity: 4,
      timeoutMs: 60_000,
      logger,
      onTranscription: (t) => out.push(t),
      now: () => 42,
    });
    transcriber.enqueue(segment(1));
    transcriber.enqueue(segment(2));
    await until("the first call", () => calls.length === 1);
    expect(transcriber.stats()).toMatchObject({ depth: 1, transcribing: true });
    calls[0]?.answer({ text: "  hello there ", confidence: 0.8 });
    await until("the second call", () => calls.length === 2);
    calls[1]?.answer(null);
    await until("both done", () => transcriber.stats().empty === 1);
    expect(out).toEqual([
      {
        id: "segment-1",
        sourceId: "mic",
        sourceName: "Mic",
        startedAt: 1_700_000_001_000,
        durationMs: 1500,
        text: "hello there",
        confidence: 0.8,
      },
    ]);
    expect(transcriber.stats()).toMatchObject({ completed: 1, empty: 1, lastTranscriptionAt: 42 });
    await transcriber.stop();
  });

  it("drops the oldest waiting segment when the queue is full, and counts it", async () => {
    const { engine, calls } = heldEngine();
    const transcriber = new Transcriber({
      engine,
      capacity: 2,
      timeoutMs: 60_000,
      logger,
      onTranscription: () => {},
    });
    transcriber.enqueue(segment(1));
    await until("the first call", () => calls.length === 1);
    for (const n of [2, 3, 4, 5]) transcriber.enqueue(segment(n));
    expect(transcriber.stats()).toMatchObject({ depth: 2, dropped: 2 });
    calls[0]?.answer(null);
    await until("the next call", () => calls.length === 2);
    expect(calls[1]?.segment.id).toBe("segment-4");
    await transcriber.stop();
  });

  it("aborts an engine past the timeout and goes on, even one that ignores its signal", async () => {
    const { engine, calls } = heldEngine({ ignoreAbort: true });
    const transcriber = new Transcriber({
      engine,
      capacity: 4,
      timeoutMs: 50,
      logger,
      onTranscription: () => {},
    });
    transcriber.enqueue(segment(1));
    transcriber.enqueue(segment(2));
    await until("the second call", () => calls.length === 2);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls[0]?.signal.reason.name).toBe("TranscriptionTimeout");
    await until("the second timed out", () => transcriber.stats().timedOut === 2);
    await transcriber.stop();
  });

  it("counts an engine's failure and goes on", async () => {
    let n = 0;
    const engine: TranscriptionEngine = {
      name: "none",
      check: async () => READY,
      state: () => READY,
      transcribe: async () => {
        n++;
        if (n === 1) throw new Error("boom");
        return { text: "ok", confidence: null };
      },
      stop: async () => {},
    };
    const out: Transcription[] = [];
    const transcriber = new Transcriber({
      engine,
      capacity: 4,
      timeoutMs: 60_000,
      logger,
      onTranscription: (t) => out.push(t),
    });
    transcriber.enqueue(segment(1));
    transcriber.enqueue(segment(2));
    await until("the second done", () => out.length === 1);
    expect(transcriber.stats()).toMatchObject({ failed: 1, completed: 1 });
    await transcriber.stop();
  });

  it("on stop aborts the running transcription, drops the queue and takes no more", async () => {
    const { engine, calls } = heldEngine();
    const transcriber = new Transcriber({
      engine,
      capacity: 4,
      timeoutMs: 60_000,
      logger,
      onTranscription: () => {},
    });
    transcriber.enqueue(segment(1));
    transcriber.enqueue(segment(2));
    await until("the first call", () => calls.length === 1);
    await transcriber.stop();
    expect(calls[0]?.signal.aborted).toBe(true);
    transcriber.enqueue(segment(3));
    expect(transcriber.stats()).toMatchObject({ depth: 0, transcribing: false, failed: 0 });
    expect(calls.length).toBe(1);
  });
});
