/**
 * Live transcription: what the audio worker submits (`submit_transcription` on `transcription:live`)
 * and what the hub stores and pushes (`new_transcription` on `transcription:live` and
 * `transcription:session:<session_id>`) to captions and the AI worker.
 *
 * The hub also takes the older system's shape (its phononmaser sent `timestamp` as ISO 8601,
 * `duration` in seconds, `stream_session_id`, `confidence: null` and `metadata`): it is told
 * apart by its keys and mapped to ours by `parseTranscriptionSubmission`.
 */
import { z } from "zod";
import { Timestamp } from "../events/envelope";

export const TRANSCRIPTION_TOPIC = "transcription:live";
export const TRANSCRIPTION_SESSION_PREFIX = "transcription:session:";
export const MAX_TRANSCRIPTION_CHARS = 4000;
/** The longest segment of speech a worker may submit. */
export const MAX_TRANSCRIPTION_MS = 10 * 60 * 1000;
/** `meta`/`metadata` as JSON, at most. */
export const MAX_TRANSCRIPTION_META_BYTES = 4096;

export const TranscriptionSessionId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 characters of A-Z a-z 0-9 . _ : -");

const Meta = z
  .record(z.string(), z.unknown())
  .refine(
    (meta) => new TextEncoder().encode(JSON.stringify(meta)).length <= MAX_TRANSCRIPTION_META_BYTES,
    `must be at most ${MAX_TRANSCRIPTION_META_BYTES} bytes as JSON`,
  );

const Text = z.string().trim().min(1).max(MAX_TRANSCRIPTION_CHARS);
const Confidence = z.number().min(0).max(1);

/** What a worker submits for one segment of speech. */
export const TranscriptionInput = z.strictObject({
  /** Idempotency key; the hub makes a UUIDv7 when absent. */
  id: TranscriptionSessionId.optional(),
  session_id: TranscriptionSessionId,
  /** When the segment started. */
  ts: Timestamp,
  duration_ms: z.int().positive().max(MAX_TRANSCRIPTION_MS),
  text: Text,
  source_id: z.string().min(1).max(128).optional(),
  confidence: Confidence.optional(),
  /** Anything else the worker knows (engine, language); stored, not pushed. */
  meta: Meta.optional(),
});
export type TranscriptionInput = z.infer<typeof TranscriptionInput>;

/** The older system's `submit_transcription` payload, as its phononmaser sent it. */
export const LegacyTranscriptionInput = z.strictObject({
  /** When the segment started, ISO 8601 with an offset (the older worker wrote Los Angeles time). */
  timestamp: Timestamp,
  /** Seconds. */
  duration: z
    .number()
    .positive()
    .max(MAX_TRANSCRIPTION_MS / 1000),
  text: Text,
  source_id: z.string().min(1).max(128).nullish(),
  /** Absent or null: the day's session, `stream_YYYY_MM_DD`, as the older worker named it. */
  stream_session_id: TranscriptionSessionId.nullish(),
  confidence: Confidence.nullish(),
  metadata: Meta.nullish(),
});
export type LegacyTranscriptionInput = z.infer<typeof LegacyTranscriptionInput>;

/** Keys only the older shape has: one of them present means the payload is in that shape. */
const LEGACY_KEYS = ["timestamp", "duration", "stream_session_id", "metadata"] as const;

export function isLegacyTranscription(payload: unknown): boolean {
  return (
    typeof payload === "object" &&
    payload !== null &&
    LEGACY_KEYS.some((key) => Object.hasOwn(payload, key))
  );
}

/** The day's session the older worker used when it was given none: the timestamp's own date. */
export function legacySessionId(timestamp: string): string {
  return `stream_${timestamp.slice(0, 10).replaceAll("-", "_")}`;
}

/** Our input for an older-shape payload. */
export function fromLegacyTranscription(legacy: LegacyTranscriptionInput): TranscriptionInput {
  const input: TranscriptionInput = {
    session_id: legacy.stream_session_id ?? legacySessionId(legacy.timestamp),
    ts: new Date(legacy.timestamp).toISOString(),
    // A positive duration stays positive, however short.
    duration_ms: Math.max(1, Math.round(legacy.duration * 1000)),
    text: legacy.text,
  };
  if (legacy.source_id != null) input.source_id = legacy.source_id;
  if (legacy.confidence != null) input.confidence = legacy.confidence;
  if (legacy.metadata != null) input.meta = legacy.metadata;
  return input;
}

export type TranscriptionSubmission =
  | { success: true; data: TranscriptionInput; legacy: boolean }
  | { success: false; error: z.ZodError; legacy: boolean };

/**
 * A `submit_transcription` payload in either shape, as ours. Refusals name the field of the
 * shape the payload is in (`duration`, not `duration_ms`, for an older-shape one).
 */
export function parseTranscriptionSubmission(payload: unknown): TranscriptionSubmission {
  if (isLegacyTranscription(payload)) {
    const parsed = LegacyTranscriptionInput.safeParse(payload);
    return parsed.success
      ? { success: true, data: fromLegacyTranscription(parsed.data), legacy: true }
      : { success: false, error: parsed.error, legacy: true };
  }
  const parsed = TranscriptionInput.safeParse(payload);
  return parsed.success
    ? { success: true, data: parsed.data, legacy: false }
    : { success: false, error: parsed.error, legacy: false };
}

/** A stored transcription, as pushed in `new_transcription`. */
export const Transcription = z.object({
  id: z.string().min(1),
  session_id: TranscriptionSessionId,
  ts: Timestamp,
  duration_ms: z.int().positive(),
  text: z.string().min(1),
  source_id: z.string().nullable(),
  confidence: z.number().min(0).max(1).nullable(),
});
export type Transcription = z.infer<typeof Transcription>;

/** `get_recent` on a transcription topic: the last `minutes` (at most a day). */
export const GET_RECENT_MAX_MINUTES = 1440;
/** The most transcriptions one reply to `get_recent` or `get_session_transcriptions` carries. */
export const TRANSCRIPTION_REPLY_MAX = 1000;

export const GetRecentTranscriptions = z.strictObject({
  minutes: z.int().min(1).max(GET_RECENT_MAX_MINUTES).default(5),
});

export const GetSessionTranscriptions = z.strictObject({
  limit: z.int().min(1).max(TRANSCRIPTION_REPLY_MAX).default(500),
});

/** The reply to `get_recent`: newest first; `truncated` when more than the reply could carry. */
export const RecentTranscriptions = z.object({
  transcriptions: z.array(Transcription),
  count: z.int().nonnegative(),
  truncated: z.boolean(),
});
export type RecentTranscriptions = z.infer<typeof RecentTranscriptions>;

/** The reply to `get_session_transcriptions`: the session's latest `limit`, oldest first. */
export const SessionTranscriptions = RecentTranscriptions.extend({
  session_id: TranscriptionSessionId,
});
export type SessionTranscriptions = z.infer<typeof SessionTranscriptions>;
