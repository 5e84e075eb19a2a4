/**
 * IronMON over the API: the `ironmon:*` queries on `dashboard:main` (the older system's names) and
 * their REST mirror `/api/ironmon/*` — challenges, checkpoints, checkpoint stats with clear
 * rates, recent results, the active run, and the TCP ingest's status.
 */
import { z } from "zod";

export const IRONMON_COMMANDS = [
  "ironmon:status",
  "ironmon:challenges",
  "ironmon:checkpoints",
  "ironmon:checkpoint_stats",
  "ironmon:recent_results",
  "ironmon:active_challenge",
] as const;
export type IronmonCommandName = (typeof IRONMON_COMMANDS)[number];

const Id = z.int().positive();

/** `ironmon:checkpoints` and `ironmon:checkpoint_stats` take a challenge (default: the first). */
export const IronmonChallengeQuery = z.strictObject({
  challenge_id: z.coerce.number().pipe(Id).optional(),
});
/** `ironmon:recent_results`: how many, newest first. */
export const IronmonResultsQuery = z.strictObject({
  limit: z.coerce.number().pipe(z.int().min(1).max(100)).default(10),
});

export const IronmonChallenge = z.object({
  id: Id,
  name: z.string(),
  game: z.int(),
  checkpoints: z.int().nonnegative(),
});
export const IronmonChallenges = z.object({ challenges: z.array(IronmonChallenge) });
export type IronmonChallenges = z.infer<typeof IronmonChallenges>;

export const IronmonCheckpointInfo = z.object({
  id: Id,
  challenge_id: Id,
  name: z.string(),
  trainer: z.string(),
  order: z.int().positive(),
});
export const IronmonCheckpoints = z.object({ checkpoints: z.array(IronmonCheckpointInfo) });
export type IronmonCheckpoints = z.infer<typeof IronmonCheckpoints>;

export const IronmonCheckpointStat = IronmonCheckpointInfo.extend({
  cleared: z.int().nonnegative(),
  failed: z.int().nonnegative(),
  /** cleared / (cleared + failed); null when no run has reached it. */
  clear_rate: z.number().min(0).max(1).nullable(),
});
export const IronmonCheckpointStats = z.object({ checkpoints: z.array(IronmonCheckpointStat) });
export type IronmonCheckpointStats = z.infer<typeof IronmonCheckpointStats>;

export const IronmonResult = z.object({
  id: Id,
  run_id: Id,
  seed: z.int().nonnegative(),
  checkpoint_id: Id,
  name: z.string(),
  trainer: z.string(),
  order: z.int().positive(),
  cleared: z.boolean(),
  at: z.string(),
});
export const IronmonResults = z.object({ results: z.array(IronmonResult) });
export type IronmonResults = z.infer<typeof IronmonResults>;

export const IronmonRun = z.object({
  id: Id,
  challenge_id: Id,
  challenge: z.string(),
  seed: z.int().nonnegative(),
  attempt: z.int().positive(),
  started_at: z.string(),
  cleared: z.array(z.object({ checkpoint_id: Id, name: z.string(), order: z.int().positive() })),
  /** The checkpoint to clear next, with its clear rate; null once the last is cleared. */
  next: IronmonCheckpointStat.nullable(),
  total_checkpoints: z.int().nonnegative(),
});
export type IronmonRun = z.infer<typeof IronmonRun>;
export const IronmonActiveRun = z.object({ run: IronmonRun.nullable() });
export type IronmonActiveRun = z.infer<typeof IronmonActiveRun>;

/** The TCP ingest and the tracker on it. Counters run since the hub started. */
export const IronmonStatus = z.object({
  tcp: z.object({
    listening: z.boolean(),
    host: z.string(),
    /** The port bound (the configured one, or the one chosen for 0); null when not listening. */
    port: z.int().nullable(),
    /** Why it is not listening (the port in use…); null while it is. */
    problem: z.string().nullable(),
    connections: z.int().nonnegative(),
    max_connections: z.int().positive(),
    accepted: z.int().nonnegative(),
    /** Connections closed at once because `max_connections` were open. */
    refused_connections: z.int().nonnegative(),
    /** Connections closed for a length that is not one (not digits, no space). */
    closed_bad_length: z.int().nonnegative(),
    /** Connections closed for a frame over the 64 KB bound. */
    closed_oversize: z.int().nonnegative(),
    /** Connections closed for saying nothing for too long. */
    closed_idle: z.int().nonnegative(),
    frames: z.int().nonnegative(),
    /** Frames that were not JSON or not a known message (the connection stays). */
    invalid_messages: z.int().nonnegative(),
    heartbeats: z.int().nonnegative(),
  }),
  recorder: z.object({
    queued: z.int().nonnegative(),
    /** Messages dropped because the queue to the event pipeline was full. */
    dropped: z.int().nonnegative(),
    /** Messages whose events could not be stored (logged). */
    failed: z.int().nonnegative(),
  }),
  /** What the last `init` said; null until one came. */
  tracker: z.object({ version: z.string(), game: z.int() }).nullable(),
  active_run_id: z.int().nullable(),
});
export type IronmonStatus = z.infer<typeof IronmonStatus>;
