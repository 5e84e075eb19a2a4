/**
 * What the engine keeps of games and music for the ticker: the IronMON run in progress, each
 * checkpoint's clears and failures (for its clear rate), and the song on the streamer's Rainwave
 * station while they are tuned in. Pure, like the reducer that calls it.
 */
import {
  type IronmonProgressData,
  type IronmonRunData,
  type NowPlayingData,
  RAINWAVE_STATION_NAMES,
  type RainwaveStation,
} from "@landale/shared";
import { z } from "zod";

/**
 * The `ironmon.run.*` and `rainwave.update` data the engine reads. Ingest checked each event
 * against the catalogue; these take only the fields the ticker needs, and an event that lacks
 * them is passed over rather than trusted.
 */
const RunStarted = z.object({
  run_id: z.coerce.string(),
  seed: z.int().nonnegative().nullable().catch(null),
  attempt: z.int().nonnegative().nullable().catch(null),
});
const RunCheckpoint = z.object({
  run_id: z.coerce.string(),
  checkpoint_id: z.coerce.string(),
  name: z.string(),
  order: z.int().nonnegative(),
});
const RunFailed = z.object({
  run_id: z.coerce.string(),
  checkpoint_id: z.coerce.string(),
  name: z.string(),
  order: z.int().nonnegative().optional(),
});
const RainwaveUpdate = z.object({
  station: z.int().transform((id) => RAINWAVE_STATION_NAMES[id as RainwaveStation] ?? `${id}`),
  title: z.string().nullable(),
  artists: z.array(z.string()).catch([]),
  album: z.string().nullable().catch(null),
  art_url: z.string().nullable().catch(null),
  ends_at: z.string().nullable().catch(null),
  listening: z.boolean(),
});

const CheckpointStats = z.object({
  name: z.string(),
  /** The trainer to beat there, once the hub's records have named it. */
  trainer: z.string().nullable().default(null),
  order: z.int().nonnegative(),
  cleared: z.int().nonnegative(),
  failed: z.int().nonnegative(),
});

const RunView = z.object({
  run_id: z.string(),
  seed: z.int().nonnegative().nullable(),
  attempt: z.int().nonnegative().nullable(),
  cleared: z.int().nonnegative(),
  current: z.object({ id: z.string(), name: z.string(), order: z.int().nonnegative() }).nullable(),
});

/**
 * The IronMON records as the database holds them (the challenge's checkpoints with their clears
 * and failures, and the active run): read by the shell at start and after each run event, they
 * replace what the engine counted itself, so the ticker's clear rates are the records' own.
 */
export const IronmonSnapshot = z.object({
  total: z.int().nonnegative(),
  checkpoints: z.array(CheckpointStats.extend({ id: z.string() })).max(200),
  run: RunView.nullable(),
});
export type IronmonSnapshot = z.infer<typeof IronmonSnapshot>;

export const GameTracking = z.object({
  run: RunView.nullable(),
  /** The challenge's checkpoints, from the records; null until they are read. */
  total: z.int().nonnegative().nullable().default(null),
  /** By checkpoint id; bounded (`MAX_CHECKPOINTS`). */
  checkpoints: z.record(z.string(), CheckpointStats),
  now_playing: z
    .object({
      station: z.string(),
      title: z.string(),
      artists: z.array(z.string()),
      album: z.string().nullable(),
      art_url: z.string().nullable(),
      ends_at: z.string().nullable(),
    })
    .nullable(),
});
export type GameTracking = z.infer<typeof GameTracking>;

export const initialGameTracking = (): GameTracking => ({
  run: null,
  total: null,
  checkpoints: {},
  now_playing: null,
});

/** Far above any challenge's checkpoints (Kaizo IronMON FRLG has 24); ids past it are not kept. */
const MAX_CHECKPOINTS = 200;

/**
 * What an event did to the tracking: nothing, a change the ticker should show, or a new song
 * (tuned in, and another title or artists than before), which the ticker shows at once.
 */
export type GameChange = "none" | "ironmon" | "music" | "song";

export function trackGames(games: GameTracking, type: string, data: unknown): GameChange {
  // Once the records have been read they are the word: they were written before the event was
  // told (store first, then tell), so counting it too would count it twice; the shell reads again.
  if (games.total !== null && type.startsWith("ironmon.run.")) return "none";
  switch (type) {
    case "ironmon.run.started": {
      const parsed = RunStarted.safeParse(data);
      if (!parsed.success) return "none";
      games.run = { ...parsed.data, cleared: 0, current: null };
      return "ironmon";
    }
    case "ironmon.run.checkpoint": {
      const parsed = RunCheckpoint.safeParse(data);
      if (!parsed.success) return "none";
      const { run_id, checkpoint_id: id, name, order } = parsed.data;
      count(games, id, name, order, "cleared");
      if (games.run === null || games.run.run_id !== run_id) {
        games.run = { run_id, seed: null, attempt: null, cleared: 0, current: null };
      }
      games.run.cleared++;
      games.run.current = { id, name, order };
      return "ironmon";
    }
    case "ironmon.run.failed": {
      const parsed = RunFailed.safeParse(data);
      if (!parsed.success) return "none";
      const { run_id, checkpoint_id: id, name } = parsed.data;
      // A run fails at the checkpoint after the last it cleared.
      const inRun = games.run?.run_id === run_id ? (games.run.current?.order ?? 0) + 1 : 0;
      const order = parsed.data.order ?? games.checkpoints[id]?.order ?? inRun;
      count(games, id, name, order, "failed");
      return "ironmon";
    }
    case "rainwave.update": {
      const parsed = RainwaveUpdate.safeParse(data);
      if (!parsed.success) return "none";
      const { listening, title, ...song } = parsed.data;
      const before = games.now_playing;
      games.now_playing = listening && title !== null ? { ...song, title } : null;
      const after = games.now_playing;
      const newSong =
        after !== null &&
        (before === null ||
          before.title !== after.title ||
          before.artists.join("\n") !== after.artists.join("\n"));
      return newSong ? "song" : "music";
    }
    default:
      return "none";
  }
}

function count(
  games: GameTracking,
  id: string,
  name: string,
  order: number,
  outcome: "cleared" | "failed",
): void {
  const known = games.checkpoints[id];
  if (known === undefined && Object.keys(games.checkpoints).length >= MAX_CHECKPOINTS) return;
  const stats = known ?? { name, trainer: null, order, cleared: 0, failed: 0 };
  stats[outcome]++;
  // The tracker's name for a checkpoint is the latest word on it.
  stats.name = name;
  if (order > 0) stats.order = order;
  games.checkpoints[id] = stats;
}

export function applyIronmonSnapshot(games: GameTracking, snapshot: IronmonSnapshot): void {
  games.total = snapshot.total;
  games.checkpoints = Object.fromEntries(
    snapshot.checkpoints.map(({ id, ...stats }) => [id, stats]),
  );
  games.run = snapshot.run;
}

export function ironmonRunData(games: GameTracking, fallbackTotal: number): IronmonRunData {
  const { run } = games;
  const total = games.total ?? fallbackTotal;
  return {
    run_id: run?.run_id ?? null,
    attempt: run?.attempt ?? null,
    seed: run?.seed ?? null,
    cleared: run?.cleared ?? 0,
    total: Math.max(total, run?.current?.order ?? 0),
    current: run?.current ?? null,
  };
}

export function ironmonProgressData(
  games: GameTracking,
  fallbackTotal: number,
): IronmonProgressData {
  const total = games.total ?? fallbackTotal;
  const order = (games.run?.current?.order ?? 0) + 1;
  if (games.run === null || order > total) {
    return { next: null, clear_rate: null, reached: 0 };
  }
  const stats = Object.values(games.checkpoints).find((checkpoint) => checkpoint.order === order);
  const reached = (stats?.cleared ?? 0) + (stats?.failed ?? 0);
  return {
    next: { order, name: stats?.name ?? null, trainer: stats?.trainer ?? null },
    clear_rate: stats === undefined || reached === 0 ? null : stats.cleared / reached,
    reached,
  };
}

export function nowPlayingData(games: GameTracking): NowPlayingData | null {
  return games.now_playing;
}
