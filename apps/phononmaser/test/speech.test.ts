/**
 * Real speech through the real server: espeak-ng speaks, sox makes 48 kHz stereo in each wire
 * encoding, frames go over a WebSocket, and the segments the engine is handed are checked against
 * where the voice is in the audio.
 */
import { describe, expect, it } from "bun:test";
import type { Segment } from "../src/pipeline/segment";
import { jsonAudioFrame } from "./support/frames";
import { pocketsphinxWords, type SpeechClip, silenceClip, speechClip } from "./support/speech";
import {
  eventually,
  openSocket,
  startTestWorker,
  streamClip,
  type TestWorker,
} from "./support/worker";

const SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank.";
/** The segment must run on this long after the voice ends: the last word is whole. */
const TAIL_MS = 300;

/** Streams `clip` and waits until the pipeline has taken every frame. */
async function send(
  test: TestWorker,
  clip: SpeechClip,
  options: Parameters<typeof streamClip>[2] = {},
) {
  const socket = await openSocket(test.worker.audioUrl);
  const frames = await streamClip(socket.ws, clip, options);
  await eventually("every frame taken", () => test.worker.health().audio.frames === frames);
  return socket;
}

/** Where a segment lies in the clip, from its wall-clock start and the stream's first timestamp. */
function placeOf(segment: Segment, startMs: number) {
  const start = segment.startedAt - startMs;
  return { start, end: start + segment.durationMs };
}

function expectWholeSpeech(segment: Segment, clip: SpeechClip, startMs: number) {
  const place = placeOf(segment, startMs);
  expect(place.start).toBeLessThanOrEqual(clip.speechStartMs);
  expect(place.end).toBeGreaterThanOrEqual(clip.speechEndMs + TAIL_MS);
  expect(segment.durationMs).toBeLessThanOrEqual(30_000);
  expect(segment.pcm.length).toBe(segment.durationMs * 16);
}

describe("speech over the audio socket", () => {
  it("cuts one whole segment from a sentence streamed at real-time pace as int16, and transcribes it", async () => {
    const test = await startTestWorker({
      respond: async (segment) => ({
        text: await pocketsphinxWords(segment.pcm),
        confidence: null,
      }),
    });
    const events = await openSocket(`${test.worker.audioUrl}/events`);
    const clip = await speechClip(SENTENCE, "int16");
    const startMs = Date.now();
    await send(test, clip, { startNs: BigInt(startMs) * 1_000_000n, paced: true });

    await eventually("a transcription", () => test.transcriptions.length === 1);
    expect(test.segments.length).toBe(1);
    const [segment] = test.segments;
    if (segment === undefined) throw new Error("no segment");
    expectWholeSpeech(segment, clip, startMs);
    expect(segment.sourceId).toBe("mic");
    expect(segment.sourceName).toBe("Microphone");

    const [transcription] = test.transcriptions;
    const words = transcription?.text.split(/\s+/) ?? [];
    const spoken = new Set(SENTENCE.toLowerCase().replace(/[.]/g, "").split(" "));
    expect(words.filter((word) => spoken.has(word)).length).toBeGreaterThanOrEqual(3);
    expect(transcription).toMatchObject({
      id: segment.id,
      startedAt: segment.startedAt,
      durationMs: segment.durationMs,
      confidence: null,
    });

    const health = test.worker.health();
    expect(health.transcription).toMatchObject({ completed: 1, failed: 0, timed_out: 0 });
    expect(health.transcription.last_age_ms).toBeGreaterThanOrEqual(0);
    await eventually("the transcription on /events", () =>
      events.messages.some((message) => message.includes("audio:transcription")),
    );
    const event = JSON.parse(events.messages.find((m) => m.includes("audio:transcription")) ?? "");
    expect(event).toEqual({
      type: "audio:transcription",
      timestamp: segment.startedAt * 1000,
      duration: segment.durationMs / 1000,
      text: transcription?.text,
    });
  });

  for (const [encoding, env] of [
    ["float32", {}],
    ["int32", {}],
    ["int32", { PHONONMASER_SAMPLE_FORMAT: "float32,mic=int32" }],
    ["float32", { PHONONMASER_SAMPLE_FORMAT: "int32,mic=float32" }],
  ] as const) {
    const how =
      "PHONONMASER_SAMPLE_FORMAT" in env
        ? `configured as ${env.PHONONMASER_SAMPLE_FORMAT}`
        : "guessed";
    it(`cuts one whole segment from 32-bit ${encoding} (${how})`, async () => {
      const test = await startTestWorker({ env });
      const clip = await speechClip(SENTENCE, encoding);
      const startMs = Date.now();
      await send(test, clip, { startNs: BigInt(startMs) * 1_000_000n });
      await eventually("a segment", () => test.segments.length === 1);
      const [segment] = test.segments;
      if (segment === undefined) throw new Error("no segment");
      expectWholeSpeech(segment, clip, startMs);
      expect(test.worker.health().audio.sources[0]?.encoding).toBe(encoding);
    });
  }

  it("cuts one segment from JSON audio_data frames", async () => {
    const test = await startTestWorker();
    const clip = await speechClip(SENTENCE, "int16");
    const socket = await openSocket(test.worker.audioUrl);
    const packet = 2048 * 4;
    const startUs = Date.now() * 1000;
    let frames = 0;
    for (let at = 0; at < clip.pcm.byteLength; at += packet, frames++) {
      const offsetUs = Math.round(((at / 4) * 1_000_000) / clip.rate);
      socket.ws.send(
        jsonAudioFrame({ timestamp: startUs + offsetUs, pcm: clip.pcm.subarray(at, at + packet) }),
      );
    }
    await eventually("every frame taken", () => test.worker.health().audio.frames === frames);
    await eventually("a segment", () => test.segments.length === 1);
    const [segment] = test.segments;
    if (segment === undefined) throw new Error("no segment");
    expectWholeSpeech(segment, clip, startUs / 1000);
  });

  it("maps OBS-relative timestamps to the wall clock of the connection's first frame", async () => {
    const test = await startTestWorker();
    const clip = await speechClip(SENTENCE, "float32");
    const before = Date.now();
    // 2 hours after OBS started, as its monotonic clock says.
    await send(test, clip, { startNs: 7_200_000_000_000n });
    const after = Date.now();
    await eventually("a segment", () => test.segments.length === 1);
    const [segment] = test.segments;
    if (segment === undefined) throw new Error("no segment");
    // The first frame was pinned to a moment between `before` and `after`.
    expectWholeSpeech(segment, clip, segment.startedAt - placeOf(segment, before).start);
    expect(placeOf(segment, before).start).toBeGreaterThanOrEqual(0);
    expect(placeOf(segment, before).start).toBeLessThanOrEqual(
      clip.speechStartMs + (after - before),
    );
  });

  it("closes open speech at once when the sender says stop", async () => {
    const test = await startTestWorker();
    const clip = await speechClip(SENTENCE, "int16", { beforeS: 0.5, afterS: 0 });
    const startMs = Date.now();
    const socket = await send(test, clip, { startNs: BigInt(startMs) * 1_000_000n });
    expect(test.segments).toEqual([]);
    socket.ws.send(JSON.stringify({ type: "stop" }));
    await eventually("a segment", () => test.segments.length === 1);
    const place = placeOf(test.segments[0] as Segment, startMs);
    expect(place.start).toBeLessThanOrEqual(clip.speechStartMs);
    expect(place.end).toBeGreaterThanOrEqual(clip.speechEndMs);
  });

  it("cuts nothing from silence", async () => {
    const test = await startTestWorker();
    const socket = await send(test, silenceClip("float32", 5));
    socket.ws.close();
    await eventually("the source ended", () => test.worker.health().audio.sources.length === 0);
    expect(test.segments).toEqual([]);
    expect(test.worker.health().segments).toEqual({ emitted: 0, discarded: 0 });
  });

  it("splits a 40 s monologue in a pause, no segment over 30 s", async () => {
    const test = await startTestWorker();
    const monologue = [
      "Once upon a time in a quiet village by the sea there lived an old fisherman who went out",
      "every morning before the sun came up and he would row his little wooden boat past the rocks",
      "and the lighthouse and out into the deep blue water where the big fish swam and he would cast",
      "his nets and wait and sing old songs his father had taught him while the gulls circled above",
      "and the waves rocked the boat gently from side to side and when the nets were full he would",
      "pull them in with his strong weathered hands and sort the fish into baskets keeping the best",
      "ones for the market and throwing the small ones back into the sea so they could grow",
    ].join(" ");
    const clip = await speechClip(monologue, "int16", { beforeS: 1, afterS: 2 });
    expect(clip.speechEndMs - clip.speechStartMs).toBeGreaterThan(30_000);
    const startMs = Date.now();
    await send(test, clip, { startNs: BigInt(startMs) * 1_000_000n });
    await eventually("two segments", () => test.segments.length === 2);
    const [first, second] = test.segments;
    if (first === undefined || second === undefined) throw new Error("no segments");
    expect(first.durationMs).toBeLessThanOrEqual(30_000);
    // Split in the last third, where the second segment starts.
    expect(first.durationMs).toBeGreaterThanOrEqual(20_000);
    expect(second.startedAt).toBe(first.startedAt + first.durationMs);
    expect(placeOf(first, startMs).start).toBeLessThanOrEqual(clip.speechStartMs);
    expect(placeOf(second, startMs).end).toBeGreaterThanOrEqual(clip.speechEndMs + TAIL_MS);
    // In a pause: the 30 ms around the cut are far quieter than the speech.
    const around = [...first.pcm.subarray(-240), ...second.pcm.subarray(0, 240)];
    const peak = Math.max(...around.map(Math.abs));
    const speechPeak = Math.max(...Array.from(first.pcm, Math.abs));
    expect(peak).toBeLessThan(speechPeak / 4);
  });
});
