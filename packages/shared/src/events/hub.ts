/** The hub's own event families: obs.*, system.*, stream.* (hub-made), and the free-form tcp.* and custom.*. */
import { z } from "zod";
import { OBS_OUTPUT_AND_SCENE_SCHEMAS } from "./obs";

// We write both sides of these, so objects are strict: a misspelt field is an error naming it,
// not a silently dropped value. (Twitch's schemas are loose because Twitch owns them.)

const Name = z.string().min(1).max(256);
const Reason = z.string().max(4096);
const Timecode = z.string().regex(/^\d{2,}:\d{2}:\d{2}(\.\d{1,3})?$/, "must be HH:MM:SS.mmm");
const DurationMs = z.int().nonnegative();

/** OBS started streaming. */
export const ObsStreamStarted = z.strictObject({});
export type ObsStreamStarted = z.infer<typeof ObsStreamStarted>;

/** OBS stopped streaming; `timecode` is how long the output ran, as OBS shows it. */
export const ObsStreamStopped = z.strictObject({
  timecode: Timecode.optional(),
  duration_ms: DurationMs.optional(),
});
export type ObsStreamStopped = z.infer<typeof ObsStreamStopped>;

/**
 * OBS could not start streaming: it went STARTING, then STOPPED without going live (the stream
 * server did not answer or refused the key). OBS gives no reason over obs-websocket.
 */
export const ObsStreamStartFailed = z.strictObject({});
export type ObsStreamStartFailed = z.infer<typeof ObsStreamStartFailed>;

/** OBS started recording. */
export const ObsRecordingStarted = z.strictObject({});
export type ObsRecordingStarted = z.infer<typeof ObsRecordingStarted>;

/** OBS stopped recording; `output_path` is the file it wrote. */
export const ObsRecordingStopped = z.strictObject({
  output_path: z.string().max(4096).optional(),
  timecode: Timecode.optional(),
  duration_ms: DurationMs.optional(),
});
export type ObsRecordingStopped = z.infer<typeof ObsRecordingStopped>;

/** The program scene changed. */
export const ObsSceneChanged = z.strictObject({
  scene_name: Name,
  scene_uuid: z.string().max(128).optional(),
  previous_scene_name: Name.nullable().optional(),
});
export type ObsSceneChanged = z.infer<typeof ObsSceneChanged>;

/**
 * The hub connected to obs-websocket. `scene_name` (the program scene) and `stream_active` are
 * OBS's state at connect, so a consumer catches up with what changed while they were apart.
 */
export const ObsConnectionEstablished = z.strictObject({
  obs_version: z.string().max(64).optional(),
  websocket_version: z.string().max(64).optional(),
  scene_name: Name.optional(),
  stream_active: z.boolean().optional(),
});
export type ObsConnectionEstablished = z.infer<typeof ObsConnectionEstablished>;

/** An established obs-websocket connection dropped; `code` is the WebSocket close code. */
export const ObsConnectionLost = z.strictObject({
  reason: Reason,
  code: z.int().optional(),
});
export type ObsConnectionLost = z.infer<typeof ObsConnectionLost>;

/** Connecting to obs-websocket failed; `attempt` counts tries since the last success. */
export const ObsConnectionFailed = z.strictObject({
  reason: Reason,
  attempt: z.int().positive().optional(),
});
export type ObsConnectionFailed = z.infer<typeof ObsConnectionFailed>;

/** Something went wrong that an operator should see; `code` matches the error envelope's. */
export const SystemError = z.strictObject({
  message: z.string().min(1).max(4096),
  component: Name,
  code: z.string().min(1).max(128).optional(),
});
export type SystemError = z.infer<typeof SystemError>;

/** A connection to an outside service (database, Twitch, a worker) dropped or could not be made. */
export const SystemConnectionProblem = z.strictObject({
  service: Name,
  reason: Reason,
});
export type SystemConnectionProblem = z.infer<typeof SystemConnectionProblem>;

/** The hub started. */
export const SystemStartup = z.strictObject({
  version: z.string().max(64).optional(),
});
export type SystemStartup = z.infer<typeof SystemStartup>;

/** The hub is shutting down (SIGTERM, an operator, a fatal error). */
export const SystemShutdown = z.strictObject({
  reason: Reason.optional(),
});
export type SystemShutdown = z.infer<typeof SystemShutdown>;

/** A takeover covers every overlay layer until cleared or `duration_ms` runs out. */
export const StreamTakeoverStarted = z.strictObject({
  // the takeover's kind, e.g. "brb", "technical-difficulties", "screen-cover"
  type: z.string().min(1).max(64),
  message: z.string().max(1000).optional(),
  duration_ms: z.int().positive().optional(),
});
export type StreamTakeoverStarted = z.infer<typeof StreamTakeoverStarted>;

/** The takeover ended: by a command, or because its duration ran out. */
export const StreamTakeoverCleared = z.strictObject({
  reason: z.enum(["command", "expired"]).optional(),
});
export type StreamTakeoverCleared = z.infer<typeof StreamTakeoverCleared>;

/** The current show (which picks ticker content and overlay themes) changed. */
export const StreamShowChanged = z.strictObject({
  show: z.string().min(1).max(64),
  previous_show: z.string().min(1).max(64).nullable().optional(),
});
export type StreamShowChanged = z.infer<typeof StreamShowChanged>;

/** The exact types of the hub's own families, keyed by type. */
export const HUB_EVENT_SCHEMAS = {
  "obs.stream.started": ObsStreamStarted,
  "obs.stream.stopped": ObsStreamStopped,
  "obs.stream.start_failed": ObsStreamStartFailed,
  "obs.recording.started": ObsRecordingStarted,
  "obs.recording.stopped": ObsRecordingStopped,
  "obs.scene.changed": ObsSceneChanged,
  "obs.connection.established": ObsConnectionEstablished,
  "obs.connection.lost": ObsConnectionLost,
  "obs.connection.failed": ObsConnectionFailed,
  ...OBS_OUTPUT_AND_SCENE_SCHEMAS,
  "system.error": SystemError,
  "system.connection.lost": SystemConnectionProblem,
  "system.connection.failed": SystemConnectionProblem,
  "system.startup": SystemStartup,
  "system.shutdown": SystemShutdown,
  "stream.takeover.started": StreamTakeoverStarted,
  "stream.takeover.cleared": StreamTakeoverCleared,
  "stream.show.changed": StreamShowChanged,
} as const;
export type HubEventType = keyof typeof HUB_EVENT_SCHEMAS;

/**
 * How deep free-form JSON may nest. Real payloads nest a handful of levels; the cap keeps a
 * hostile `[[[[…]]]]` from exhausting the stack in the validator or in anyone who reads it later.
 */
export const MAX_JSON_DEPTH = 32;

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Where a value stops being plain JSON, or null when it is plain JSON within `maxDepth`. */
export function jsonProblem(
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): { path: (string | number)[]; message: string } | null {
  return problemAt(value, maxDepth, 0);
}

function problemAt(
  value: unknown,
  maxDepth: number,
  depth: number,
): { path: (string | number)[]; message: string } | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      // JSON.stringify would turn these into null, so what is stored would not be what was sent
      return Number.isFinite(value) ? null : { path: [], message: "must be a finite number" };
    case "object": {
      if (value === null) return null;
      if (depth >= maxDepth) return { path: [], message: `nests deeper than ${maxDepth} levels` };
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = problemAt(value[i], maxDepth, depth + 1);
          if (problem) return { path: [i, ...problem.path], message: problem.message };
        }
        return null;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return { path: [], message: "must be a plain JSON object, array or value" };
      }
      for (const key in value) {
        const problem = problemAt((value as Record<string, unknown>)[key], maxDepth, depth + 1);
        if (problem) return { path: [key, ...problem.path], message: problem.message };
      }
      return null;
    }
    default:
      return { path: [], message: `must be JSON, not ${typeof value}` };
  }
}

/** Any JSON value: the `data` of `custom.*`. Size is bounded by MAX_EVENT_BYTES at ingest. */
export const FreeFormJson = z.custom<JsonValue>().superRefine((value, ctx) => {
  const problem = jsonProblem(value);
  if (problem) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
});

/** A JSON object: the `data` of `tcp.*`, whatever a game script reports. */
export const FreeFormObject = z.custom<JsonObject>().superRefine((value, ctx) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "must be a JSON object" });
    return;
  }
  const problem = jsonProblem(value);
  if (problem) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
});
