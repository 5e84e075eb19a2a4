import { describe, expect, it } from "bun:test";
import { type Cut, Segmenter } from "./segmenter";

const FRAME = 480;

function segmenter(overrides: { maxSegmentMs?: number } = {}) {
  return new Segmenter({
    frameSamples: FRAME,
    frameMs: 30,
    silenceMs: 510,
    minSegmentMs: 1500,
    maxSegmentMs: overrides.maxSegmentMs ?? 30_000,
    preRollMs: 300,
    minSpeechMs: 240,
  });
}

/** Each frame's samples hold its index in the stream, so a cut shows which frames it has. */
function feed(target: Segmenter, pattern: Array<[speech: boolean, frames: number]>, from = 0) {
  const cuts: Array<Cut & { firstFrame: number; frames: number; endedAtFrame: number }> = [];
  let index = from;
  for (const [speech, frames] of pattern) {
    for (let i = 0; i < frames; i++, index++) {
      const cut = target.push(new Int16Array(FRAME).fill(index), speech);
      if (cut === null) continue;
      cuts.push({
        ...cut,
        firstFrame: cut.pcm[0] ?? -1,
        frames: cut.pcm.length / FRAME,
        endedAtFrame: index,
      });
      expect(cut.startSample).toBe((cut.pcm[0] ?? 0) * FRAME);
    }
  }
  return cuts;
}

describe("Segmenter", () => {
  it("cuts nothing from silence and holds no more than the pre-roll", () => {
    const target = segmenter();
    expect(feed(target, [[false, 2000]])).toEqual([]);
    expect(target.bufferedSamples).toBe(10 * FRAME);
    expect(target.flush()).toBeNull();
    expect(target.bufferedSamples).toBe(0);
  });

  it("closes speech after the silence, with the pre-roll before and the silence after", () => {
    const target = segmenter();
    const cuts = feed(target, [
      [false, 100],
      [true, 40],
      [false, 100],
    ]);
    expect(cuts.length).toBe(1);
    const [cut] = cuts;
    // 10 frames of pre-roll, 40 of speech, closed by the 17th silent frame (510 ms).
    expect(cut?.firstFrame).toBe(90);
    expect(cut?.frames).toBe(10 + 40 + 17);
    expect(cut?.endedAtFrame).toBe(156);
    expect(cut?.speechMs).toBe(1200);
    expect(target.inSpeech).toBe(false);
  });

  it("keeps a short utterance open until it is the minimum length", () => {
    const cuts = feed(segmenter(), [
      [false, 20],
      [true, 10],
      [false, 100],
    ]);
    expect(cuts.map((cut) => cut.frames)).toEqual([50]);
  });

  it("does not close on a pause shorter than the silence", () => {
    const cuts = feed(segmenter(), [
      [true, 30],
      [false, 16],
      [true, 30],
      [false, 17],
    ]);
    expect(cuts.map((cut) => cut.frames)).toEqual([30 + 16 + 30 + 17]);
  });

  it("discards and counts a click", () => {
    const target = segmenter();
    expect(
      feed(target, [
        [true, 2],
        [false, 100],
      ]),
    ).toEqual([]);
    expect(target.discarded).toBe(1);
  });

  it("splits a long monologue in its longest late pause, never past the maximum", () => {
    const target = segmenter();
    // 40 s of speech with short pauses: 100 ms at frame 300, 300 ms at 800, 150 ms at 900.
    const cuts = feed(target, [
      [true, 300],
      [false, 3],
      [true, 497],
      [false, 10],
      [true, 90],
      [false, 5],
      [true, 428],
      [false, 40],
    ]);
    expect(cuts.map((cut) => [cut.firstFrame, cut.frames])).toEqual([
      // The 300 ms pause (frames 800-809) is the longest in the last third: cut in its middle.
      [0, 805],
      [805, 1333 + 17 - 805],
    ]);
    for (const cut of cuts) expect(cut.frames).toBeLessThanOrEqual(1000);
  });

  it("cuts at the maximum when there is no pause, and keeps the rest however short", () => {
    const target = segmenter({ maxSegmentMs: 6000 });
    const cuts = feed(target, [
      [true, 203],
      [false, 60],
    ]);
    expect(cuts.map((cut) => [cut.firstFrame, cut.frames])).toEqual([
      [0, 200],
      [200, 50],
    ]);
    expect(target.discarded).toBe(0);
  });

  it("flushes open speech when the source stops", () => {
    const target = segmenter();
    feed(target, [
      [false, 5],
      [true, 20],
    ]);
    const cut = target.flush();
    expect(cut?.pcm.length).toBe(25 * FRAME);
    expect(target.bufferedSamples).toBe(0);
    expect(target.flush()).toBeNull();
  });

  it("holds at most the maximum whatever it is fed", () => {
    const target = segmenter({ maxSegmentMs: 6000 });
    let largest = 0;
    for (let i = 0; i < 5000; i++) {
      target.push(new Int16Array(FRAME), i % 7 !== 0);
      largest = Math.max(largest, target.bufferedSamples);
    }
    expect(largest).toBeLessThanOrEqual(200 * FRAME);
  });
});
