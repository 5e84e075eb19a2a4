/**
 * Stream context: what the AI worker (`apps/seed`) makes of the last minutes of speech and chat.
 * An `Analysis` keeps the older system's result shape (patterns, dynamics, sentiment, topics,
 * context, suggested actions, momentum) in snake_case; a `StreamContext` is one stored window with
 * its inputs summarised and its analysis, whether a model made it or the offline fallback did.
 */
import { z } from "zod";

const Unit = z.number().min(0).max(1);
const Words = z.string().trim().min(1).max(200);
const Words2k = z.string().trim().min(1).max(2000);

export const SENTIMENTS = ["positive", "negative", "neutral", "mixed"] as const;
export const Sentiment = z.enum(SENTIMENTS);
export type Sentiment = z.infer<typeof Sentiment>;

export const Analysis = z.object({
  patterns: z.object({
    /** 0 calm … 1 hype. */
    energy_level: Unit,
    engagement_depth: Unit,
    /** How much chat moves with the streamer. */
    community_sync: Unit,
    content_focus: z.array(Words).max(10),
    mood_indicators: z.record(Words, Unit),
    temporal_flow: z.string().max(500).nullable(),
  }),
  dynamics: z
    .object({
      energy_trajectory: z.string().max(64),
      engagement_trend: z.string().max(64),
      community_trend: z.string().max(64),
      content_evolution: z.string().max(64),
      overall_momentum: z.string().max(64),
    })
    .nullable(),
  sentiment: Sentiment,
  sentiment_trajectory: z.string().max(64).nullable(),
  topics: z.array(Words).max(20),
  context: Words2k,
  suggested_actions: z.array(Words).max(10),
  momentum: z
    .object({ description: z.string().max(500), direction: z.string().max(64) })
    .nullable(),
});
export type Analysis = z.infer<typeof Analysis>;

/** Who made the analysis: the configured model, or the offline fallback (and why). */
export const AnalysisSource = z.object({
  kind: z.enum(["model", "fallback"]),
  /** The model's name, or the fallback's reason: `no_model`, `breaker_open`, `invalid_answer`, `model_failed`. */
  detail: z.string().max(200),
});
export type AnalysisSource = z.infer<typeof AnalysisSource>;

export const ChatFigures = z.object({
  messages: z.int().nonnegative(),
  /** Messages per minute over the window. */
  velocity: z.number().nonnegative(),
  participants: z.int().nonnegative(),
  /** Chat within 10 s after an utterance, as a share of all chat (0 when nobody spoke). */
  reaction_share: Unit,
});

export const EmoteCount = z.object({ name: z.string().max(100), count: z.int().positive() });

/** One stored window (`contexts` table), as `contexts:live` pushes it and `/api/contexts` lists it. */
export const StreamContext = z.object({
  id: z.string().min(1).max(64),
  session_id: z.string().min(1).max(128),
  started_at: z.iso.datetime({ offset: true }),
  ended_at: z.iso.datetime({ offset: true }),
  transcript: z.string().max(20_000),
  chat: ChatFigures,
  /** Interactions (follows, subs, cheers, raids, redemptions…) by event type. */
  interactions: z.record(z.string().max(128), z.int().nonnegative()),
  emotes: z.object({
    top: z.array(EmoteCount).max(20),
    /** The channel's own emotes among them (when the hub knows the channel's emotes). */
    native: z.array(EmoteCount).max(20),
  }),
  analysis: Analysis,
  source: AnalysisSource,
});
export type StreamContext = z.infer<typeof StreamContext>;

/** `submit_context` on `contexts:live` (worker or control scope): a window to store and push. */
export const ContextInput = StreamContext;
export type ContextInput = z.infer<typeof ContextInput>;
