/**
 * The stream state engine's own state (`EngineState`): everything the reducer needs, of which the
 * published `StreamState` and `QueueState` are views. It is persisted as it is, so its schema
 * is checked when it is read back after a restart.
 */
import {
  Goal,
  LayerContent,
  QueueItem,
  type QueueState,
  type StreamState,
  SubTrainData,
  Takeover,
  TimelineEntry,
} from "@landale/shared";
import { z } from "zod";
import { CONDITIONAL_TICKER_ITEMS, type EngineConfig, tickerItemsFor } from "./config";
import { GameTracking, initialGameTracking } from "./games";
import { initialLiveTracking, LiveTracking, obsViewOf, omnibarOf } from "./live";

export const SubTrain = SubTrainData.extend({
  id: z.string(),
  started_at: z.string(),
  expires_at: z.string(),
});
export type SubTrain = z.infer<typeof SubTrain>;

/** Today's figures (UTC day) for the ticker; reset when the day changes. */
export const DayStats = z.object({
  day: z.string(),
  follows: z.int().nonnegative(),
  subs: z.int().nonnegative(),
  gifted: z.int().nonnegative(),
  bits: z.int().nonnegative(),
  raids: z.int().nonnegative(),
  redemptions: z.int().nonnegative(),
  recent_followers: z.array(z.string()),
  emotes: z.record(z.string(), z.int().positive()),
  goals: z.record(z.string(), Goal),
});
export type DayStats = z.infer<typeof DayStats>;

export const EngineState = z.object({
  version: z.int().nonnegative(),
  updated_at: z.string(),
  show: z.string(),
  paused: z.boolean(),
  queue: z.array(QueueItem),
  current: LayerContent.nullable(),
  forced: z.object({
    foreground: LayerContent.nullable(),
    midground: LayerContent.nullable(),
    background: LayerContent.nullable(),
  }),
  takeover: Takeover.nullable(),
  train: SubTrain.nullable(),
  timeline: z.array(TimelineEntry),
  /** The timeline shows until then after each interaction, then gives the ticker its turn. */
  timeline_until: z.string().nullable().default(null),
  ticker: z.object({
    index: z.int().nonnegative(),
    next_at: z.string().nullable(),
    item: LayerContent.nullable(),
  }),
  stats: DayStats,
  history: z.array(LayerContent),
  dropped: z.int().nonnegative(),
  /** Counts every input that made something; generated ids come from it, so they replay alike. */
  serial: z.int().nonnegative(),
  /** OBS's scene and the stream being live; states written before it was tracked start blank. */
  live: LiveTracking.default(initialLiveTracking),
  /** The IronMON run and the song playing; states written before they were tracked start blank. */
  games: GameTracking.default(initialGameTracking),
});
export type EngineState = z.infer<typeof EngineState>;

/**
 * A deep copy of the state, for the reducer to change while the state it was given stays as it
 * was. The state is JSON data — it is persisted as JSON and read back through its schema — so
 * plain objects and arrays are all there is to copy; `structuredClone` took 3–5× as long on a
 * state holding 179 queued alerts (~76 KB), and the reducer copies once per input.
 */
export function copyState(core: EngineState): EngineState {
  return copyJson(core) as EngineState;
}

function copyJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyJson(value[i]);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    copy[key] = copyJson((value as Record<string, unknown>)[key]);
  return copy;
}

export function emptyStats(day: string): DayStats {
  return {
    day,
    follows: 0,
    subs: 0,
    gifted: 0,
    bits: 0,
    raids: 0,
    redemptions: 0,
    recent_followers: [],
    emotes: {},
    goals: {},
  };
}

export function initialEngineState(now: number, show: string): EngineState {
  const iso = new Date(now).toISOString();
  return {
    version: 0,
    updated_at: iso,
    show,
    paused: false,
    queue: [],
    current: null,
    forced: { foreground: null, midground: null, background: null },
    takeover: null,
    train: null,
    timeline: [],
    timeline_until: null,
    ticker: { index: 0, next_at: null, item: null },
    stats: emptyStats(iso.slice(0, 10)),
    history: [],
    dropped: 0,
    serial: 0,
    live: initialLiveTracking(),
    games: initialGameTracking(),
  };
}

export const TIMELINE_ID = "timeline";

/** The published stream state: each layer's forced content first, else what it derives. */
export function streamStateOf(core: EngineState, config: EngineConfig): StreamState {
  const tickerItems = activeTickerItems(core, config);
  return {
    version: core.version,
    show: core.show,
    layers: {
      foreground: core.forced.foreground ?? core.current,
      midground: core.forced.midground ?? midgroundOf(core),
      background: core.forced.background ?? core.ticker.item,
    },
    queue: core.queue,
    ticker: { items: [...tickerItems], index: core.ticker.index, next_at: core.ticker.next_at },
    takeover: core.takeover,
    paused: core.paused,
    obs: obsViewOf(core.live),
    omnibar: omnibarOf(core.live, config),
    updated_at: core.updated_at,
  };
}

/** The show's ticker items that have something to say now: `now_playing` only while tuned in. */
export function activeTickerItems(core: EngineState, config: EngineConfig): readonly string[] {
  const silent = (item: string) =>
    (CONDITIONAL_TICKER_ITEMS as readonly string[]).includes(item) &&
    !(item === "now_playing" && core.games.now_playing !== null);
  return tickerItemsFor(config, core.show).filter((item) => !silent(item));
}

export function queueStateOf(core: EngineState, max: number): QueueState {
  return {
    version: core.version,
    paused: core.paused,
    current: core.current,
    pending: core.queue,
    max,
    dropped: core.dropped,
    history: core.history,
    updated_at: core.updated_at,
  };
}

/** What clients see, less the version and the time it changed: equal views need no new version. */
export function viewOf(core: EngineState, config: EngineConfig) {
  const { version: _v, updated_at: _u, ...stream } = streamStateOf(core, config);
  const { version: _qv, updated_at: _qu, ...queue } = queueStateOf(core, config.queueMax);
  return { stream, queue };
}

function midgroundOf(core: EngineState): LayerContent | null {
  if (core.train !== null) {
    const { id, count, latest, tiers, started_at, expires_at } = core.train;
    return {
      id,
      kind: "sub_train",
      type: "sub_train",
      priority: 0,
      started_at,
      expires_at,
      data: { count, latest, tiers },
      source_event_id: null,
    };
  }
  if (core.timeline.length === 0 || core.timeline_until === null) return null;
  return {
    id: TIMELINE_ID,
    kind: "timeline",
    type: "timeline",
    priority: 0,
    started_at: core.timeline[0]?.at ?? core.updated_at,
    expires_at: core.timeline_until,
    data: { items: core.timeline },
    source_event_id: null,
  };
}
