/**
 * The OBS integration's status in plain words: where the hub's link to obs-websocket stands and
 * what to do about it, the scenes as buttons read them, the stream and the recording as badges,
 * and how long an output has been running, from OBS's `HH:MM:SS.mmm` timecode.
 */
import type { ObsOutputState, ObsStatus, ObsStreamFailure, ObsStreamState } from "@landale/shared";

/** Where the set-up is explained; the hub does not serve the docs, so it is named, not linked. */
export const OBS_DOCS = "docs/OBS.md";

/** The problem code the hub gives when obs-websocket refused the password (close code 4009). */
export const AUTH_FAILED = "obs_auth_failed";

export type Tone = "ok" | "warning" | "danger" | "neutral";

export interface StateWords {
  /** A short badge. */
  label: string;
  tone: Tone;
  /** What is going on, in a sentence or two. */
  summary: string;
}

const ENABLE_WEBSOCKET =
  "Is OBS open, with its WebSocket server enabled (OBS → Tools → WebSocket Server Settings)?";

export function describeStatus(status: ObsStatus): StateWords {
  const at = status.url;
  switch (status.state) {
    case "connected": {
      const version = status.obs_version === null ? "OBS" : `OBS ${status.obs_version}`;
      return { label: "Connected", tone: "ok", summary: `Connected to ${version} at ${at}.` };
    }
    case "connecting":
      if (status.attempts === 0)
        return { label: "Connecting…", tone: "neutral", summary: `Reaching OBS at ${at}…` };
      return {
        label: "Reconnecting…",
        tone: "warning",
        summary: `The hub cannot reach OBS at ${at} yet and keeps trying (${attemptsWords(status.attempts)} so far). ${ENABLE_WEBSOCKET}`,
      };
    case "disconnected":
      if (status.problem?.code === AUTH_FAILED)
        return {
          label: "Password refused",
          tone: "danger",
          summary: `OBS at ${at} refused the hub's password, so nothing here works until it matches.`,
        };
      return {
        label: "Not connected",
        tone: status.problem === null ? "neutral" : "warning",
        summary: `The hub is not connected to OBS at ${at}; it connects by itself once OBS answers.`,
      };
  }
}

function attemptsWords(attempts: number): string {
  return attempts === 1 ? "1 attempt" : `${attempts} attempts`;
}

/**
 * Why OBS's controls are off, or null when they work. They are off until the hub has a
 * connection: a command sent before would only come back refused.
 */
export function controlsBlocked(status: ObsStatus | null): string | null {
  if (status === null) return "Waiting for the hub to say how OBS is doing.";
  if (status.state === "connected") return null;
  if (status.problem?.code === AUTH_FAILED)
    return "OBS refused the hub's password: the controls come back once it matches.";
  return "OBS is not connected: the controls come back as soon as the hub reaches it.";
}

export interface SceneMarks {
  program: boolean;
  /** Only in studio mode: outside it OBS has no preview to speak of. */
  preview: boolean;
}

/** Whether scene `name` is on program, or in preview in studio mode. */
export function sceneMarks(scenes: ObsStatus["scenes"], name: string): SceneMarks {
  return {
    program: name === scenes.program,
    preview: scenes.studio_mode && name === scenes.preview,
  };
}

export function describeStream(stream: ObsStreamState): { label: string; tone: Tone } {
  if (stream.starting) return { label: "Starting…", tone: "warning" };
  if (!stream.active) return { label: "Off air", tone: "neutral" };
  if (stream.reconnecting) return { label: "Reconnecting to the service…", tone: "warning" };
  return { label: "Live", tone: "danger" };
}

/**
 * The last start OBS accepted and then gave up on (the stream server unreachable, a wrong key),
 * while the stream is off and no other start is under way; null otherwise.
 */
export function streamFailure(stream: ObsStreamState): ObsStreamFailure | null {
  return stream.active || stream.starting ? null : stream.last_failure;
}

export type RecordState = "off" | "recording" | "paused";

export function recordState(record: ObsOutputState): RecordState {
  if (!record.active) return "off";
  return record.paused ? "paused" : "recording";
}

export function describeRecord(record: ObsOutputState): { label: string; tone: Tone } {
  switch (recordState(record)) {
    case "off":
      return { label: "Not recording", tone: "neutral" };
    case "paused":
      return { label: "Paused", tone: "warning" };
    case "recording":
      return { label: "Recording", tone: "danger" };
  }
}
