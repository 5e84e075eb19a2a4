/**
 * The reducer's property tests' machinery: random scripts of events, commands and pauses
 * (fast-check arbitraries), played through a `StreamDriver` with every step checked against the
 * invariants (valid, versioned, sorted, bounded, nothing expired, nothing lost or repeated).
 */
import { expect } from "bun:test";
import {
  ALERT_TYPES,
  type EventEnvelope,
  LAYERS,
  QueueState,
  type StreamCommandName,
  StreamState,
  TAKEOVER_TYPES,
  type TwitchEventType,
} from "@landale/shared";
import fc from "fast-check";
import type { EngineConfig } from "../../src/stream/config";
import { EngineState, queueStateOf, streamStateOf } from "../../src/stream/core";
import { type Input, type Result, reduce, sameView } from "../../src/stream/reducer";
import { commandOf, iso, MINUTE, StreamDriver } from "./stream";

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
export const PROPERTY_RUNS = { numRuns: 200, includeErrorInReport: true };

const EVENT_TYPES = [
  ...ALERT_TYPES,
  "channel.chat.message",
  "channel.goal.begin",
  "channel.goal.progress",
  "channel.goal.end",
  "channel.update",
  "stream.online",
  "stream.offline",
] as const satisfies readonly TwitchEventType[];

interface EventSpec {
  type: (typeof EVENT_TYPES)[number];
  user: string;
  tier: "1000" | "2000" | "3000";
  flag: boolean;
  amount: number;
  category: string;
}

const anonymous = { user_id: null, user_login: null, user_name: null };

function overridesFor(spec: EventSpec): Record<string, unknown> {
  switch (spec.type) {
    case "channel.subscribe":
      return { user_name: spec.user, tier: spec.tier, is_gift: spec.flag };
    case "channel.subscription.message":
      return { user_name: spec.user, tier: spec.tier };
    case "channel.subscription.gift":
      return {
        ...(spec.flag ? { ...anonymous, cumulative_total: null } : { user_name: spec.user }),
        is_anonymous: spec.flag,
        tier: spec.tier,
        total: Math.min(spec.amount, 100),
      };
    case "channel.cheer":
      return {
        ...(spec.flag ? anonymous : { user_name: spec.user }),
        is_anonymous: spec.flag,
        bits: spec.amount,
      };
    case "channel.raid":
      return { from_broadcaster_user_name: spec.user, viewers: spec.amount };
    case "channel.goal.begin":
    case "channel.goal.progress":
    case "channel.goal.end":
      return { id: spec.flag ? "g1" : "g2", current_amount: spec.amount, target_amount: 5_000 };
    case "channel.update":
      // 13332 (Pokémon FireRed/LeafGreen) selects the ironmon show whatever the name says.
      return { category_id: spec.flag ? "13332" : "12453", category_name: spec.category };
    case "channel.follow":
    case "channel.channel_points_custom_reward_redemption.add":
      return { user_name: spec.user };
    default:
      return {};
  }
}

type Action =
  | { kind: "events"; events: EventSpec[] }
  | { kind: "command"; name: StreamCommandName; payload: Record<string, unknown> }
  | { kind: "remove"; pick: number }
  | { kind: "replay"; pick: number }
  /** One of OBS's events (`OBS_EVENTS`), picked. */
  | { kind: "obs"; pick: number }
  | { kind: "restored" }
  | { kind: "tick" };

interface Step {
  dt: number;
  action: Action;
}

const eventSpec: fc.Arbitrary<EventSpec> = fc.record({
  type: fc.constantFrom(...EVENT_TYPES),
  user: fc.constantFrom("ada", "bo", "cy"),
  tier: fc.constantFrom("1000", "2000", "3000"),
  flag: fc.boolean(),
  amount: fc.constantFrom(1, 5, 100, 999, 1_000, 5_000),
  category: fc.constantFrom("Software and Game Development", "Just Chatting", "Grand Theft Auto"),
});

const command: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constant("takeover" as const),
    payload: fc.record(
      {
        type: fc.constantFrom(...TAKEOVER_TYPES),
        message: fc.constant("Back soon"),
        duration: fc.constantFrom(0.0004, 0.5, 3, 30, 600),
      },
      { requiredKeys: ["type", "message"] },
    ),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constant("force_content" as const),
    payload: fc.record({
      layer: fc.constantFrom(...LAYERS),
      type: fc.constant("announcement"),
      duration: fc.constantFrom(0.0004, 0.25, 2, 10, 45),
    }),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constantFrom(
      "takeover_clear" as const,
      "pause" as const,
      "resume" as const,
      "skip" as const,
      "clear" as const,
    ),
    payload: fc.constant({}),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    name: fc.constant("replay_event" as const),
    payload: fc.constant({ event_id: "evt-1" }),
  }),
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("events" as const),
      events: fc.array(eventSpec, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 4, arbitrary: command },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("obs" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "restored" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "tick" as const }) },
);

/** OBS's word as the integration sends it: scenes (one listed as hiding the omnibar), output, link. */
function obsEvent(stream: StreamDriver, pick: number): EventEnvelope {
  switch (pick % 7) {
    case 0:
      return stream.hubEventOf("obs.scene.changed", { scene_name: "BRB" });
    case 1:
      return stream.hubEventOf("obs.scene.changed", { scene_name: "Gameplay" });
    case 2:
      return stream.hubEventOf("obs.stream.started", {});
    case 3:
      return stream.hubEventOf("obs.stream.stopped", {});
    case 4:
      return stream.hubEventOf("obs.connection.lost", { reason: "socket closed" });
    case 5:
      return stream.hubEventOf("obs.connection.failed", { reason: "connect ECONNREFUSED" });
    default:
      return stream.hubEventOf("obs.connection.established", { scene_name: "brb" });
  }
}

/** Time between inputs: often none, mostly seconds, sometimes minutes or hours. */
const gap = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 4_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 4_001, max: 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_001, max: 2 * 60 * MINUTE }) },
);

export const steps = fc.array(fc.record({ dt: gap, action }), { maxLength: 60 });

/** Small bounds so that overflow, history and timeline limits are hit in 60 inputs. */
export const engineConfig: fc.Arbitrary<Partial<EngineConfig>> = fc.record({
  queueMax: fc.integer({ min: 1, max: 6 }),
  historySize: fc.integer({ min: 1, max: 4 }),
  timelineSize: fc.integer({ min: 1, max: 4 }),
  trainWindowMs: fc.constantFrom(20_000, 5 * MINUTE),
  tickerIntervalMs: fc.constantFrom(4_000, 15_000),
  omnibarHiddenScenes: fc.constant(["BRB"]),
});

/** Around UTC midnight, so some runs roll the day over. */
export const start = fc.integer({
  min: Date.UTC(2026, 2, 11, 22, 0),
  max: Date.UTC(2026, 2, 12, 1, 0),
});

/** Turns a step into a concrete input against the state it meets. */
function inputFor(stream: StreamDriver, step: Action, sent: EventEnvelope[]): Input {
  switch (step.kind) {
    case "events": {
      const events = step.events.map((spec) => stream.eventOf(spec.type, overridesFor(spec)));
      sent.push(...events);
      return { kind: "events", events };
    }
    case "command":
      return { kind: "command", command: commandOf(step.name, step.payload) };
    case "remove": {
      // Mostly an id that is waiting; sometimes one that is not.
      const pending = stream.core.queue;
      const id = pending[step.pick % (pending.length + 1)]?.id ?? "alert:0:missing";
      return { kind: "command", command: commandOf("remove_item", { id }) };
    }
    case "replay": {
      const event =
        sent[step.pick % Math.max(1, sent.length)] ?? stream.eventOf("channel.chat.message");
      return { kind: "replay", event };
    }
    case "obs":
      return { kind: "events", events: [obsEvent(stream, step.pick)] };
    case "restored":
      return { kind: "restored" };
    case "tick":
      return { kind: "tick" };
  }
}

const serialOf = (id: string) => Number(id.split(":")[1]);

/** What the checks remember across a run. */
interface Memory {
  /** Every alert id seen queued or showing. */
  seen: Set<string>;
  /** Alert id → how many times it started showing. */
  starts: Map<string, number>;
  /** Alert id → how many times force_content or a takeover put it back. */
  requeues: Map<string, number>;
  /** Alert id → when force_content last put it back (a counter), for the queue's order. */
  requeuedAt: Map<string, number>;
  putBacks: number;
}

function checkStep(
  previous: EngineState,
  input: Input,
  now: number,
  result: Result,
  config: EngineConfig,
  memory: Memory,
): void {
  const { core } = result;
  // Every state is a valid contract value, and the core reads back as it is persisted.
  const stream = StreamState.parse(streamStateOf(core, config));
  const queue = QueueState.parse(queueStateOf(core, config.queueMax));
  EngineState.parse(core);

  // `version` goes up by one exactly when what clients see changed.
  expect(core.version).toBe(previous.version + (result.changed ? 1 : 0));
  expect(core.updated_at).toBe(result.changed ? iso(now) : previous.updated_at);
  expect(sameView(previous, core, config)).toBe(!result.changed);
  if (result.error !== undefined) {
    // A refused input leaves the state exactly as it was and announces nothing.
    expect(result.core).toBe(previous);
    expect(result.effects).toEqual([]);
    return;
  }

  // Nothing past its expires_at is shown after an accepted input at `now`.
  const shown = [...Object.values(stream.layers), stream.takeover, queue.current];
  for (const content of shown) {
    if (content?.expires_at != null) expect(Date.parse(content.expires_at)).toBeGreaterThan(now);
  }
  if (result.nextAt !== null) expect(result.nextAt).toBeGreaterThan(now);

  // The omnibar hides exactly on a listed scene, whatever else goes on.
  const listed = config.omnibarHiddenScenes.map((scene) => scene.toLowerCase());
  expect(stream.omnibar.hidden).toBe(listed.includes(stream.obs.scene?.toLowerCase() ?? ""));

  // Bounds.
  expect(queue.pending.length).toBeLessThanOrEqual(config.queueMax);
  expect(queue.history.length).toBeLessThanOrEqual(config.historySize);
  if (stream.layers.midground?.kind === "timeline") {
    expect((stream.layers.midground.data.items as unknown[]).length).toBeLessThanOrEqual(
      config.timelineSize,
    );
  }

  // An alert is either waiting or showing, once.
  const pendingIds = ids(queue.pending);
  expect(new Set(pendingIds).size).toBe(pendingIds.length);
  if (queue.current !== null) expect(pendingIds).not.toContain(queue.current.id);

  // Nothing waits without a reason.
  if (queue.current === null && core.forced.foreground === null && pendingIds.length > 0) {
    expect(stream.paused || stream.takeover !== null).toBe(true);
  }

  // The foreground is forced content (with no alert running hidden beneath it), or an alert
  // that was queued: still showing, taken from the queue, or made by this very input.
  // force_content and a takeover cut short the alert showing at `now`: one whose time is up is over, and the
  // next may have started in its place (the state the input meets is the previous one ticked).
  const met = reduce(previous, { kind: "tick" }, now, config).core;
  const cutsShort =
    input.kind === "command" &&
    ((input.command.name === "force_content" && input.command.payload.layer === "foreground") ||
      input.command.name === "takeover");
  const putBack = cutsShort ? met.current : null;
  if (putBack !== null) {
    memory.requeues.set(putBack.id, (memory.requeues.get(putBack.id) ?? 0) + 1);
    memory.requeuedAt.set(putBack.id, ++memory.putBacks);
  }
  const foreground = stream.layers.foreground;
  if (foreground?.kind === "forced") {
    expect(queue.current).toBeNull();
  } else if (foreground !== null) {
    expect(foreground).toEqual(queue.current!);
    const before = previous.current;
    const continuing = before?.id === foreground.id && before.started_at === foreground.started_at;
    if (!continuing) {
      // Forced content too short to outlast this instant hands the foreground straight back.
      const fromQueue =
        previous.queue.some((item) => item.id === foreground.id) || putBack?.id === foreground.id;
      const madeNow =
        !memory.seen.has(foreground.id) &&
        (input.kind === "events"
          ? input.events.some((event) => event.id === foreground.source_event_id)
          : input.kind === "replay" && input.event.id === foreground.source_event_id);
      expect(fromQueue || madeNow).toBe(true);
      expect(foreground.started_at).toBe(iso(now));
      // An alert shows once; again only after force_content or a takeover cut it short (a replay is a new id).
      const starts = (memory.starts.get(foreground.id) ?? 0) + 1;
      memory.starts.set(foreground.id, starts);
      expect(starts).toBeLessThanOrEqual(1 + (memory.requeues.get(foreground.id) ?? 0));
    }
  }

  // An alert that leaves the foreground is finished (history), put back (queue) or dropped.
  const left = previous.current;
  if (left !== null && core.current?.id !== left.id) {
    const dropped = result.effects.some((e) => e.type === "dropped" && e.item.id === left.id);
    // Filed in history, unless alerts finishing at this same instant pushed it out again.
    const filed =
      queue.history.some((alert) => alert.id === left.id) ||
      (queue.history.length === config.historySize &&
        queue.history.every((alert) => alert.expires_at === iso(now)));
    expect(filed || pendingIds.includes(left.id) || dropped).toBe(true);
  }

  // The queue's order: priority never rises; within one priority, the alerts force_content or a takeover put
  // back come first (the latest put back first), then the rest in arrival order, whose
  // queued_at never decreases.
  for (const [index, item] of queue.pending.entries()) {
    const next = queue.pending[index + 1];
    if (next !== undefined) expect(next.priority).toBeLessThanOrEqual(item.priority);
  }
  for (const priority of new Set(queue.pending.map((item) => item.priority))) {
    const group = queue.pending.filter((item) => item.priority === priority);
    const putBack = group.filter((item) => memory.requeuedAt.has(item.id));
    const fresh = group.filter((item) => !memory.requeuedAt.has(item.id));
    const byPutBack = [...putBack].sort(
      (a, b) => (memory.requeuedAt.get(b.id) ?? 0) - (memory.requeuedAt.get(a.id) ?? 0),
    );
    const byArrival = [...fresh].sort((a, b) => serialOf(a.id) - serialOf(b.id));
    expect(ids(group)).toEqual(ids([...byPutBack, ...byArrival]));
    for (const [index, item] of byArrival.entries()) {
      const next = byArrival[index + 1];
      if (next !== undefined) expect(next.queued_at >= item.queued_at).toBe(true);
    }
  }

  for (const item of [...queue.pending, ...(queue.current ? [queue.current] : [])]) {
    memory.seen.add(item.id);
  }
}

interface Run {
  config: EngineConfig;
  start: number;
  inputs: { input: Input; now: number }[];
  results: Result[];
}

/** Plays the steps through a driver, checking every result, and records what it fed in. */
export function play(config: Partial<EngineConfig>, at: number, script: Step[]): Run {
  const stream = new StreamDriver({ config, start: at });
  const memory: Memory = {
    seen: new Set(),
    starts: new Map(),
    requeues: new Map(),
    requeuedAt: new Map(),
    putBacks: 0,
  };
  const run: Run = { config: stream.config, start: at, inputs: [], results: [] };
  const sent: EventEnvelope[] = [];
  for (const step of script) {
    stream.after(step.dt);
    const input = inputFor(stream, step.action, sent);
    const previous = stream.core;
    const result = stream.send(input);
    checkStep(previous, input, stream.now, result, stream.config, memory);
    run.inputs.push({ input, now: stream.now });
    run.results.push(result);
  }
  return run;
}
