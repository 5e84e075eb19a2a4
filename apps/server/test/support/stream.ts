/**
 * Builders for the reducer's tests: event envelopes made from the Twitch fixtures, parsed
 * commands, and a driver that feeds inputs through `reduce` on a clock that moves only when the
 * test says so.
 */
import {
  type EventEnvelope,
  HUB_EVENT_SCHEMAS,
  type HubEventType,
  type LayerContent,
  type QueueState,
  STREAM_COMMANDS,
  type StreamCommand,
  type StreamCommandName,
  type StreamState,
  TWITCH_EVENT_SCHEMAS,
  type TwitchEventType,
} from "@landale/shared";
import { TWITCH_SAMPLES } from "@landale/shared/fixtures/twitch";
import type { z } from "zod";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "../../src/stream/config";
import {
  type EngineState,
  initialEngineState,
  queueStateOf,
  streamStateOf,
} from "../../src/stream/core";
import { type Input, type Result, reduce } from "../../src/stream/reducer";

/** 19:00 UTC on a streaming evening; tests count their clock from here. */
export const T0 = Date.UTC(2026, 2, 11, 19, 0, 0);

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;

export const iso = (ms: number) => new Date(ms).toISOString();

type TwitchData<K extends TwitchEventType> = z.input<(typeof TWITCH_EVENT_SCHEMAS)[K]>;

/**
 * A committed Twitch event: the fixture's payload with `overrides` on top, checked against the
 * type's schema so a test never feeds the reducer something the hub would have refused.
 */
export function twitchEvent<K extends TwitchEventType>(
  type: K,
  overrides: Partial<TwitchData<K>> & Record<string, unknown>,
  id: string,
  at: number,
  seq = 1,
): EventEnvelope {
  const data = TWITCH_EVENT_SCHEMAS[type].parse({ ...TWITCH_SAMPLES[type], ...overrides });
  return {
    id,
    seq,
    type,
    source: "twitch",
    ts: iso(at),
    received_at: iso(at),
    correlation_id: `corr-${id}`,
    data,
  };
}

type HubData<K extends HubEventType> = z.input<(typeof HUB_EVENT_SCHEMAS)[K]>;

/** A committed event of the hub's own families (`obs.*`, …), checked against its schema. */
export function hubEvent<K extends HubEventType>(
  type: K,
  data: HubData<K>,
  id: string,
  at: number,
  seq = 1,
): EventEnvelope {
  return {
    id,
    seq,
    type,
    source: type.startsWith("obs.") ? "obs" : "system",
    ts: iso(at),
    received_at: iso(at),
    correlation_id: `corr-${id}`,
    data: HUB_EVENT_SCHEMAS[type].parse(data),
  };
}

/** A command as the channels hand it over: its payload parsed, defaults filled. */
export function commandOf(name: StreamCommandName, payload: unknown = {}): StreamCommand {
  return { name, payload: STREAM_COMMANDS[name].parse(payload) } as StreamCommand;
}

/** Feeds inputs through `reduce` and keeps the result, as the engine's shell would. */
export class StreamDriver {
  core: EngineState;
  now: number;
  readonly config: EngineConfig;
  readonly start: number;
  /** What the last input returned. */
  last: Result;
  #events = 0;

  constructor(options: { config?: Partial<EngineConfig>; start?: number } = {}) {
    this.config = { ...DEFAULT_ENGINE_CONFIG, ...options.config };
    this.start = options.start ?? T0;
    this.now = this.start;
    this.core = initialEngineState(this.now, this.config.defaultShow);
    // The engine ticks once on start; tests begin from that settled state.
    this.last = this.tick();
  }

  /** Sets the clock to `ms` after the start. */
  at(ms: number): this {
    if (this.start + ms < this.now) throw new Error("the clock never goes back");
    this.now = this.start + ms;
    return this;
  }

  /** Moves the clock on by `ms`. */
  after(ms: number): this {
    this.now += ms;
    return this;
  }

  send(input: Input): Result {
    this.last = reduce(this.core, input, this.now, this.config);
    this.core = this.last.core;
    return this.last;
  }

  tick(): Result {
    return this.send({ kind: "tick" });
  }

  /** Ticks when the reducer asked to be ticked next. */
  tickWhenDue(): Result {
    const due = this.last.nextAt;
    if (due === null) throw new Error("nothing is due");
    this.now = Math.max(this.now, due);
    return this.tick();
  }

  /** A Twitch event with a fresh id, stamped now. */
  eventOf<K extends TwitchEventType>(
    type: K,
    overrides: Partial<TwitchData<K>> & Record<string, unknown> = {},
  ): EventEnvelope {
    this.#events++;
    return twitchEvent(type, overrides, `evt-${this.#events}`, this.now, this.#events);
  }

  /** One Twitch event, committed in a window of its own. */
  event<K extends TwitchEventType>(
    type: K,
    overrides: Partial<TwitchData<K>> & Record<string, unknown> = {},
  ): Result {
    return this.window(this.eventOf(type, overrides));
  }

  /** An event of the hub's own families (`obs.*`, …) with a fresh id, stamped now. */
  hubEventOf<K extends HubEventType>(type: K, data: HubData<K>): EventEnvelope {
    this.#events++;
    return hubEvent(type, data, `evt-${this.#events}`, this.now, this.#events);
  }

  /** One event of the hub's own families, committed in a window of its own. */
  hub<K extends HubEventType>(type: K, data: HubData<K>): Result {
    return this.window(this.hubEventOf(type, data));
  }

  /** A committed window: its events apply in order, as one input. */
  window(...events: EventEnvelope[]): Result {
    return this.send({ kind: "events", events });
  }

  command(name: StreamCommandName, payload: unknown = {}): Result {
    return this.send({ kind: "command", command: commandOf(name, payload) });
  }

  replay(event: EventEnvelope): Result {
    return this.send({ kind: "replay", event });
  }

  get stream(): StreamState {
    return streamStateOf(this.core, this.config);
  }

  get queue(): QueueState {
    return queueStateOf(this.core, this.config.queueMax);
  }

  get foreground(): LayerContent | null {
    return this.stream.layers.foreground;
  }

  get midground(): LayerContent | null {
    return this.stream.layers.midground;
  }

  get background(): LayerContent | null {
    return this.stream.layers.background;
  }

  /**
   * Ticks on time until the foreground is empty and nothing waits, and returns every alert that
   * showed, in order. Ticker turns due before an expiry are ticked too, as the engine would.
   */
  drainAlerts(limit = 1_000): LayerContent[] {
    const shown: LayerContent[] = [];
    const note = () => {
      const current = this.queue.current;
      const last = shown.at(-1);
      if (current !== null && (last?.id !== current.id || last.started_at !== current.started_at))
        shown.push(current);
    };
    note();
    for (let i = 0; i < limit; i++) {
      if (this.foreground === null && this.queue.pending.length === 0) return shown;
      this.tickWhenDue();
      note();
    }
    throw new Error(`the queue did not drain in ${limit} ticks`);
  }
}
