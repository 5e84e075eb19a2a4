/**
 * The hub's health: what every part reports (database, event pipeline, stream engine, sockets,
 * the integrations, the supervised workers) mapped into the one `HubHealth` that `GET /api/health`
 * answers and `dashboard:main` pushes, with a line for each part that makes it degraded.
 * Before the services are up, their fields read as empty.
 */
import type { ChannelServerStats } from "@landale/channels";
import type { Database } from "@landale/db";
import type {
  HubHealth,
  IronmonStatus,
  ObsStatus,
  RainwaveStatus,
  ServicesStatus,
  TwitchStatus,
} from "@landale/shared";
import type { EventPipeline } from "./events/pipeline";
import { isStreamerProblem } from "./obs/retry";
import type { StreamEngine } from "./stream/engine";
import { workersHealth } from "./workers/health";

export interface HealthSources {
  /** `performance.now()` when the hub started. */
  startedAt: number;
  config: { databaseUrl: string | null; maxPending: number; maxPendingBytes: number };
  sockets(): ChannelServerStats;
  /** The database-backed services, or null while the hub is starting. */
  services(): { database: Database; pipeline: EventPipeline; engine: StreamEngine } | null;
  /** Ingest requests (`POST /api/events`, the EventSub webhook) refused for too many in flight. */
  refusedRequests(): number;
  /** The Twitch integration's status, once the services are up. */
  twitch(): TwitchStatus | null;
  /** The OBS integration's status, once the services are up. */
  obs(): ObsStatus | null;
  /** The Rainwave integration's status, once the services are up. */
  rainwave(): RainwaveStatus | null;
  /** The IronMON integration's status, once the services are up. */
  ironmon(): IronmonStatus | null;
  /** The supervised workers; null for a hub run without a supervisor. */
  workers(): ServicesStatus | null;
  /** Wall-clock ms (how long a worker has been unwell); `Date.now` by default. */
  now?: () => number;
}

function rainwaveHealth(status: RainwaveStatus | null): HubHealth["rainwave"] {
  if (status === null) return { state: "unconfigured", failures: 0, problem: null };
  return { state: status.state, failures: status.failures, problem: status.problem };
}

function ironmonHealth(status: IronmonStatus | null): HubHealth["ironmon"] {
  const tcp = status?.tcp;
  return {
    listening: tcp?.listening ?? false,
    port: tcp?.port ?? null,
    problem: tcp?.problem ?? null,
    connections: tcp?.connections ?? 0,
    refused_connections: tcp?.refused_connections ?? 0,
    closed_bad_length: tcp?.closed_bad_length ?? 0,
    closed_oversize: tcp?.closed_oversize ?? 0,
    invalid_messages: tcp?.invalid_messages ?? 0,
    dropped_messages: status?.recorder.dropped ?? 0,
    active_run_id: status?.active_run_id ?? null,
  };
}

function obsHealth(status: ObsStatus | null): HubHealth["obs"] {
  if (status === null) {
    return { state: "disconnected", problem: null, stream_active: false, record_active: false };
  }
  return {
    state: status.state,
    problem: status.problem,
    stream_active: status.stream.active,
    record_active: status.record.active,
  };
}

/** Subscription statuses that are not a failure: created, being created, or waiting for a session. */
const SUBSCRIPTION_OK = new Set(["enabled", "pending", "webhook_callback_verification_pending"]);

function twitchHealth(status: TwitchStatus | null): HubHealth["twitch"] {
  if (status === null) {
    return { state: "not_configured", eventsub: "stopped", failed_subscriptions: 0, problem: null };
  }
  return {
    state: status.state,
    eventsub: status.eventsub.state,
    failed_subscriptions: status.eventsub.subscriptions.filter(
      (subscription) => !SUBSCRIPTION_OK.has(subscription.status),
    ).length,
    problem: status.problem,
  };
}

export function healthReport(sources: HealthSources): HubHealth {
  const { config } = sources;
  const socketStats = sources.sockets();
  const services = sources.services();
  const pipeline = services?.pipeline.stats();
  const batch = pipeline?.batch;
  const store = pipeline?.store;
  const admission = pipeline?.admission;
  const stream = services?.engine.stats();
  const twitch = twitchHealth(sources.twitch());
  const obs = obsHealth(sources.obs());
  const rainwave = rainwaveHealth(sources.rainwave());
  const ironmon = ironmonHealth(sources.ironmon());
  const workers = workersHealth(sources.workers(), (sources.now ?? Date.now)());
  // Degraded while events wait in the spool or cannot be spooled, the stream state is shown but
  // not yet saved, the Twitch grant, the OBS password or the Rainwave key needs the streamer, the
  // IronMON port could not be bound, or a worker failed or has long been unwell.
  const spoolError = store?.spoolError ?? null;
  const saveError = stream?.saveError ?? null;
  const problems = [
    store?.spooling === true && "events wait in the spool: the database is not answering",
    spoolError !== null && `events cannot be spooled: ${spoolError}`,
    saveError !== null && `the stream state is not saved: ${saveError}`,
    twitch.state === "invalid" && `Twitch: ${twitch.problem?.message ?? "the grant is invalid"}`,
    isStreamerProblem(obs.problem) && `OBS: ${obs.problem?.message}`,
    rainwave.problem?.code === "rainwave_auth_failed" && `Rainwave: ${rainwave.problem.message}`,
    ironmon.problem !== null && `IronMON: ${ironmon.problem}`,
    ...workers.map((worker) => worker.problem),
  ].filter((problem) => typeof problem === "string");
  return {
    status: problems.length > 0 ? "degraded" : "ok",
    problems,
    uptime_s: Math.round((performance.now() - sources.startedAt) / 1000),
    database: {
      engine: services?.database.engine ?? (config.databaseUrl === null ? "pglite" : "postgres"),
      timescale: services?.database.timescale ?? false,
      migration: services?.database.migration ?? null,
    },
    events: {
      last_seq: batch?.lastSeq ?? 0,
      pending: batch?.pending ?? 0,
      max_pending: config.maxPending,
      spooled: store?.spooledEvents ?? 0,
      spool_bytes: store?.spoolBytes ?? 0,
      refused_backpressure: batch?.refusedBackpressure ?? 0,
      refused_requests:
        sources.refusedRequests() + (admission?.refused ?? 0) + (pipeline?.turns.refused ?? 0),
      windows: batch?.windows ?? 0,
      committed: batch?.committed ?? 0,
      duplicates: batch?.duplicates ?? 0,
      failed_windows: batch?.failedWindows ?? 0,
      pending_bytes: batch?.pendingBytes ?? 0,
      reading_bytes: admission?.readingBytes ?? 0,
      max_pending_bytes: config.maxPendingBytes,
      refused_store: batch?.refusedStore ?? 0,
      quarantined: store?.quarantined ?? 0,
      spool_error: store?.spoolError ?? null,
    },
    stream: {
      version: stream?.version ?? 0,
      persisted_version: stream?.persistedVersion ?? 0,
      save_failures: stream?.saveFailures ?? 0,
      save_error: stream?.saveError ?? null,
      dropped_inputs: stream?.droppedInputs ?? 0,
    },
    twitch,
    obs,
    rainwave,
    ironmon,
    workers,
    sockets: {
      connections: socketStats.connections,
      channels: socketStats.channels,
      dropped: socketStats.dropped,
      closed_slow: socketStats.closedSlow,
    },
  };
}
