/**
 * What the overlays show, as the hub owns it: `StreamState` (pushed as `stream_state` on
 * `stream:overlays`) and `QueueState` (pushed as `queue_state` on `stream:queue`). Overlays only
 * animate these; nothing else defines them.
 */
import { z } from "zod";
import { EventId, Timestamp } from "../events/envelope";

export const LAYERS = ["foreground", "midground", "background"] as const;
export const LayerName = z.enum(LAYERS);
export type LayerName = z.infer<typeof LayerName>;

/**
 * What a layer can hold: an `alert` from the queue, the midground's `sub_train` or `timeline`,
 * the background's `ticker` item, or `forced` content a command put there.
 */
export const CONTENT_KINDS = ["alert", "sub_train", "timeline", "ticker", "forced"] as const;
export const ContentKind = z.enum(CONTENT_KINDS);
export type ContentKind = z.infer<typeof ContentKind>;

export const LayerContent = z.object({
  /** Unique per appearance: a replayed alert gets a new id. Overlays re-animate on a new id. */
  id: z.string().min(1),
  kind: ContentKind,
  /** The event type of an alert (`channel.follow`), or the item's own name (`ticker.daily_counts`). */
  type: z.string().min(1),
  priority: z.int(),
  started_at: Timestamp,
  /** When it leaves the layer; null stays until replaced. */
  expires_at: Timestamp.nullable(),
  data: z.record(z.string(), z.unknown()),
  source_event_id: EventId.nullable(),
});
export type LayerContent = z.infer<typeof LayerContent>;

/** An alert waiting its turn on the foreground. */
export const QueueItem = z.object({
  id: z.string().min(1),
  kind: z.literal("alert"),
  type: z.string().min(1),
  priority: z.int(),
  duration_ms: z.int().positive(),
  queued_at: Timestamp,
  data: z.record(z.string(), z.unknown()),
  source_event_id: EventId.nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const TAKEOVER_TYPES = [
  "technical-difficulties",
  "please-stand-by",
  "screen-cover",
  "custom",
] as const;
export const TakeoverType = z.enum(TAKEOVER_TYPES);
export type TakeoverType = z.infer<typeof TakeoverType>;

export const Takeover = z.object({
  id: z.string().min(1),
  type: TakeoverType,
  message: z.string().nullable(),
  started_at: Timestamp,
  /** null covers until `takeover_clear`. */
  expires_at: Timestamp.nullable(),
});
export type Takeover = z.infer<typeof Takeover>;

export const Ticker = z.object({
  /** The item kinds this show rotates through, in order. */
  items: z.array(z.string()),
  /** Index into `items` of the one showing. */
  index: z.int().nonnegative(),
  /** When the background moves to the next item. */
  next_at: Timestamp.nullable(),
});
export type Ticker = z.infer<typeof Ticker>;

/**
 * What the hub knows of OBS: the program scene (the last one it heard of, kept while OBS is
 * away, so an overlay on a BRB scene stays as it was) and whether the stream is live — OBS's
 * streaming output while the hub is connected to OBS, else Twitch's `stream.online`/`offline`.
 */
export const StreamObs = z.object({
  connected: z.boolean(),
  scene: z.string().nullable(),
  live: z.boolean(),
});
export type StreamObs = z.infer<typeof StreamObs>;

/** Why the omnibar is hidden: `scene` — OBS's program scene is one the streamer listed. */
export const OMNIBAR_HIDDEN_REASONS = ["scene"] as const;
export const OmnibarHiddenReason = z.enum(OMNIBAR_HIDDEN_REASONS);
export type OmnibarHiddenReason = z.infer<typeof OmnibarHiddenReason>;

/** Whether the omnibar shows; its layers keep their course underneath while it is hidden. */
export const OmnibarVisibility = z.object({
  hidden: z.boolean(),
  /** null while it shows. */
  reason: OmnibarHiddenReason.nullable(),
});
export type OmnibarVisibility = z.infer<typeof OmnibarVisibility>;

export const StreamState = z.object({
  /** Increases by exactly one with every change. */
  version: z.int().nonnegative(),
  show: z.string().min(1),
  layers: z.object({
    foreground: LayerContent.nullable(),
    midground: LayerContent.nullable(),
    background: LayerContent.nullable(),
  }),
  /** Alerts waiting: priority first (highest), then arrival. */
  queue: z.array(QueueItem),
  ticker: Ticker,
  takeover: Takeover.nullable(),
  paused: z.boolean(),
  obs: StreamObs,
  omnibar: OmnibarVisibility,
  updated_at: Timestamp,
});
export type StreamState = z.infer<typeof StreamState>;

/** `queue_state`: the alert queue as the dashboard controls it. */
export const QueueState = z.object({
  version: z.int().nonnegative(),
  paused: z.boolean(),
  /** The alert on the foreground now, if any. */
  current: LayerContent.nullable(),
  pending: z.array(QueueItem),
  /** The bound on `pending`. */
  max: z.int().positive(),
  /** Alerts the bound dropped, in all: kept with the stream state across restarts (lowest priority first). */
  dropped: z.int().nonnegative(),
  /** The last alerts that finished showing, newest first. */
  history: z.array(LayerContent),
  updated_at: Timestamp,
});
export type QueueState = z.infer<typeof QueueState>;
