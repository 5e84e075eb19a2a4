/**
 * The outputs as the status shows them, as plain values: an output at rest, one OBS has just
 * started, the stream's start that failed, and OBS's `HH:MM:SS.mmm` timecode.
 */
import type { ObsStreamFailure } from "@landale/shared";

export const idleOutput = () => ({
  active: false,
  paused: false,
  reconnecting: false,
  timecode: null,
});

/** The stream output at rest; a failed start is kept until a stream starts. */
export const idleStream = (lastFailure: ObsStreamFailure | null = null) => ({
  ...idleOutput(),
  starting: false,
  last_failure: lastFailure,
});

/** What the status says of a start OBS accepted and then gave up on (STARTING → STOPPED). */
export const streamStartFailure = (at: Date): ObsStreamFailure => ({
  code: "obs_stream_start_failed",
  message: "OBS could not start the stream.",
  action: "Check the stream server and key in OBS → Settings → Stream, then start again.",
  at: at.toISOString(),
});

/**
 * An output OBS has just started: its time is zero, not unknown, so a clock can run from now
 * instead of waiting for the next stats tick to read OBS's timecode.
 */
export const justStarted = () => ({ ...idleOutput(), active: true, timecode: timecode(0) });

/** `HH:MM:SS.mmm`, as OBS writes an output's timecode. */
export function timecode(ms: number): string {
  const whole = Math.max(0, Math.floor(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor(whole / 60_000) % 60;
  const seconds = Math.floor(whole / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(whole % 1000, 3)}`;
}
