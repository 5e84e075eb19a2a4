/** One stretch of speech as the pipeline hands it to an engine. */

/** 16 kHz mono int16 speech, closed by silence. */
export interface Segment {
  id: string; // uuid v7, becomes the transcription id
  sourceId: string;
  sourceName: string;
  startedAt: number; // epoch ms of its first sample (wall clock)
  durationMs: number;
  pcm: Int16Array; // 16 kHz mono
}
