/** What the pipeline hands the engines: one stretch of speech, closed by silence. */

/** 16 kHz mono int16 speech, closed by silence. */
export interface Segment {
  /** UUIDv7; becomes the transcription's id. */
  id: string;
  sourceId: string;
  sourceName: string;
  /** Epoch ms of its first sample (wall clock). */
  startedAt: number;
  durationMs: number;
  /** 16 kHz mono. */
  pcm: Int16Array;
}

export const SEGMENT_RATE = 16_000;
