/**
 * Live transcription: what the audio worker submits (`submit_transcription` on `transcription:live`)
 * and what the hub stores and pushes (`new_transcription` on `transcription:live` and
 * `transcription:session:<session_id>`) to captions and the AI worker.
 */
import { z } from "zod";
import { Timestamp } from "../events/envelope";

export const TRANSCRIPTION_TOPIC = "transcription:live";
export const TRANSCRIPTION_SESSION_PREFIX = "transcription:session:";
export const MAX_TRANSCRIPTION_CHARS = 4000;

const SessionId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 characters of A-Z a-z 0-9 . _ : -");

/** What a worker submits for one segment of speech. */
export const TranscriptionInput = z.strictObject({
  /** Idempotency key; the hub makes a UUIDv7 when absent. */
  id: SessionId.optional(),
  session_id: SessionId,
  /** When the segment started. */
  ts: Timestamp,
  duration_ms: z
    .int()
    .positive()
    .max(10 * 60 * 1000),
  text: z.string().trim().min(1).max(MAX_TRANSCRIPTION_CHARS),
  source_id: z.string().min(1).max(128).optional(),
  confidence: z.number().min(0).max(1).optional(),
});
export type TranscriptionInput = z.infer<typeof TranscriptionInput>;

/** A stored transcription, as pushed in `new_transcription`. */
export const Transcription = z.object({
  id: z.string().min(1),
  session_id: SessionId,
  ts: Timestamp,
  duration_ms: z.int().positive(),
  text: z.string().min(1),
  source_id: z.string().nullable(),
  confidence: z.number().min(0).max(1).nullable(),
});
export type Transcription = z.infer<typeof Transcription>;
