/** The event catalogue: every type the hub accepts, the schema of its data, and which types are critical. */
import { z } from "zod";
import type { EventEnvelope } from "./envelope";
import {
  FreeFormJson,
  FreeFormObject,
  HUB_EVENT_SCHEMAS,
  type JsonObject,
  type JsonValue,
} from "./hub";
import { IRONMON_EVENT_SCHEMAS } from "./ironmon";
import { RAINWAVE_EVENT_SCHEMAS } from "./rainwave";
import { TWITCH_EVENT_SCHEMAS } from "./twitch";

/** The data schema of every exact type: Twitch's, the hub's, Rainwave's and IronMON's. */
export const EVENT_DATA_SCHEMAS = {
  ...TWITCH_EVENT_SCHEMAS,
  ...HUB_EVENT_SCHEMAS,
  ...RAINWAVE_EVENT_SCHEMAS,
  ...IRONMON_EVENT_SCHEMAS,
} as const;
export type KnownEventType = keyof typeof EVENT_DATA_SCHEMAS;

/** The known exact types. */
export const EVENT_TYPES: readonly KnownEventType[] = Object.freeze(
  Object.keys(EVENT_DATA_SCHEMAS) as KnownEventType[],
);

/** Families whose type names the producer chooses: `tcp.<name>` and `custom.<name>`. */
export const FREE_FORM_FAMILIES = ["tcp", "custom"] as const;
export type FreeFormEventType = `tcp.${string}` | `custom.${string}`;
export type EventType = KnownEventType | FreeFormEventType;

/** The data of an event of type `T`. */
export type EventData<T extends EventType> = T extends KnownEventType
  ? z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>
  : T extends `tcp.${string}`
    ? JsonObject
    : JsonValue;

/** `{type, data}` of any event, discriminated by `type` so a check on it narrows `data`. */
export type EventPayload =
  | { [K in KnownEventType]: { type: K; data: EventData<K> } }[KnownEventType]
  | { type: `tcp.${string}`; data: JsonObject }
  | { type: `custom.${string}`; data: JsonValue };

/** A stored event whose `data` is typed by its `type` (once checked with `dataSchemaFor`). */
export type TypedEventEnvelope = Omit<EventEnvelope, "type" | "data"> & EventPayload;

// Names after the family dot: dotted words, so `custom.quiz.answer` and `tcp.ironmon.checkpoint`.
const FREE_FORM_TYPE = /^(?:tcp|custom)\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

// Compiled once here, because parsing runs on the ingest hot path: z.compile generates a fast
// path for valid input and falls back to the ordinary parser (same issues) for invalid input.
const COMPILED_DATA_SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map(
  Object.entries(EVENT_DATA_SCHEMAS).map(([type, schema]) => [type, z.compile(schema)]),
);

/** The data schema of an exact type, or of a `tcp.*` / `custom.*` type; null for anything else. */
export function dataSchemaFor<T extends KnownEventType>(type: T): (typeof EVENT_DATA_SCHEMAS)[T];
export function dataSchemaFor(type: string): z.ZodType | null;
export function dataSchemaFor(type: string): z.ZodType | null {
  const exact = COMPILED_DATA_SCHEMAS.get(type);
  if (exact) return exact;
  if (!FREE_FORM_TYPE.test(type)) return null;
  return type.startsWith("tcp.") ? FreeFormObject : FreeFormJson;
}

/** Whether the hub accepts events of this type. */
export function isEventType(type: string): type is EventType {
  return COMPILED_DATA_SCHEMAS.has(type) || FREE_FORM_TYPE.test(type);
}

const FAMILIES_SENTENCE =
  "types are Twitch EventSub's (channel.*, stream.online, stream.offline, user.update), obs.*, system.*, stream.*, rainwave.update, ironmon.*, or the free-form tcp.<name> and custom.<name>";

/** Why a type is not accepted: which families exist, and what its own family holds. */
export function unknownTypeMessage(type: string): string {
  const dot = type.indexOf(".");
  const family = dot > 0 ? type.slice(0, dot) : "";
  if ((FREE_FORM_FAMILIES as readonly string[]).includes(family)) {
    return `"${type}" is not a valid ${family}.* type: use ${family}.<name>, where the name is dotted words of letters, digits, _ and -`;
  }
  const siblings = family ? EVENT_TYPES.filter((known) => known.startsWith(`${family}.`)) : [];
  const inFamily = siblings.length > 0 ? `; the ${family}.* types are ${siblings.join(", ")}` : "";
  return `unknown event type "${type}": ${FAMILIES_SENTENCE}${inFamily}`;
}

/**
 * Types that flush the batcher's window at once (with whatever is pending before them, so order
 * holds): the stream going up or down, OBS outputs and connections, system failures, takeovers.
 * Each changes what the overlays or the operator must see now, not 50 ms later.
 */
export const CRITICAL_TYPES = [
  "stream.online",
  "stream.offline",
  "obs.stream.started",
  "obs.stream.stopped",
  "obs.recording.started",
  "obs.recording.stopped",
  "obs.connection.lost",
  "obs.connection.failed",
  "system.connection.lost",
  "system.connection.failed",
  "system.error",
  "stream.takeover.started",
  "stream.takeover.cleared",
] as const satisfies readonly KnownEventType[];

const CRITICAL: ReadonlySet<string> = new Set(CRITICAL_TYPES);

/** Whether an event of this type flushes the batch window at once. */
export function isCritical(type: string): boolean {
  return CRITICAL.has(type);
}
