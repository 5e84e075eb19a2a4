/**
 * The wire vocabulary: every channel topic the hub serves, the events the hub pushes on it with
 * their payload schemas, and the commands a client may push to it. The hub, `@landale/client`,
 * the overlays and the dashboard name topics and events only through these declarations, so a
 * name is spelled once and a payload has one schema. A new topic is declared here first.
 */
import type { z } from "zod";
import { EventBatch, EventsJoinParams, HubHealth } from "./api/events";
import { IntegrationStatus } from "./api/integrations";
import { IRONMON_COMMANDS } from "./api/ironmon";
import { OBS_COMMANDS, ObsStats } from "./api/obs";
import { RAINWAVE_COMMANDS } from "./api/rainwave";
import { TWITCH_COMMANDS } from "./api/twitch";
import { SERVICES_COMMANDS, ServicesStatus, WORKER_COMMANDS } from "./api/workers";
import { StreamContext } from "./context/context";
import { OVERLAY_COMMANDS, QUEUE_COMMANDS } from "./stream/commands";
import { QueueState, StreamState, Takeover } from "./stream/state";
import { EVENTS_TOPIC_PREFIX, type EventFilter } from "./topics";
import {
  TRANSCRIPTION_SESSION_PREFIX,
  TRANSCRIPTION_TOPIC,
  Transcription,
} from "./transcription/transcription";

/** What the hub pushes on a topic: each event's payload schema, by event name. */
export type Pushes = { readonly [event: string]: z.ZodType };

/** One concrete topic: its name, what the hub pushes on it, and what a client may push to it. */
export interface Topic<P extends Pushes = Pushes, C extends string = string> {
  readonly name: string;
  readonly pushes: P;
  readonly commands: readonly C[];
}

/** Topics that share a prefix (`events:<filter>`, `overlay:<name>`): one handler serves them all. */
export interface TopicFamily<K extends string, P extends Pushes, C extends string = never> {
  readonly prefix: string;
  /** The router pattern that matches every member, e.g. `events:*`. */
  readonly pattern: string;
  /** What a client may push to any member. */
  readonly commands: readonly C[];
  /** The member named `key`, e.g. `EVENTS.topic("all")` is `events:all`. */
  topic(key: K): Topic<P, C>;
}

/** The events a topic pushes. */
export type PushName<T extends Topic> = keyof T["pushes"] & string;
/** The payload of `event` on topic `T`, as its schema parses it. */
export type PushPayload<T extends Topic, E extends PushName<T>> = z.infer<T["pushes"][E]>;
/** The commands a client may push to topic `T`. */
export type CommandName<T extends Topic> = T["commands"][number];

/** Every topic answers `ping` with its payload: a client's round trip, or proof it is joined. */
export const PING = "ping";

/** The name of every event the hub pushes, each spelled once. */
export const PUSH = {
  eventBatch: "event_batch",
  streamState: "stream_state",
  queueState: "queue_state",
  takeover: "takeover",
  takeoverClear: "takeover_clear",
  healthUpdate: "health_update",
  integrationStatus: "integration_status",
  obsStats: "obs_stats",
  servicesStatus: "services_status",
  newContext: "new_context",
  newTranscription: "new_transcription",
  initialState: "initial_state",
} as const;
export type PushEvent = (typeof PUSH)[keyof typeof PUSH];

/** `takeover_clear`'s payload: which takeover ended. */
export const TakeoverCleared = Takeover.pick({ id: true, type: true });
export type TakeoverCleared = z.infer<typeof TakeoverCleared>;

function topic<P extends Pushes, C extends string = never>(
  name: string,
  pushes: P,
  commands: readonly C[] = [],
): Topic<P, C> {
  return { name, pushes, commands };
}

function family<K extends string, P extends Pushes, C extends string = never>(
  prefix: string,
  pushes: P,
  commands: readonly C[] = [],
): TopicFamily<K, P, C> {
  return {
    prefix,
    pattern: `${prefix}*`,
    commands,
    topic: (key) => topic(`${prefix}${key}`, pushes, commands),
  };
}

/** `events:<filter>`: committed events the filter admits; join with `{since_seq}` to catch up. */
export const EVENTS = {
  ...family<EventFilter, { [PUSH.eventBatch]: typeof EventBatch }>(EVENTS_TOPIC_PREFIX, {
    [PUSH.eventBatch]: EventBatch,
  }),
  join: EventsJoinParams,
};

/** `events:ingest`: producers push `ingest` with events, as `POST /api/events` takes them. */
export const INGEST = topic("events:ingest", {}, ["ingest"] as const);

/** `stream:overlays`: what the overlays show; takeovers are also announced on their own. */
export const STREAM_OVERLAYS = topic(
  "stream:overlays",
  {
    [PUSH.streamState]: StreamState,
    [PUSH.takeover]: Takeover,
    [PUSH.takeoverClear]: TakeoverCleared,
  },
  OVERLAY_COMMANDS,
);

/** `stream:queue`: the alert queue, for the dashboard. */
export const STREAM_QUEUE = topic(
  "stream:queue",
  { [PUSH.queueState]: QueueState },
  QUEUE_COMMANDS,
);

/**
 * `dashboard:main` (control scope): the hub's health, pushed on join and every few seconds; each
 * integration's status, pushed on join and whenever it changes; OBS's stats every few seconds
 * while anyone is joined; the integrations' commands, and the `ironmon:*` queries.
 */
export const DASHBOARD = topic(
  "dashboard:main",
  {
    [PUSH.healthUpdate]: HubHealth,
    [PUSH.integrationStatus]: IntegrationStatus,
    [PUSH.obsStats]: ObsStats,
    [PUSH.servicesStatus]: ServicesStatus,
  },
  [
    ...TWITCH_COMMANDS,
    ...OBS_COMMANDS,
    ...RAINWAVE_COMMANDS,
    ...IRONMON_COMMANDS,
    ...WORKER_COMMANDS,
  ] as const,
);

/**
 * `dashboard:services` (control scope), for the older clients: the workers' status, pushed on
 * join and whenever it changes, and `start`/`stop`/`restart`/`get_status` with `{service}`.
 */
export const DASHBOARD_SERVICES = topic(
  "dashboard:services",
  { [PUSH.servicesStatus]: ServicesStatus },
  SERVICES_COMMANDS,
);

/**
 * `transcription:live`: every transcription, as the audio worker submits them (`submit_transcription`,
 * control or worker scope); `get_recent {minutes}` reads back the last minutes.
 */
export const TRANSCRIPTION_LIVE = topic(
  TRANSCRIPTION_TOPIC,
  { [PUSH.newTranscription]: Transcription },
  ["submit_transcription", "get_recent"] as const,
);

/**
 * `transcription:session:<session_id>`: one session's transcriptions; `get_recent {minutes}` and
 * `get_session_transcriptions {limit}` read back what it has.
 */
export const TRANSCRIPTION_SESSION = family<
  string,
  { [PUSH.newTranscription]: typeof Transcription },
  "get_recent" | "get_session_transcriptions"
>(TRANSCRIPTION_SESSION_PREFIX, { [PUSH.newTranscription]: Transcription }, [
  "get_recent",
  "get_session_transcriptions",
] as const);

/** `overlay:<name>`: one overlay's initial state on join (read-only). */
export const OVERLAY = family<string, { [PUSH.initialState]: typeof StreamState }>("overlay:", {
  [PUSH.initialState]: StreamState,
});

/** `contexts:live`: each stream context the AI worker stores; it pushes `submit_context` (worker or control scope). */
export const CONTEXTS_LIVE = topic("contexts:live", { [PUSH.newContext]: StreamContext }, [
  "submit_context",
] as const);

/** Every topic name and prefix the hub serves: what no code outside this package spells out. */
export const WIRE_NAMES: readonly string[] = [
  INGEST.name,
  STREAM_OVERLAYS.name,
  STREAM_QUEUE.name,
  DASHBOARD.name,
  TRANSCRIPTION_LIVE.name,
  CONTEXTS_LIVE.name,
  EVENTS.prefix,
  TRANSCRIPTION_SESSION.prefix,
  OVERLAY.prefix,
  ...Object.values(PUSH),
];
