/**
 * The obs.* events of OBS's other outputs and of its scene list, beside the stream, recording,
 * program scene and connection events in `./hub`: a recording paused and resumed, the virtual
 * camera, the replay buffer, scenes added or reordered, studio mode. Strict, as every hub-made
 * family: we write both sides, so a misspelt field is an error naming it.
 */
import { z } from "zod";

/** How many scenes `obs.scene_list.changed` carries at most (OBS setups have tens). */
export const MAX_OBS_SCENES = 1000;

const Name = z.string().min(1).max(256);

/** The recording was paused (the file stays open). */
export const ObsRecordingPaused = z.strictObject({});
export type ObsRecordingPaused = z.infer<typeof ObsRecordingPaused>;

/** The paused recording goes on. */
export const ObsRecordingResumed = z.strictObject({});
export type ObsRecordingResumed = z.infer<typeof ObsRecordingResumed>;

/** OBS's virtual camera started. */
export const ObsVirtualcamStarted = z.strictObject({});
export type ObsVirtualcamStarted = z.infer<typeof ObsVirtualcamStarted>;

/** OBS's virtual camera stopped. */
export const ObsVirtualcamStopped = z.strictObject({});
export type ObsVirtualcamStopped = z.infer<typeof ObsVirtualcamStopped>;

/** The replay buffer started keeping the last minutes. */
export const ObsReplayBufferStarted = z.strictObject({});
export type ObsReplayBufferStarted = z.infer<typeof ObsReplayBufferStarted>;

/** The replay buffer stopped. */
export const ObsReplayBufferStopped = z.strictObject({});
export type ObsReplayBufferStopped = z.infer<typeof ObsReplayBufferStopped>;

/** The replay buffer was saved to `path`. */
export const ObsReplayBufferSaved = z.strictObject({ path: z.string().min(1).max(4096) });
export type ObsReplayBufferSaved = z.infer<typeof ObsReplayBufferSaved>;

/** Scenes were added, removed, renamed or reordered: the list as OBS shows it, top first. */
export const ObsSceneListChanged = z.strictObject({
  scenes: z.array(Name).max(MAX_OBS_SCENES),
});
export type ObsSceneListChanged = z.infer<typeof ObsSceneListChanged>;

/** Studio mode (a preview scene beside the program) was turned on or off. */
export const ObsStudioModeChanged = z.strictObject({ enabled: z.boolean() });
export type ObsStudioModeChanged = z.infer<typeof ObsStudioModeChanged>;

export const OBS_OUTPUT_AND_SCENE_SCHEMAS = {
  "obs.recording.paused": ObsRecordingPaused,
  "obs.recording.resumed": ObsRecordingResumed,
  "obs.virtualcam.started": ObsVirtualcamStarted,
  "obs.virtualcam.stopped": ObsVirtualcamStopped,
  "obs.replay_buffer.started": ObsReplayBufferStarted,
  "obs.replay_buffer.stopped": ObsReplayBufferStopped,
  "obs.replay_buffer.saved": ObsReplayBufferSaved,
  "obs.scene_list.changed": ObsSceneListChanged,
  "obs.studio_mode.changed": ObsStudioModeChanged,
} as const;
