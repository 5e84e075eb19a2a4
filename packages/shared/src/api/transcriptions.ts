/**
 * The transcriptions REST API's contract: pages of stored transcriptions (newest first, keyset
 * cursor), full-text search ranked by relevance, and counts over a range with hourly buckets.
 */
import { z } from "zod";
import { Timestamp } from "../events/envelope";
import { Transcription, TranscriptionSessionId } from "../transcription/transcription";

export const TRANSCRIPTIONS_MAX_LIMIT = 500;
export const TRANSCRIPTIONS_DEFAULT_LIMIT = 50;
export const SEARCH_MAX_LIMIT = 100;
export const SEARCH_DEFAULT_LIMIT = 25;
export const SEARCH_MAX_CHARS = 200;
/** Stats cover at most this long a range (one bucket an hour). */
export const STATS_MAX_RANGE_MS = 31 * 24 * 60 * 60 * 1000;

/** A page's opaque keyset cursor, as an earlier page's `next_cursor` gave it. */
export const PageCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be a next_cursor from an earlier page");

/** `GET /api/transcriptions`. */
export const TranscriptionQuery = z.object({
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  session: TranscriptionSessionId.optional(),
  cursor: PageCursor.optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(TRANSCRIPTIONS_MAX_LIMIT)
    .default(TRANSCRIPTIONS_DEFAULT_LIMIT),
});
export type TranscriptionQuery = z.infer<typeof TranscriptionQuery>;

export const TranscriptionPage = z.object({
  transcriptions: z.array(Transcription),
  /** Pass as `cursor` for the next (older) page; null on the last. */
  next_cursor: z.string().nullable(),
});
export type TranscriptionPage = z.infer<typeof TranscriptionPage>;

/** `GET /api/transcriptions/search`: `q` in web-search syntax (`"exact phrase"`, `or`, `-word`). */
export const TranscriptionSearchQuery = z.object({
  q: z.string().trim().min(1, "must not be empty").max(SEARCH_MAX_CHARS),
  session: TranscriptionSessionId.optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).default(SEARCH_DEFAULT_LIMIT),
});
export type TranscriptionSearchQuery = z.infer<typeof TranscriptionSearchQuery>;

export const TranscriptionSearchHit = Transcription.extend({
  /** Postgres's `ts_rank`: higher is more relevant; hits come best first. */
  rank: z.number().nonnegative(),
});
export type TranscriptionSearchHit = z.infer<typeof TranscriptionSearchHit>;

export const TranscriptionSearchResults = z.object({
  query: z.string(),
  results: z.array(TranscriptionSearchHit),
});
export type TranscriptionSearchResults = z.infer<typeof TranscriptionSearchResults>;

/** `GET /api/transcriptions/stats`: the last 24 hours unless `since`/`until` say otherwise. */
export const TranscriptionStatsQuery = z.object({
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  session: TranscriptionSessionId.optional(),
});

export const TranscriptionStats = z.object({
  since: Timestamp,
  until: Timestamp,
  count: z.int().nonnegative(),
  total_duration_ms: z.int().nonnegative(),
  /** Distinct sessions with a transcription in the range. */
  sessions: z.int().nonnegative(),
  /** Hours with at least one transcription, oldest first. */
  buckets: z.array(
    z.object({
      bucket: Timestamp,
      count: z.int().nonnegative(),
      duration_ms: z.int().nonnegative(),
    }),
  ),
});
export type TranscriptionStats = z.infer<typeof TranscriptionStats>;
