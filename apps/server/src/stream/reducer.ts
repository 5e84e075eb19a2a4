/**
 * The stream state reducer: `(core, input, now) → {core, effects, nextAt, error?}`, pure. Inputs
 * are committed events, commands and timer ticks; time is only ever the `now` it is given, so the
 * same inputs at the same times give the same state. After every input the reducer brings the
 * state up to `now` (expired content leaves, the next alert starts, the ticker turns) and bumps
 * `version` by one if what clients see changed. Timers, persistence and I/O are the shell's
 * (`engine.ts`): `nextAt` says when to tick next, `effects` what to announce.
 */
import {
  type ChannelChatMessageEvent,
  type EventEnvelope,
  type LayerContent,
  type LayerName,
  type QueueItem,
  type StreamCommand,
  type Takeover,
  type TimelineEntry,
  type TypedEventEnvelope,
  tierLabel,
} from "@landale/shared";
import { type EngineConfig, showForCategory } from "./config";
import { copyState, type EngineState, emptyStats, viewOf } from "./core";
import { applyIronmonSnapshot, type IronmonSnapshot, trackGames } from "./games";
import { restartLive, trackLive } from "./live";
import { refreshTicker, showTickerItem, turnTicker } from "./ticker";

export type Input =
  /** A committed window's events, applied in order as one change. */
  | { kind: "events"; events: readonly EventEnvelope[] }
  | { kind: "command"; command: StreamCommand }
  /** `replay_event` after the shell looked the event up. */
  | { kind: "replay"; event: EventEnvelope }
  | { kind: "tick" }
  /** The first input after the state was read back on start: a tick that knows it restarted. */
  | { kind: "restored" }
  /** The IronMON records as the database holds them, read by the shell. */
  | { kind: "ironmon"; snapshot: IronmonSnapshot };

export type Effect =
  | { type: "takeover"; takeover: Takeover }
  | { type: "takeover_clear"; takeover: Takeover }
  /** An event for the events pipeline (`stream.*`). */
  | { type: "emit"; eventType: string; data: Record<string, unknown> }
  | { type: "dropped"; item: QueueItem };

export interface CommandError {
  status: 404 | 409 | 422;
  code: string;
  message: string;
}

export interface Result {
  core: EngineState;
  effects: Effect[];
  /** When the next tick is due (epoch ms), or null when nothing will change by itself. */
  nextAt: number | null;
  /** Set when a command was refused; the state is then unchanged. */
  error?: CommandError;
  /** True when `version` went up. */
  changed: boolean;
}

export function reduce(
  previous: EngineState,
  input: Input,
  now: number,
  config: EngineConfig,
): Result {
  const core = copyState(previous);
  const effects: Effect[] = [];
  const iso = new Date(now).toISOString();
  rollDay(core, iso);
  // Catch up first, so the input meets the state as it is at `now` whether or not the timer's
  // tick came before it: a lapsed train takes no more subs, an alert whose time is up is over.
  advance(core, now, config, effects);

  let error: CommandError | undefined;
  switch (input.kind) {
    case "events":
      for (const event of input.events) applyEvent(core, event, now, config, effects);
      break;
    case "replay":
      error = replay(core, input.event, now, config, effects);
      break;
    case "command":
      error = applyCommand(core, input.command, now, config, effects);
      break;
    case "restored":
      restartLive(core.live);
      break;
    case "ironmon":
      applyIronmonSnapshot(core.games, input.snapshot);
      refreshTicker(core, now, config);
      break;
    case "tick":
      break;
  }
  if (error !== undefined)
    return { core: previous, effects: [], nextAt: nextDeadline(previous), error, changed: false };

  advance(core, now, config, effects);
  const changed = !sameView(previous, core, config);
  if (changed) {
    core.version = previous.version + 1;
    core.updated_at = iso;
  } else {
    core.version = previous.version;
    core.updated_at = previous.updated_at;
  }
  return { core, effects, nextAt: nextDeadline(core), changed };
}

// ---------------------------------------------------------------- events

function applyEvent(
  core: EngineState,
  stored: EventEnvelope,
  now: number,
  config: EngineConfig,
  effects: Effect[],
): void {
  const event = typed(stored);
  const iso = new Date(now).toISOString();
  trackLive(core.live, event);
  switch (event.type) {
    case "channel.follow": {
      const { data } = event;
      core.stats.follows++;
      core.stats.recent_followers = [nameOf(data.user_name), ...core.stats.recent_followers].slice(
        0,
        5,
      );
      addTimeline(core, config, event.type, nameOf(data.user_name), "followed", iso);
      break;
    }
    case "channel.subscribe": {
      const { data } = event;
      // Gifted subs arrive one by one after their gift event, which already counted them.
      if (data.is_gift) return;
      core.stats.subs++;
      joinSubTrain(
        core,
        config,
        now,
        1,
        nameOf(data.user_name),
        loginOf(data.user_login),
        data.tier,
      );
      addTimeline(
        core,
        config,
        event.type,
        nameOf(data.user_name),
        `subscribed (${tierLabel(data.tier)})`,
        iso,
      );
      break;
    }
    case "channel.subscription.message": {
      const { data } = event;
      core.stats.subs++;
      joinSubTrain(
        core,
        config,
        now,
        1,
        nameOf(data.user_name),
        loginOf(data.user_login),
        data.tier,
      );
      addTimeline(
        core,
        config,
        event.type,
        nameOf(data.user_name),
        `resubscribed for ${data.cumulative_months} months`,
        iso,
      );
      break;
    }
    case "channel.subscription.gift": {
      const { data } = event;
      core.stats.gifted += data.total;
      const gifter = data.is_anonymous ? "Anonymous" : nameOf(data.user_name);
      joinSubTrain(core, config, now, data.total, gifter, loginOf(data.user_login), data.tier);
      addTimeline(core, config, event.type, gifter, `gifted ${data.total} subs`, iso);
      break;
    }
    case "channel.cheer": {
      const { data } = event;
      core.stats.bits += data.bits;
      const who = data.is_anonymous ? "Anonymous" : nameOf(data.user_name);
      addTimeline(core, config, event.type, who, `cheered ${data.bits} bits`, iso);
      break;
    }
    case "channel.raid": {
      const { data } = event;
      core.stats.raids++;
      addTimeline(
        core,
        config,
        event.type,
        nameOf(data.from_broadcaster_user_name),
        `raided with ${data.viewers} viewers`,
        iso,
      );
      break;
    }
    case "channel.channel_points_custom_reward_redemption.add": {
      const { data } = event;
      core.stats.redemptions++;
      addTimeline(
        core,
        config,
        event.type,
        nameOf(data.user_name),
        `redeemed ${nameOf(data.reward.title)}`,
        iso,
      );
      break;
    }
    case "channel.chat.message":
      countEmotes(core, event.data.message.fragments);
      return;
    case "channel.goal.begin":
    case "channel.goal.progress": {
      const { data } = event;
      core.stats.goals[data.id] = {
        id: data.id,
        type: nameOf(data.type),
        description: nameOf(data.description),
        current: data.current_amount,
        target: data.target_amount,
      };
      return;
    }
    case "channel.goal.end":
      delete core.stats.goals[event.data.id];
      return;
    case "channel.update":
      switchShow(core, showForCategory(config, event.data), now, config, effects);
      return;
    default: {
      // The hub's own families (`ironmon.*`, `rainwave.*`) are not in the Twitch-typed union.
      const type: string = event.type;
      const change = trackGames(core.games, type, stored.data);
      if (change === "song") showTickerItem(core, now, config, "now_playing");
      else if (change !== "none") refreshTicker(core, now, config);
      // A checkpoint cleared is a foreground alert; the rest only feeds the ticker.
      if (!(type in config.alerts)) return;
      break;
    }
  }
  enqueue(core, alertFor(core, event, now, config), config, effects);
}

/**
 * Only committed events reach the reducer, and ingest checked each one's data against its type's
 * schema in the catalogue: the type names the shape of the data.
 */
function typed(event: EventEnvelope): TypedEventEnvelope {
  return event as TypedEventEnvelope;
}

function replay(
  core: EngineState,
  event: EventEnvelope,
  now: number,
  config: EngineConfig,
  effects: Effect[],
): CommandError | undefined {
  if (!(event.type in config.alerts)) {
    return {
      status: 422,
      code: "not_an_alert",
      message: `${event.type} events do not make alerts`,
    };
  }
  enqueue(core, alertFor(core, event, now, config), config, effects);
  return undefined;
}

function alertFor(
  core: EngineState,
  stored: EventEnvelope,
  now: number,
  config: EngineConfig,
): QueueItem {
  const event = typed(stored);
  const rule = config.alerts[event.type] ?? { priority: 0, durationMs: 5_000 };
  const big = event.type === "channel.cheer" && event.data.bits >= config.bigCheerBits;
  const bigRule = config.alerts["channel.subscription.gift"] ?? rule;
  core.serial++;
  return {
    id: `alert:${core.serial}:${event.id}`,
    kind: "alert",
    type: event.type,
    priority: big ? Math.max(rule.priority, bigRule.priority) : rule.priority,
    duration_ms: big ? Math.max(rule.durationMs, bigRule.durationMs) : rule.durationMs,
    queued_at: new Date(now).toISOString(),
    // Alert data is the event's own object, shown as it came (the overlays read Twitch's fields).
    data: { ...(stored.data as Record<string, unknown>), ...(big ? { big: true } : {}) },
    source_event_id: event.id,
  };
}

/** Inserts by priority (highest first), after every item of equal priority; drops past the bound. */
function enqueue(
  core: EngineState,
  item: QueueItem,
  config: EngineConfig,
  effects: Effect[],
): void {
  const at = core.queue.findIndex((queued) => queued.priority < item.priority);
  core.queue.splice(at === -1 ? core.queue.length : at, 0, item);
  dropOverflow(core, config, effects);
}

/** Drops queued alerts past the queue's bound, counting each and announcing it. */
function dropOverflow(core: EngineState, config: EngineConfig, effects: Effect[]): void {
  while (core.queue.length > config.queueMax) {
    // The lowest priority leaves first; among equals, the one that came last.
    const dropped = core.queue.pop();
    if (dropped === undefined) break;
    core.dropped++;
    effects.push({ type: "dropped", item: dropped });
  }
}

/** A sub joins the train, or starts one when none runs; each sub extends it. */
function joinSubTrain(
  core: EngineState,
  config: EngineConfig,
  now: number,
  count: number,
  userName: string,
  userLogin: string | null,
  tier: string | null,
): void {
  const iso = new Date(now).toISOString();
  if (core.train === null) {
    core.serial++;
    core.train = {
      id: `train:${core.serial}`,
      count: 0,
      started_at: iso,
      expires_at: iso,
      latest: { user_name: userName, user_login: userLogin, tier },
      tiers: {},
    };
  }
  core.train.count += count;
  core.train.latest = { user_name: userName, user_login: userLogin, tier };
  if (tier !== null) core.train.tiers[tier] = (core.train.tiers[tier] ?? 0) + count;
  core.train.expires_at = new Date(now + config.trainWindowMs).toISOString();
}

function addTimeline(
  core: EngineState,
  config: EngineConfig,
  type: string,
  userName: string,
  summary: string,
  at: string,
): void {
  const entry: TimelineEntry = { type, user_name: userName, summary, at };
  core.timeline = [entry, ...core.timeline].slice(0, config.timelineSize);
  core.timeline_until = new Date(Date.parse(at) + config.timelineHoldMs).toISOString();
}

const MAX_EMOTES = 500;

type ChatFragment = ChannelChatMessageEvent["message"]["fragments"][number];

function countEmotes(core: EngineState, fragments: readonly ChatFragment[]): void {
  for (const fragment of fragments) {
    if (fragment.type !== "emote") continue;
    const emotes = core.stats.emotes;
    if (emotes[fragment.text] === undefined && Object.keys(emotes).length >= MAX_EMOTES) continue;
    emotes[fragment.text] = (emotes[fragment.text] ?? 0) + 1;
  }
}

function rollDay(core: EngineState, iso: string): void {
  const day = iso.slice(0, 10);
  if (core.stats.day !== day) core.stats = { ...emptyStats(day), goals: core.stats.goals };
}

// ---------------------------------------------------------------- commands

function applyCommand(
  core: EngineState,
  command: StreamCommand,
  now: number,
  config: EngineConfig,
  effects: Effect[],
): CommandError | undefined {
  const iso = new Date(now).toISOString();
  switch (command.name) {
    case "takeover": {
      const { type, message, duration, duration_ms } = command.payload;
      const ms = duration_ms ?? (duration === undefined ? undefined : duration * 1000);
      if (core.takeover !== null) effects.push({ type: "takeover_clear", takeover: core.takeover });
      // An alert would finish unseen under the cover: it goes back and shows once the cover lifts.
      if (core.current !== null) {
        requeue(core, core.current, config, effects);
        core.current = null;
      }
      core.serial++;
      core.takeover = {
        id: `takeover:${core.serial}`,
        type,
        message: message ?? null,
        started_at: iso,
        expires_at: ms === undefined ? null : new Date(now + ms).toISOString(),
      };
      effects.push({ type: "takeover", takeover: core.takeover });
      effects.push({
        type: "emit",
        eventType: "stream.takeover.started",
        data: takeoverData(core.takeover),
      });
      return undefined;
    }
    case "takeover_clear":
      if (core.takeover === null)
        return { status: 409, code: "no_takeover", message: "no takeover is active" };
      clearTakeover(core, effects, "command");
      return undefined;
    case "force_content": {
      const { layer, type, data, duration } = command.payload;
      if (layer === "foreground" && core.current !== null)
        requeue(core, core.current, config, effects);
      if (layer === "foreground") core.current = null;
      core.serial++;
      core.forced[layer] = {
        id: `forced:${core.serial}`,
        kind: "forced",
        type,
        priority: Number.MAX_SAFE_INTEGER,
        started_at: iso,
        expires_at: new Date(now + duration * 1000).toISOString(),
        data,
        source_event_id: null,
      };
      return undefined;
    }
    case "pause":
      core.paused = true;
      return undefined;
    case "resume":
      core.paused = false;
      return undefined;
    case "skip":
      if (core.current === null)
        return { status: 409, code: "nothing_showing", message: "no alert is showing" };
      retireAlert(core, core.current, config, iso);
      return undefined;
    case "remove_item": {
      const index = core.queue.findIndex((item) => item.id === command.payload.id);
      if (index === -1)
        return {
          status: 404,
          code: "not_found",
          message: `no queued alert has id "${command.payload.id}"`,
        };
      core.queue.splice(index, 1);
      return undefined;
    }
    case "clear":
      core.queue = [];
      return undefined;
    case "replay_event":
      // The shell looks the event up and sends a `replay` input instead.
      return {
        status: 422,
        code: "invalid_command",
        message: "replay_event needs the stored event",
      };
  }
}

/** An alert cut short by forced content goes back to the front of its priority. */
function requeue(
  core: EngineState,
  alert: LayerContent,
  config: EngineConfig,
  effects: Effect[],
): void {
  const duration =
    alert.expires_at === null ? 5_000 : Date.parse(alert.expires_at) - Date.parse(alert.started_at);
  const item: QueueItem = {
    id: alert.id,
    kind: "alert",
    type: alert.type,
    priority: alert.priority,
    duration_ms: Math.max(1, duration),
    queued_at: alert.started_at,
    data: alert.data,
    source_event_id: alert.source_event_id,
  };
  const at = core.queue.findIndex((queued) => queued.priority <= item.priority);
  core.queue.splice(at === -1 ? core.queue.length : at, 0, item);
  dropOverflow(core, config, effects);
}

function clearTakeover(core: EngineState, effects: Effect[], reason: "command" | "expired"): void {
  if (core.takeover === null) return;
  effects.push({ type: "takeover_clear", takeover: core.takeover });
  effects.push({ type: "emit", eventType: "stream.takeover.cleared", data: { reason } });
  core.takeover = null;
}

/** `stream.takeover.started` data, as the catalogue defines it. */
function takeoverData(takeover: Takeover): Record<string, unknown> {
  const data: Record<string, unknown> = { type: takeover.type };
  if (takeover.message !== null) data.message = takeover.message;
  if (takeover.expires_at !== null) {
    data.duration_ms = Date.parse(takeover.expires_at) - Date.parse(takeover.started_at);
  }
  return data;
}

function switchShow(
  core: EngineState,
  show: string,
  now: number,
  config: EngineConfig,
  effects: Effect[],
): void {
  if (core.show === show) return;
  const previous = core.show;
  core.show = show;
  core.ticker = { index: 0, next_at: null, item: null };
  turnTicker(core, now, config, 0);
  effects.push({
    type: "emit",
    eventType: "stream.show.changed",
    data: { show, previous_show: previous },
  });
}

// ---------------------------------------------------------------- time

/** Brings the state up to `now`: expiries, the next alert, the ticker. */
function advance(core: EngineState, now: number, config: EngineConfig, effects: Effect[]): void {
  const iso = new Date(now).toISOString();
  if (expired(core.current, now) && core.current !== null)
    retireAlert(core, core.current, config, iso);
  for (const layer of ["foreground", "midground", "background"] as LayerName[]) {
    if (expired(core.forced[layer], now)) core.forced[layer] = null;
  }
  if (core.takeover?.expires_at != null && Date.parse(core.takeover.expires_at) <= now) {
    clearTakeover(core, effects, "expired");
  }
  if (core.train !== null && Date.parse(core.train.expires_at) <= now) core.train = null;
  if (core.timeline_until !== null && Date.parse(core.timeline_until) <= now)
    core.timeline_until = null;

  const next = core.queue[0];
  if (
    core.current === null &&
    core.forced.foreground === null &&
    !core.paused &&
    core.takeover === null &&
    next !== undefined
  ) {
    core.queue.shift();
    core.current = {
      id: next.id,
      kind: "alert",
      type: next.type,
      priority: next.priority,
      started_at: iso,
      expires_at: new Date(now + next.duration_ms).toISOString(),
      data: next.data,
      source_event_id: next.source_event_id,
    };
  }

  if (core.ticker.next_at === null || Date.parse(core.ticker.next_at) <= now) {
    const turns =
      core.ticker.next_at === null
        ? 0
        : 1 + Math.floor((now - Date.parse(core.ticker.next_at)) / config.tickerIntervalMs);
    turnTicker(core, now, config, turns);
  }
}

/** The alert showing leaves the foreground for the history, stamped with when it left. */
function retireAlert(
  core: EngineState,
  alert: LayerContent,
  config: EngineConfig,
  iso: string,
): void {
  core.history = [{ ...alert, expires_at: iso }, ...core.history].slice(0, config.historySize);
  core.current = null;
}

function expired(content: LayerContent | null, now: number): boolean {
  return content?.expires_at != null && Date.parse(content.expires_at) <= now;
}

function nextDeadline(core: EngineState): number | null {
  const times = [
    core.current?.expires_at,
    core.forced.foreground?.expires_at,
    core.forced.midground?.expires_at,
    core.forced.background?.expires_at,
    core.takeover?.expires_at,
    core.train?.expires_at,
    core.timeline_until,
    core.ticker.next_at,
  ]
    .filter((value): value is string => typeof value === "string")
    .map((value) => Date.parse(value));
  return times.length === 0 ? null : Math.min(...times);
}

/** Whether clients would see the same thing: the published views, less version and time. */
export function sameView(a: EngineState, b: EngineState, config: EngineConfig): boolean {
  return Bun.deepEquals(viewOf(a, config), viewOf(b, config));
}

/** A name to show: Twitch sends "" (the CLI) or null (anonymous users) where it has none. */
function nameOf(value: string | null): string {
  return value === null || value === "" ? "someone" : value;
}

/** A login, or null where Twitch has none. */
function loginOf(value: string | null): string | null {
  return value === "" ? null : value;
}
