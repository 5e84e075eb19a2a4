/**
 * How long the stream or the recording has been running, counted here from the timecode the hub
 * told. The hub's status is pushed whenever anything changes (a scene switch too), and its
 * timecode is only as fresh as the hub's last reading of it: counting on from the time of each
 * push would jump back to an old reading. So the clock is re-set only when the timecode itself
 * changes, stops while the output is paused, and goes on once it resumes. While OBS is away the
 * hub's status is only what was last known, so the clock stops there too (`freezeClock`).
 */
import type { ObsOutputState } from "@landale/shared";

export interface OutputClock {
  /** The timecode this clock was set from, to tell a new reading from the same one again. */
  timecode: string;
  /** Running time at `since` (or for good, while paused). */
  baseMs: number;
  /** Epoch ms it has been running since; null while paused. */
  since: number | null;
}

const TIMECODE = /^(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?$/;

/** OBS's `HH:MM:SS.mmm` as milliseconds; null when it is not one. */
export function parseTimecode(timecode: string): number | null {
  const match = TIMECODE.exec(timecode.trim());
  if (match === null) return null;
  const [, hours, minutes, seconds, fraction = "0"] = match;
  return (
    ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 +
    Number(fraction.padEnd(3, "0"))
  );
}

/** The clock after a status with `output` arrived at `now`; null when nothing runs or the time is unknown. */
export function advanceClock(
  clock: OutputClock | null,
  output: ObsOutputState,
  now: number,
): OutputClock | null {
  if (!output.active || output.timecode === null) return null;
  if (clock === null || clock.timecode !== output.timecode) {
    const told = parseTimecode(output.timecode);
    if (told === null) return null;
    return { timecode: output.timecode, baseMs: told, since: output.paused ? null : now };
  }
  if (output.paused && clock.since !== null) {
    return { ...clock, baseMs: clockMs(clock, now), since: null };
  }
  if (!output.paused && clock.since === null) return { ...clock, since: now };
  return clock;
}

/** The clock stopped at what it reads at `now`: OBS is away, and nothing says the output runs on. */
export function freezeClock(clock: OutputClock | null, now: number): OutputClock | null {
  if (clock === null || clock.since === null) return clock;
  return { ...clock, baseMs: clockMs(clock, now), since: null };
}

/** The running time the clock reads at `now`. */
export function clockMs(clock: OutputClock, now: number): number {
  return clock.since === null ? clock.baseMs : clock.baseMs + Math.max(0, now - clock.since);
}

/** Elapsed time as a clock reads it: "0:07", "12:05", "1:02:03"; whole seconds, never negative. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const ss = String(total % 60).padStart(2, "0");
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, "0")}:${ss}`;
  return `${minutes}:${ss}`;
}
