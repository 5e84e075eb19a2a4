/**
 * Cuts a stream of 30 ms frames, each marked speech or not by the VAD, into segments of speech.
 * A pure core: no clock, no WASM; the pipeline feeds it.
 *
 * - Idle, it keeps the last `preRollMs` of audio so a segment starts before the VAD's first
 *   speech frame (the VAD is late on soft onsets).
 * - A speech frame opens a segment. `silenceMs` without speech closes it once it is at least
 *   `minSegmentMs` long (shorter ones take in more audio until they are), so the last word is
 *   whole and the segment ends with that much silence.
 * - At `maxSegmentMs` it is split in the longest pause of its last third (in the middle of it),
 *   or, with no pause at all, at the limit; the rest starts the next segment.
 * - A segment with less than `minSpeechMs` of speech (a click, a cough) is discarded, counted.
 * The buffer holds at most `maxSegmentMs` of audio: nothing grows past it.
 */

export interface SegmenterOptions {
  frameSamples: number;
  frameMs: number;
  silenceMs: number;
  minSegmentMs: number;
  maxSegmentMs: number;
  preRollMs?: number;
  minSpeechMs?: number;
}

export interface Cut {
  /** Index of the first sample in the source's stream of frames. */
  startSample: number;
  pcm: Int16Array;
  /** Milliseconds of it the VAD marked as speech. */
  speechMs: number;
}

const DEFAULT_PRE_ROLL_MS = 300;
const DEFAULT_MIN_SPEECH_MS = 250;

export class Segmenter {
  private readonly samples: Int16Array;
  private readonly speech: Uint8Array;
  private readonly frameSamples: number;
  private readonly silenceFrames: number;
  private readonly minFrames: number;
  private readonly maxFrames: number;
  private readonly preRollFrames: number;
  private readonly minSpeechFrames: number;
  private frames = 0;
  private active = false;
  /** The open segment follows a split: it is the rest of speech, never discarded. */
  private continued = false;
  private trailingSilence = 0;
  private seen = 0;
  /** Segments dropped for holding too little speech. */
  discarded = 0;

  constructor(private readonly options: SegmenterOptions) {
    const frames = (ms: number) => Math.max(1, Math.round(ms / options.frameMs));
    this.frameSamples = options.frameSamples;
    this.silenceFrames = frames(options.silenceMs);
    this.minFrames = frames(options.minSegmentMs);
    this.maxFrames = frames(options.maxSegmentMs);
    this.preRollFrames = frames(options.preRollMs ?? DEFAULT_PRE_ROLL_MS);
    this.minSpeechFrames = frames(options.minSpeechMs ?? DEFAULT_MIN_SPEECH_MS);
    this.samples = new Int16Array(this.maxFrames * this.frameSamples);
    this.speech = new Uint8Array(this.maxFrames);
  }

  /** Samples held: the pre-roll, or the open segment. */
  get bufferedSamples(): number {
    return this.frames * this.frameSamples;
  }

  get inSpeech(): boolean {
    return this.active;
  }

  /** Takes one frame; returns a segment when this frame closes or splits one. */
  push(frame: Int16Array, isSpeech: boolean): Cut | null {
    if (frame.length !== this.frameSamples) {
      throw new Error(`a frame is ${this.frameSamples} samples, not ${frame.length}`);
    }
    this.samples.set(frame, this.frames * this.frameSamples);
    this.speech[this.frames] = isSpeech ? 1 : 0;
    this.frames++;
    this.seen++;
    if (!this.active) {
      if (isSpeech) {
        this.active = true;
        this.trailingSilence = 0;
      } else if (this.frames > this.preRollFrames) {
        this.dropFront(this.frames - this.preRollFrames);
      }
      return null;
    }
    this.trailingSilence = isSpeech ? 0 : this.trailingSilence + 1;
    if (this.trailingSilence >= this.silenceFrames && this.frames >= this.minFrames) {
      return this.emit(this.frames, false);
    }
    if (this.frames >= this.maxFrames) return this.emit(this.splitPoint(), true);
    return null;
  }

  /** Closes the open segment now (the source stopped); the pre-roll is dropped. */
  flush(): Cut | null {
    if (!this.active) {
      this.dropFront(this.frames);
      return null;
    }
    return this.emit(this.frames, false);
  }

  /** Where to split a full buffer: the middle of the longest pause in its last third. */
  private splitPoint(): number {
    const from = Math.max(this.minFrames, this.frames - Math.ceil(this.maxFrames / 3));
    let bestStart = -1;
    let bestLength = 0;
    let runStart = -1;
    for (let at = from; at <= this.frames; at++) {
      const silent = at < this.frames && this.speech[at] === 0;
      if (silent && runStart === -1) runStart = at;
      if (!silent && runStart !== -1) {
        // `>=`: of equal pauses the later one, so the first part is the longer.
        if (at - runStart >= bestLength) {
          bestStart = runStart;
          bestLength = at - runStart;
        }
        runStart = -1;
      }
    }
    return bestStart === -1 ? this.frames : bestStart + Math.floor(bestLength / 2);
  }

  /**
   * Emits frames [0, count); after a split the rest stays open as the next segment, otherwise
   * the segmenter goes idle.
   */
  private emit(count: number, split: boolean): Cut | null {
    let speechFrames = 0;
    for (let at = 0; at < count; at++) speechFrames += this.speech[at] ?? 0;
    const cut: Cut = {
      startSample: (this.seen - this.frames) * this.frameSamples,
      pcm: this.samples.slice(0, count * this.frameSamples),
      speechMs: speechFrames * this.options.frameMs,
    };
    const keep = speechFrames >= this.minSpeechFrames || this.continued;
    this.dropFront(count);
    this.continued = split;
    this.active = split;
    this.trailingSilence = 0;
    for (let at = 0; at < this.frames; at++) {
      this.trailingSilence = this.speech[at] === 1 ? 0 : this.trailingSilence + 1;
    }
    if (keep) return cut;
    this.discarded++;
    return null;
  }

  private dropFront(count: number): void {
    if (count <= 0) return;
    const rest = this.frames - count;
    this.samples.copyWithin(0, count * this.frameSamples, this.frames * this.frameSamples);
    this.speech.copyWithin(0, count, this.frames);
    this.frames = rest;
  }
}
