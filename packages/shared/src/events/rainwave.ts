/**
 * `rainwave.update`: what the streamer hears on Rainwave, recorded by the hub's poller only when
 * it changes. While `listening` is false the song fields are null: the streamer tuned out (or is
 * on another station), so there is nothing to show as "now playing".
 */
import { z } from "zod";

/** Rainwave's stations by id: Game, OC ReMix, Covers, Chiptune, All. */
export const RAINWAVE_STATIONS = [1, 2, 3, 4, 5] as const;
export const RainwaveStation = z.int().min(1).max(5);
export type RainwaveStation = z.infer<typeof RainwaveStation>;

export const RAINWAVE_STATION_NAMES: Readonly<Record<RainwaveStation, string>> = {
  1: "Game",
  2: "OC ReMix",
  3: "Covers",
  4: "Chiptune",
  5: "All",
};

const Text = z.string().max(1024);
const Instant = z.iso.datetime({ offset: true });

export const RainwaveUpdate = z.strictObject({
  station: RainwaveStation,
  listening: z.boolean(),
  title: Text.nullable(),
  artists: z.array(Text).max(64),
  album: Text.nullable(),
  art_url: z.url().max(2048).nullable(),
  /** When the song started and when it is due to end, as Rainwave's schedule says. */
  started_at: Instant.nullable(),
  ends_at: Instant.nullable(),
});
export type RainwaveUpdate = z.infer<typeof RainwaveUpdate>;

export const RAINWAVE_EVENT_SCHEMAS = { "rainwave.update": RainwaveUpdate } as const;
