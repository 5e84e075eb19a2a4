/**
 * The Rainwave integration's contract with the dashboard: the poller's status and its commands.
 * The REST routes under `/api/rainwave/*` and the `rainwave:*` commands on `dashboard:main` take
 * and answer these shapes.
 */
import { z } from "zod";
import { RainwaveStation, RainwaveUpdate } from "../events/rainwave";

/**
 * - `unconfigured`: no RAINWAVE_USER_ID / RAINWAVE_API_KEY; nothing is polled.
 * - `disabled`: configured, switched off from the dashboard.
 * - `polling`: the last request to Rainwave answered.
 * - `failing`: the last request failed (timeout, refused, bad answer); retried with backoff.
 */
export const RAINWAVE_STATES = ["unconfigured", "disabled", "polling", "failing"] as const;
export const RainwaveState = z.enum(RAINWAVE_STATES);
export type RainwaveState = z.infer<typeof RainwaveState>;

export const RainwaveProblem = z.object({
  code: z.string(),
  message: z.string(),
  action: z.string(),
});
export type RainwaveProblem = z.infer<typeof RainwaveProblem>;

export const RainwaveStatus = z.object({
  state: RainwaveState,
  enabled: z.boolean(),
  configured: z.boolean(),
  station: RainwaveStation,
  station_name: z.string(),
  /** The last `rainwave.update` the hub recorded (or would have), null before the first answer. */
  now_playing: RainwaveUpdate.nullable(),
  last_polled_at: z.string().nullable(),
  /** Failed requests since the last success. */
  failures: z.int().nonnegative(),
  problem: RainwaveProblem.nullable(),
});
export type RainwaveStatus = z.infer<typeof RainwaveStatus>;

export const RainwaveSetEnabled = z.object({ enabled: z.boolean() });
export type RainwaveSetEnabled = z.infer<typeof RainwaveSetEnabled>;

export const RainwaveSetStation = z.object({ station: RainwaveStation });
export type RainwaveSetStation = z.infer<typeof RainwaveSetStation>;

/**
 * What the dashboard chose, as the hub keeps it across restarts (the `rainwave` row of
 * `integration_settings`). Read back with this schema: a row it refuses is ignored, and the
 * integration starts as configured.
 */
export const RainwaveSettings = z.object({ enabled: z.boolean(), station: RainwaveStation });
export type RainwaveSettings = z.infer<typeof RainwaveSettings>;

/** The `rainwave:*` commands on `dashboard:main` (the older system's names); REST under `/api/rainwave/`. */
export const RAINWAVE_COMMANDS = [
  "rainwave:get_status",
  "rainwave:set_enabled",
  "rainwave:set_station",
] as const;
export type RainwaveCommandName = (typeof RAINWAVE_COMMANDS)[number];
