/**
 * The OBS integration's contract with the dashboard: the connection and what OBS is doing (scenes,
 * stream, record, virtual camera, replay buffer), its live stats, and the commands. The REST routes
 * under `/api/obs/*` and the `obs:*` commands on `dashboard:main` take and answer these shapes.
 */
import { z } from "zod";
import { Timestamp } from "../events/envelope";

/**
 * - `connecting`: trying to reach obs-websocket (OBS may be closed: retried with backoff).
 * - `connected`: identified; requests go through.
 * - `disconnected`: not connected; `problem` says why (OBS closed, a wrong password, …) and what to do.
 */
export const OBS_STATES = ["connecting", "connected", "disconnected"] as const;
export const ObsState = z.enum(OBS_STATES);
export type ObsState = z.infer<typeof ObsState>;

export const ObsProblem = z.object({ code: z.string(), message: z.string(), action: z.string() });
export type ObsProblem = z.infer<typeof ObsProblem>;

export const ObsOutputState = z.object({
  active: z.boolean(),
  /** Recording only: paused. Streaming: reconnecting to the service. */
  paused: z.boolean(),
  reconnecting: z.boolean(),
  /** OBS's `HH:MM:SS.mmm` of the running output, null when inactive or unknown. */
  timecode: z.string().nullable(),
});
export type ObsOutputState = z.infer<typeof ObsOutputState>;

/** A stream start that failed: OBS went STARTING, then STOPPED without ever going live. */
export const ObsStreamFailure = ObsProblem.extend({
  /** When OBS gave up. */
  at: Timestamp,
});
export type ObsStreamFailure = z.infer<typeof ObsStreamFailure>;

/**
 * The streaming output: as any output, plus the start under way and the last one that failed.
 * OBS answers a start at once and only then reaches the stream server, so a start OBS accepted
 * can still fail (an unreachable server, a wrong key); `last_failure` says so until a stream starts.
 */
export const ObsStreamState = ObsOutputState.extend({
  /** OBS is connecting to the stream server: asked to start, not yet live. */
  starting: z.boolean(),
  /** The last start that failed since the last stream that started; null when none did. */
  last_failure: ObsStreamFailure.nullable(),
});
export type ObsStreamState = z.infer<typeof ObsStreamState>;

export const ObsStatus = z.object({
  state: ObsState,
  /** The obs-websocket URL the hub connects to (no password). */
  url: z.string(),
  obs_version: z.string().nullable(),
  websocket_version: z.string().nullable(),
  /** When the current connection was identified. */
  connected_at: z.string().nullable(),
  /** Connection attempts since the last success. */
  attempts: z.int().nonnegative(),
  problem: ObsProblem.nullable(),
  scenes: z.object({
    list: z.array(z.string()),
    program: z.string().nullable(),
    preview: z.string().nullable(),
    studio_mode: z.boolean(),
  }),
  stream: ObsStreamState,
  record: ObsOutputState,
  virtualcam: z.object({ active: z.boolean() }),
  replay_buffer: z.object({ active: z.boolean() }),
});
export type ObsStatus = z.infer<typeof ObsStatus>;

/** OBS's `GetStats`, as pushed every few seconds while the dashboard is open (never stored). */
export const ObsStats = z.object({
  at: z.string(),
  cpu_usage: z.number(),
  memory_usage: z.number(),
  available_disk_space: z.number(),
  active_fps: z.number(),
  average_frame_render_time: z.number(),
  render_skipped_frames: z.int().nonnegative(),
  render_total_frames: z.int().nonnegative(),
  output_skipped_frames: z.int().nonnegative(),
  output_total_frames: z.int().nonnegative(),
});
export type ObsStats = z.infer<typeof ObsStats>;

export const ObsSceneName = z.object({ scene_name: z.string().min(1).max(256) });
export type ObsSceneName = z.infer<typeof ObsSceneName>;

export const ObsStudioMode = z.object({ enabled: z.boolean() });

/** `obs:refresh_browser_sources`: which browser sources showing this hub's pages were refreshed. */
export const ObsRefreshed = z.object({ refreshed: z.array(z.string()) });
export type ObsRefreshed = z.infer<typeof ObsRefreshed>;

/**
 * The `obs:*` commands on `dashboard:main`; each has a REST mirror under `/api/obs/`. The first
 * seven keep the older system's names, so its clients still work.
 */
export const OBS_COMMANDS = [
  "obs:get_status",
  "obs:start_streaming",
  "obs:stop_streaming",
  "obs:start_recording",
  "obs:stop_recording",
  "obs:set_current_scene",
  "obs:scenes",
  "obs:stats",
  "obs:toggle_streaming",
  "obs:toggle_recording",
  "obs:pause_recording",
  "obs:resume_recording",
  "obs:set_preview_scene",
  "obs:set_studio_mode",
  "obs:refresh_browser_sources",
] as const;
export type ObsCommandName = (typeof OBS_COMMANDS)[number];

/** `obs:scenes` / `GET /api/obs/scenes`: OBS's scenes as it answers now, top first. */
export const ObsScenes = ObsStatus.shape.scenes;
export type ObsScenes = z.infer<typeof ObsScenes>;

/**
 * What a stream or record command asked OBS for: `active` is the state the output is going to
 * (OBS confirms it with an event, pushed as `integration_status`); `output_path` is the file a
 * stopped recording wrote, when OBS says.
 */
export const ObsOutputChange = z.object({
  active: z.boolean(),
  output_path: z.string().nullable().optional(),
});
export type ObsOutputChange = z.infer<typeof ObsOutputChange>;

/** `obs:pause_recording` / `obs:resume_recording`: the recording's paused state asked for. */
export const ObsRecordPause = z.object({ paused: z.boolean() });
export type ObsRecordPause = z.infer<typeof ObsRecordPause>;

/** `GET /api/obs/outputs`: OBS's outputs (stream, record, virtual camera, replay buffer…). */
export const ObsOutputList = z.object({
  outputs: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      active: z.boolean(),
      width: z.number().nullable(),
      height: z.number().nullable(),
    }),
  ),
});
export type ObsOutputList = z.infer<typeof ObsOutputList>;

/** `GET /api/obs/inputs`: OBS's inputs (sources with no scene of their own). */
export const ObsInputList = z.object({
  inputs: z.array(z.object({ name: z.string(), kind: z.string().nullable() })),
});
export type ObsInputList = z.infer<typeof ObsInputList>;

/** `GET /api/obs/version`: OBS's and obs-websocket's versions. */
export const ObsVersion = z.object({
  obs_version: z.string(),
  websocket_version: z.string(),
  rpc_version: z.number(),
  platform: z.string().nullable(),
  platform_description: z.string().nullable(),
});
export type ObsVersion = z.infer<typeof ObsVersion>;
