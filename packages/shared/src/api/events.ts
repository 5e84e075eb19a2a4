/** The events REST API's contract: ingest answers, activity queries and pages, stats, hub health. */
import { z } from "zod";
import { EventEnvelope, EventId, EventSource, Timestamp } from "../events/envelope";
import { ObsProblem, ObsState } from "./obs";
import { RainwaveProblem, RainwaveState } from "./rainwave";
import { EventSubState, TwitchAuthState, TwitchProblem } from "./twitch";
import { WorkerHealth, WorkerState } from "./workers";

export const IngestResponse = z.object({
  accepted: z.array(z.object({ id: EventId, seq: z.int().nonnegative() })),
});
export type IngestResponse = z.infer<typeof IngestResponse>;

export const ACTIVITY_MAX_LIMIT = 1000;
export const ACTIVITY_DEFAULT_LIMIT = 50;

/** `GET /api/activity/events` query: `type` is a comma list; `cursor` is a page's `next_cursor`. */
export const ActivityQuery = z.object({
  type: z
    .string()
    .min(1)
    .transform((value) =>
      value
        .split(",")
        .map((type) => type.trim())
        .filter((type) => type !== ""),
    )
    .optional(),
  source: EventSource.optional(),
  user: z.string().min(1).max(64).optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(ACTIVITY_MAX_LIMIT).default(ACTIVITY_DEFAULT_LIMIT),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, "must be a next_cursor from an earlier page")
    .optional(),
  /** Events with a greater seq, oldest first: how a client pages forward to fill a gap. */
  after_seq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

export const ActivityPage = z.object({
  events: z.array(EventEnvelope),
  /** Pass as `cursor` for the next page (older, or newer with `after_seq`); null on the last. */
  next_cursor: z.string().nullable(),
});
export type ActivityPage = z.infer<typeof ActivityPage>;

export const ActivityStatsQuery = z.object({
  since: Timestamp.optional(),
  until: Timestamp.optional(),
});

export const ActivityStats = z.object({
  since: Timestamp,
  until: Timestamp,
  /** "aggregate" when TimescaleDB's continuous aggregate answered, else "events". */
  from: z.enum(["aggregate", "events"]),
  buckets: z.array(z.object({ bucket: Timestamp, type: z.string(), count: z.int().nonnegative() })),
  totals: z.record(z.string(), z.int().nonnegative()),
});
export type ActivityStats = z.infer<typeof ActivityStats>;

/** `GET /api/health`. */
export const HubHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  /** Why `status` is degraded, one line for each part that makes it so; empty when ok. */
  problems: z.array(z.string()).default([]),
  uptime_s: z.number().nonnegative(),
  database: z.object({
    engine: z.enum(["pglite", "postgres"]),
    timescale: z.boolean(),
    migration: z.string().nullable(),
  }),
  events: z.object({
    last_seq: z.int().nonnegative(),
    pending: z.int().nonnegative(),
    max_pending: z.int().positive(),
    spooled: z.int().nonnegative(),
    spool_bytes: z.int().nonnegative(),
    /** Events refused after validation because pending was at its bound (count or bytes). */
    refused_backpressure: z.int().nonnegative(),
    /**
     * Ingest requests (`POST /api/events`, the EventSub webhook) refused unread — too many in
     * flight, or their declared size past the byte budget (`max_pending_bytes`, shared by the
     * bodies being read, the pushes waiting and the pending events) — and `events:ingest` pushes
     * refused before validation, their frame's length past that budget.
     */
    refused_requests: z.int().nonnegative().default(0),
    windows: z.int().nonnegative(),
    committed: z.int().nonnegative(),
    duplicates: z.int().nonnegative(),
    failed_windows: z.int().nonnegative(),
    /** Pending events' approximate size in bytes, and its bound. */
    pending_bytes: z.int().nonnegative().default(0),
    /**
     * Bytes reserved by ingest bodies being read and validated and by channel pushes waiting to be
     * validated; with `pending_bytes`, bounded.
     */
    reading_bytes: z.int().nonnegative().default(0),
    max_pending_bytes: z.int().positive().optional(),
    /** Events refused by the store for their content, each answered with `store_refused`. */
    refused_store: z.int().nonnegative().default(0),
    /**
     * Acknowledged events the database later refused while draining the spool, kept in the
     * quarantine file (ever, across runs); listed by `GET /api/health/quarantine`.
     */
    quarantined: z.int().nonnegative().default(0),
    /** Why the last append to the spool failed (a full disk), until a window is stored again. */
    spool_error: z.string().nullable().default(null),
  }),
  /**
   * The stream state engine. The overlays see each change at once; it is saved to the database
   * behind them, retried until it succeeds: `save_error` is set (and `status` degraded) while the
   * state shown is newer than the state saved.
   */
  stream: z
    .object({
      version: z.int().nonnegative(),
      persisted_version: z.int().nonnegative(),
      /** Failed saves since start; each was retried. */
      save_failures: z.int().nonnegative(),
      /** Why the last save failed; null once the state is saved. */
      save_error: z.string().nullable(),
      /** Committed windows the engine dropped because too many waited for it. */
      dropped_inputs: z.int().nonnegative(),
    })
    .default({
      version: 0,
      persisted_version: 0,
      save_failures: 0,
      save_error: null,
      dropped_inputs: 0,
    }),
  /**
   * The Twitch integration in brief (all of it: `GET /api/twitch/status`). A grant Twitch revoked
   * or that expired unrefreshed makes the hub degraded; `problem.action` says what to do.
   */
  twitch: z
    .object({
      state: TwitchAuthState,
      eventsub: EventSubState,
      /** Subscriptions Twitch refused or revoked. */
      failed_subscriptions: z.int().nonnegative(),
      problem: TwitchProblem.nullable(),
    })
    .default({
      state: "not_configured",
      eventsub: "stopped",
      failed_subscriptions: 0,
      problem: null,
    }),
  /**
   * The OBS integration in brief (all of it: `GET /api/obs/status`). OBS being closed is normal
   * (the hub keeps trying); only a problem the streamer must fix — OBS refusing the password, an
   * obs-websocket too old — makes the hub degraded. Outputs are the last known while disconnected.
   */
  obs: z
    .object({
      state: ObsState,
      problem: ObsProblem.nullable(),
      stream_active: z.boolean(),
      record_active: z.boolean(),
    })
    .default({ state: "disconnected", problem: null, stream_active: false, record_active: false }),
  /**
   * The Rainwave integration in brief (all of it: `GET /api/rainwave/status`). Rainwave being
   * away is retried quietly; only a key Rainwave refuses makes the hub degraded.
   */
  rainwave: z
    .object({
      state: RainwaveState,
      /** Failed requests since the last success. */
      failures: z.int().nonnegative(),
      problem: RainwaveProblem.nullable(),
    })
    .default({ state: "unconfigured", failures: 0, problem: null }),
  /**
   * The IronMON TCP ingest in brief (all of it: `GET /api/ironmon/status`). A port it could not
   * bind (`problem`) makes the hub degraded; a tracker not connected is normal.
   */
  ironmon: z
    .object({
      listening: z.boolean(),
      port: z.int().nullable(),
      problem: z.string().nullable(),
      connections: z.int().nonnegative(),
      refused_connections: z.int().nonnegative(),
      closed_bad_length: z.int().nonnegative(),
      closed_oversize: z.int().nonnegative(),
      invalid_messages: z.int().nonnegative(),
      dropped_messages: z.int().nonnegative(),
      active_run_id: z.int().nullable(),
    })
    .default({
      listening: false,
      port: null,
      problem: null,
      connections: 0,
      refused_connections: 0,
      closed_bad_length: 0,
      closed_oversize: 0,
      invalid_messages: 0,
      dropped_messages: 0,
      active_run_id: null,
    }),
  /**
   * The workers the hub supervises (`LANDALE_WORKERS`) in brief (all of it: `services_status`).
   * One the hub gave up on (`failed`), or one running whose health checks have said `unhealthy`
   * or `degraded` for 30 s in a row, makes the hub degraded, `problem` naming it and saying why
   * (null while it does not count against the hub). One stopped from the dashboard, or waiting to
   * be restarted, does not.
   */
  workers: z
    .array(
      z.object({
        name: z.string(),
        state: WorkerState,
        health: WorkerHealth,
        problem: z.string().nullable(),
      }),
    )
    .default([]),
  sockets: z.object({
    connections: z.int().nonnegative(),
    channels: z.int().nonnegative(),
    dropped: z.int().nonnegative(),
    /** Sockets closed with 4008 because they fell past the back-pressure limit. */
    closed_slow: z.int().nonnegative().default(0),
  }),
});
export type HubHealth = z.infer<typeof HubHealth>;

/** One acknowledged event the database refused while the spool drained, as the quarantine file keeps it. */
export const QuarantinedEvent = z.object({
  quarantined_at: z.string(),
  /** The database's words, e.g. `22008: date/time field value out of range`. */
  reason: z.string(),
  /** The event as the hub tried to store it (its seq was acknowledged and stays unused). */
  event: z.looseObject({ id: z.string(), seq: z.int().nonnegative(), type: z.string() }),
});
export type QuarantinedEvent = z.infer<typeof QuarantinedEvent>;

/** `GET /api/health/quarantine`: how many were ever quarantined, and the most recent, newest first. */
export const QuarantineList = z.object({
  total: z.int().nonnegative(),
  events: z.array(QuarantinedEvent),
});
export type QuarantineList = z.infer<typeof QuarantineList>;

/** Join params of `events:<filter>`: `since_seq` replays what the client missed since that seq. */
export const EventsJoinParams = z.looseObject({
  since_seq: z.int().nonnegative().optional(),
});

/** Reply to a join of `events:<filter>`. */
export const EventsJoinReply = z.object({
  filter: z.string(),
  /** Present when `since_seq` was given: whether the replay had to leave events out. */
  replay: z.object({ since_seq: z.int().nonnegative(), truncated: z.boolean() }).optional(),
});

/**
 * `event_batch`, pushed on `events:<filter>`: the events of one committed window that the filter
 * admits, in seq order. `from_seq`..`to_seq` is the range the batch accounts for; a topic's batches
 * are contiguous, so `from_seq` above the last `to_seq + 1` means a lost batch, and a client
 * resumes with `since_seq = to_seq`. A replay after `since_seq` arrives as one batch with
 * `replay: true` before any live one; when `truncated`, the events between `since_seq` and its
 * `from_seq` are paged from the activity API (`after_seq`).
 */
export const EventBatch = z.object({
  events: z.array(EventEnvelope),
  from_seq: z.int().nonnegative(),
  to_seq: z.int().nonnegative(),
  replay: z.boolean().optional(),
  truncated: z.boolean().optional(),
});
export type EventBatch = z.infer<typeof EventBatch>;
