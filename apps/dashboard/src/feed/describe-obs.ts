/**
 * OBS's events in the feed's words ("Scene changed to BRB (was Game)"): what the streamer did in
 * OBS, or what happened to the hub's link to it. Without these a row would only show the type,
 * and a scene change would not say which scene.
 */
import type { Accent } from "./describe";

export interface ObsWords {
  action: string;
  accent: Accent;
  /** Shown quoted: a file OBS wrote, or OBS's own reason for a dropped connection. */
  detail: string | null;
}

type Data = Record<string, unknown>;

const str = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;

const words = (action: string, accent: Accent = "stream", detail: string | null = null) => ({
  action,
  accent,
  detail,
});

/** "02:14:09.120" → " after 02:14:09"; nothing when OBS gave no timecode. */
function after(data: Data): string {
  const timecode = str(data.timecode);
  return timecode === null ? "" : ` after ${timecode.replace(/\.\d+$/, "")}`;
}

const onOff = (on: boolean) => (on ? "on" : "off");

/** Words for an obs.* event, or null for one this does not know (the feed shows its type). */
export function describeObsEvent(type: string, data: Data): ObsWords | null {
  switch (type) {
    case "obs.scene.changed": {
      const previous = str(data.previous_scene_name);
      return words(
        `Scene changed to ${str(data.scene_name) ?? "?"}${previous === null ? "" : ` (was ${previous})`}`,
      );
    }
    case "obs.stream.started":
      return words("OBS started streaming");
    case "obs.stream.stopped":
      return words(`OBS stopped streaming${after(data)}`);
    case "obs.stream.start_failed":
      return words("OBS could not start the stream", "warning");
    case "obs.recording.started":
      return words("OBS started recording");
    case "obs.recording.stopped":
      return words(`OBS stopped recording${after(data)}`, "stream", str(data.output_path));
    case "obs.recording.paused":
      return words("OBS paused the recording");
    case "obs.recording.resumed":
      return words("OBS resumed the recording");
    case "obs.virtualcam.started":
      return words("OBS's virtual camera turned on", "neutral");
    case "obs.virtualcam.stopped":
      return words("OBS's virtual camera turned off", "neutral");
    case "obs.replay_buffer.started":
      return words("OBS's replay buffer turned on", "neutral");
    case "obs.replay_buffer.stopped":
      return words("OBS's replay buffer turned off", "neutral");
    case "obs.replay_buffer.saved":
      return words("OBS saved the replay buffer", "neutral", str(data.path));
    case "obs.scene_list.changed": {
      const scenes = Array.isArray(data.scenes) ? data.scenes.filter((s) => str(s) !== null) : [];
      return words(`OBS's scenes changed: ${scenes.join(", ") || "none"}`, "neutral");
    }
    case "obs.studio_mode.changed":
      return words(`Studio mode turned ${onOff(data.enabled === true)}`, "neutral");
    case "obs.connection.established": {
      const version = str(data.obs_version);
      return words(`Connected to OBS${version === null ? "" : ` ${version}`}`, "neutral");
    }
    case "obs.connection.lost":
      return words("Lost the connection to OBS", "warning", str(data.reason));
    case "obs.connection.failed":
      return words("Could not connect to OBS", "warning", str(data.reason));
    default:
      return null;
  }
}
