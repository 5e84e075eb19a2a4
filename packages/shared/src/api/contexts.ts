/**
 * The stream contexts REST API's contract (control or worker scope): pages of stored contexts
 * (newest window first, keyset cursor), full-text search over what was said and what the analysis
 * made of it, and sentiment counts and energy over the last hours.
 */
import { z } from "zod";
import { type Sentiment, StreamContext } from "../context/context";
import { Timestamp } from "../events/envelope";
import {
  PageCursor,
  SEARCH_DEFAULT_LIMIT,
  SEARCH_MAX_CHARS,
  SEARCH_MAX_LIMIT,
} from "./transcriptions";

export const CONTEXTS_MAX_LIMIT = 500;
export const CONTEXTS_DEFAULT_LIMIT = 50;
/** Stats look back at most 31 days, one bucket an hour. */
export const CONTEXT_STATS_MAX_HOURS = 31 * 24;
export const CONTEXT_STATS_DEFAULT_HOURS = 24;

const Session = StreamContext.shape.session_id;

/** `GET /api/contexts`. */
export const ContextQuery = z.object({
  session: Session.optional(),
  cursor: PageCursor.optional(),
  limit: z.coerce.number().int().min(1).max(CONTEXTS_MAX_LIMIT).default(CONTEXTS_DEFAULT_LIMIT),
});
export type ContextQuery = z.infer<typeof ContextQuery>;

export const ContextPage = z.object({
  /** Newest window first. */
  contexts: z.array(StreamContext),
  /** Pass as `cursor` for the next (older) page; null on the last. */
  next_cursor: z.string().nullable(),
});
export type ContextPage = z.infer<typeof ContextPage>;

/** `GET /api/contexts/search`: `q` in web-search syntax (`"exact phrase"`, `or`, `-word`). */
export const ContextSearchQuery = z.object({
  q: z.string().trim().min(1, "must not be empty").max(SEARCH_MAX_CHARS),
  session: Session.optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).default(SEARCH_DEFAULT_LIMIT),
});
export type ContextSearchQuery = z.infer<typeof ContextSearchQuery>;

export const ContextSearchHit = StreamContext.extend({
  /** Postgres's `ts_rank`: higher is more relevant; hits come best first. */
  rank: z.number().nonnegative(),
});
export type ContextSearchHit = z.infer<typeof ContextSearchHit>;

export const ContextSearchResults = z.object({
  query: z.string(),
  results: z.array(ContextSearchHit),
});
export type ContextSearchResults = z.infer<typeof ContextSearchResults>;

/** `GET /api/contexts/stats`: the windows that ended in the last `hours` (default 24). */
export const ContextStatsQuery = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(CONTEXT_STATS_MAX_HOURS)
    .default(CONTEXT_STATS_DEFAULT_HOURS),
  session: Session.optional(),
});
export type ContextStatsQuery = z.infer<typeof ContextStatsQuery>;

const Count = z.int().nonnegative();
const Energy = z.number().min(0).max(1);

export const ContextStats = z.object({
  since: Timestamp,
  until: Timestamp,
  count: Count,
  /** Contexts by their analysis' sentiment, every sentiment present (0 when none had it). */
  sentiment: z.object({
    positive: Count,
    negative: Count,
    neutral: Count,
    mixed: Count,
  } satisfies Record<Sentiment, typeof Count>),
  energy: z.object({
    /** The mean energy level, null with no context in the range. */
    average: Energy.nullable(),
    /** Hours with at least one context, oldest first: how many, and their mean energy. */
    series: z.array(z.object({ bucket: Timestamp, count: Count, average: Energy })),
  }),
});
export type ContextStats = z.infer<typeof ContextStats>;
