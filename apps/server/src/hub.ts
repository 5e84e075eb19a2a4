/**
 * The hub: one `Bun.serve` for HTTP (Hono) and Phoenix channels on `/socket/websocket`. It listens
 * at once — `/health` answers and `/ready` says 503 — while the database connects (retrying until
 * it answers) and migrates; then the full app takes over and `/ready` says 200. `stop()` is the
 * graceful shutdown: refuse new events, commit what is pending, drain the spool if the database
 * is there, close every socket with 1001 so clients reconnect, stop the server, close the database.
 */
import { join } from "node:path";
import { createChannelServer, createRouter } from "@landale/channels";
import {
  applyRetentionPolicy,
  classifyConnectError,
  connect,
  type Database,
  eventById,
  loadStreamState,
  maxEventSeq,
  saveStreamState,
} from "@landale/db";
import type { Logger } from "@landale/logger";
import { type HubHealth, TRANSCRIPTION_SESSION_PREFIX, TRANSCRIPTION_TOPIC } from "@landale/shared";
import type { Server } from "bun";
import { authenticateToken, isAllowedOrigin, type Principal } from "./auth";
import {
  createDashboardChannel,
  DASHBOARD_TOPIC,
  HEALTH_PUSH_MS,
  HEALTH_UPDATE,
} from "./channels/dashboard";
import { createEventsChannel } from "./channels/events";
import { createIngestChannel, INGEST_TOPIC } from "./channels/ingest";
import { createStreamChannels, STREAM_OVERLAYS_TOPIC, STREAM_QUEUE_TOPIC } from "./channels/stream";
import { createTranscriptionChannel } from "./channels/transcription";
import type { Config } from "./config";
import { AppError } from "./errors";
import { BATCHER_DEFAULTS, Batcher, type Scheduler } from "./events/batcher";
import { rowToEnvelope, toEnvelope } from "./events/envelope";
import { createFanout } from "./events/fanout";
import { createIngest } from "./events/ingest";
import { Quarantine } from "./events/quarantine";
import { RecentEvents } from "./events/recent";
import { type Retention, startRetention } from "./events/retention";
import { Spool } from "./events/spool";
import { DurableStore } from "./events/store";
import { activityRoutes } from "./http/activity";
import { createHttpApp, type Lifecycle } from "./http/app";
import { refuseHost } from "./http/auth";
import { eventRoutes } from "./http/events";
import { healthRoutes } from "./http/health";
import { staticSite } from "./http/static";
import { streamRoutes } from "./http/stream";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "./stream/config";
import { StreamEngine } from "./stream/engine";

export const SOCKET_PATH = "/socket/websocket";
/** How long `stop()` waits for open connections to finish before cutting them. */
const STOP_GRACE_MS = 5_000;
const CONNECT_RETRY_MS = { first: 500, max: 10_000 } as const;

export interface Hub {
  /** Base URL, e.g. `http://127.0.0.1:7175`. */
  readonly url: string;
  readonly port: number;
  /** Resolves once the database is connected and migrated and the hub answers `/ready` with 200. */
  readonly ready: Promise<void>;
  health(): HubHealth;
  stop(): Promise<void>;
}

/**
 * The database refused the hub for a reason no retry fixes (it does not exist, the role may not
 * log in or create the schema, the host does not resolve): start-up stops and says why.
 */
export class DatabaseConfigError extends Error {
  override name = "DatabaseConfigError";
}

export type HubConfig = Omit<Config, "logLevel" | "exitWithParent">;

export interface HubOptions {
  /** An open database to use instead of connecting (tests share one); the hub will not close it. */
  database?: Database;
  /** Overrides for tests: a shorter idle timeout, smaller limits. */
  channels?: { idleTimeoutMs?: number; maxFrameBytes?: number; backpressureLimit?: number };
  /** The stream state engine's behaviour (alert durations, ticker…); defaults otherwise. */
  stream?: Partial<EngineConfig>;
  /** The stream engine's clock (epoch ms) and timers; a test's manual one moves only when told. */
  streamScheduler?: Scheduler;
  /** Where the built overlays are (default: `apps/overlays/dist`). */
  overlaysDir?: string;
  /** Where the built dashboard is (default: `apps/dashboard/dist`). */
  dashboardDir?: string;
}

export const DEFAULT_OVERLAYS_DIR = new URL("../../overlays/dist", import.meta.url).pathname;
export const DEFAULT_DASHBOARD_DIR = new URL("../../dashboard/dist", import.meta.url).pathname;

/** Starts listening at once and resolves; `hub.ready` settles when the hub can take events. */
export async function startHub(
  config: HubConfig,
  logger: Logger,
  options: HubOptions = {},
): Promise<Hub> {
  let lifecycle: Lifecycle = "starting";
  const startedAt = performance.now();
  // Pages are served from the first moment (an OBS source loaded during start-up would not retry
  // a 404); the API and sockets answer 503 "starting" until the database is ready.
  const sites = {
    "/overlays": staticSite(options.overlaysDir ?? DEFAULT_OVERLAYS_DIR, "overlays"),
    "/dashboard": staticSite(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR, "dashboard", {
      spa: true,
    }),
  };
  const starting = createHttpApp({ logger, lifecycle: () => lifecycle, auth: config, sites });
  let services: Services | null = null;
  let stopping: Promise<void> | null = null;
  let healthPush: ReturnType<typeof setInterval> | undefined;
  let refusedRequests = () => 0;

  // Channels are added once the database is ready; no socket is upgraded before then.
  const router = createRouter<Principal>();
  const channels = createChannelServer<Principal>({
    router,
    logger: logger.child({ component: "channels" }),
    authenticate: ({ token }) => authenticateToken(config, token),
    checkOrigin: (origin, request) => isAllowedOrigin(config, origin, request),
    ...options.channels,
  });

  const server: Server<unknown> = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch(request, bunServer) {
      const misdirected = refuseHost(config, request);
      if (misdirected !== null) return misdirected;
      const path = new URL(request.url).pathname;
      if (path === SOCKET_PATH || path.startsWith("/api/")) return startingUp();
      return starting.fetch(request, bunServer);
    },
    websocket: channels.websocket as Bun.WebSocketHandler<unknown>,
  });
  const port = server.port ?? config.port;
  const url = `http://${formatHost(config.host)}:${port}`;

  const ready = (async () => {
    const database =
      options.database ?? (await connectWithRetry(config, logger, () => stopping !== null));
    services = await buildServices(config, logger, database, options, channels.broadcast);
    const events = eventRoutes(services.ingest);
    refusedRequests = events.refused;
    const api = createHttpApp({
      logger,
      lifecycle: () => lifecycle,
      auth: config,
      api: {
        "/events": events,
        "/activity": activityRoutes(database),
        "/health": healthRoutes(() => health(), services.quarantine),
        "/stream": streamRoutes(services.engine),
      },
      sites,
    });
    const stream = createStreamChannels(services.engine);
    const transcription = createTranscriptionChannel(
      database,
      channels.broadcast,
      logger.child({ component: "transcription" }),
    );
    router
      .channel(INGEST_TOPIC, createIngestChannel(services.ingest))
      .channel("events:*", createEventsChannel({ database, recent: services.recent }))
      .channel(STREAM_OVERLAYS_TOPIC, stream.overlays)
      .channel(STREAM_QUEUE_TOPIC, stream.queue)
      .channel("overlay:*", stream.overlay)
      .channel(TRANSCRIPTION_TOPIC, transcription)
      .channel(`${TRANSCRIPTION_SESSION_PREFIX}*`, transcription)
      .channel(DASHBOARD_TOPIC, createDashboardChannel(health));
    // Broadcasting to a topic nobody joined costs nothing: no encoding, no publish.
    healthPush = setInterval(
      () => channels.broadcast(DASHBOARD_TOPIC, HEALTH_UPDATE, health()),
      HEALTH_PUSH_MS,
    );
    server.reload({
      fetch(request, bunServer) {
        const misdirected = refuseHost(config, request);
        if (misdirected !== null) return misdirected;
        if (new URL(request.url).pathname === SOCKET_PATH) {
          return channels.upgrade(request, bunServer as Parameters<typeof channels.upgrade>[1]);
        }
        return api.fetch(request, bunServer);
      },
      websocket: channels.websocket as Bun.WebSocketHandler<unknown>,
    });
    lifecycle = "ready";
    logger.info({ url, engine: database.engine, migration: database.migration }, "hub ready");
  })();
  // A failed start is reported through `ready`; keep it from being an unhandled rejection here.
  ready.catch(() => {});

  function health(): HubHealth {
    const socketStats = channels.stats();
    const batch = services?.batcher.stats();
    const store = services?.store.stats();
    const stream = services?.engine.stats();
    // Degraded while events wait in the spool or cannot be spooled, or the stream state is shown
    // but not yet saved.
    const degraded =
      store?.spooling === true ||
      (store?.spoolError ?? null) !== null ||
      (stream?.saveError ?? null) !== null;
    return {
      status: degraded ? "degraded" : "ok",
      uptime_s: Math.round((performance.now() - startedAt) / 1000),
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
        refused_requests: refusedRequests(),
        windows: batch?.windows ?? 0,
        committed: batch?.committed ?? 0,
        duplicates: batch?.duplicates ?? 0,
        failed_windows: batch?.failedWindows ?? 0,
        pending_bytes: batch?.pendingBytes ?? 0,
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
      sockets: {
        connections: socketStats.connections,
        channels: socketStats.channels,
        dropped: socketStats.dropped,
        closed_slow: socketStats.closedSlow,
      },
    };
  }

  return {
    url,
    port,
    ready,
    health,
    stop() {
      stopping ??= (async () => {
        lifecycle = "stopping";
        logger.info("hub stopping");
        await ready.catch(() => {});
        clearInterval(healthPush);
        await services?.stop();
        channels.close();
        const grace = setTimeout(() => server.stop(true), STOP_GRACE_MS);
        await server.stop();
        clearTimeout(grace);
        await services?.closeDatabase();
        logger.info("hub stopped");
      })();
      return stopping;
    },
  };
}

interface Services {
  database: Database;
  batcher: Batcher;
  store: DurableStore;
  quarantine: Quarantine;
  recent: RecentEvents;
  engine: StreamEngine;
  ingest: ReturnType<typeof createIngest>;
  /** Stops the engine, commits pending events, drains the spool, stops retention. */
  stop(): Promise<void>;
  closeDatabase(): Promise<void>;
}

type Broadcast = (topic: string, event: string, payload: unknown) => void;

async function buildServices(
  config: HubConfig,
  logger: Logger,
  database: Database,
  options: HubOptions,
  broadcast: Broadcast,
): Promise<Services> {
  await applyRetentionPolicy(database, config.retentionDays);
  const spool = await Spool.open(join(config.dataDir, "spool"));
  const quarantine = await Quarantine.open(join(config.dataDir, "quarantine"));
  const store = new DurableStore({
    database,
    spool,
    quarantine,
    logger: logger.child({ component: "store" }),
  });
  const lastSeq = await startingSeq(database, spool);
  const recent = new RecentEvents(lastSeq);
  const fanout = createFanout(recent, broadcast);
  // The engine hears of committed events, and emits its own through ingest: bound late.
  let engine: StreamEngine | null = null;
  const batcher = new Batcher({
    store,
    lastSeq,
    windowMs: config.batchWindowMs,
    maxPending: config.maxPending,
    maxPendingBytes: config.maxPendingBytes,
    onCommit: (window) => {
      const envelopes = window.map(toEnvelope);
      fanout(envelopes);
      engine?.events(envelopes);
    },
    onError: (err, size) => logger.error({ err, size }, "event window not stored"),
  });
  const ingest = createIngest(batcher, logger.child({ component: "ingest" }));
  engine = await startEngine(database, ingest, broadcast, logger, options);
  const retention: Retention | null = database.timescale
    ? null
    : startRetention(database, config.retentionDays, logger.child({ component: "retention" }));
  return {
    database,
    batcher,
    store,
    quarantine,
    recent,
    engine,
    ingest,
    async stop() {
      await engine?.stop();
      await batcher.stop();
      await store.stop();
      await retention?.stop();
    },
    async closeDatabase() {
      if (options.database === undefined) await database.close();
    },
  };
}

function startEngine(
  database: Database,
  ingest: ReturnType<typeof createIngest>,
  broadcast: Broadcast,
  logger: Logger,
  options: HubOptions,
): Promise<StreamEngine> {
  const engineLogger = logger.child({ component: "stream" });
  return StreamEngine.start({
    config: { ...DEFAULT_ENGINE_CONFIG, ...options.stream },
    logger: engineLogger,
    scheduler: options.streamScheduler,
    store: {
      load: () => loadStreamState(database),
      save: (version, core) => saveStreamState(database, version, core),
    },
    loadEvent: async (id) => {
      const row = await eventById(database, id);
      return row === null ? null : rowToEnvelope(row);
    },
    listener: {
      state(stream, queue) {
        broadcast(STREAM_OVERLAYS_TOPIC, "stream_state", stream);
        broadcast(STREAM_QUEUE_TOPIC, "queue_state", queue);
      },
      takeover: (takeover) => broadcast(STREAM_OVERLAYS_TOPIC, "takeover", takeover),
      takeoverClear: (takeover) =>
        broadcast(STREAM_OVERLAYS_TOPIC, "takeover_clear", {
          id: takeover.id,
          type: takeover.type,
        }),
      emit(eventType, data) {
        ingest(
          { type: eventType, data },
          { source: "system", correlationId: Bun.randomUUIDv7() },
        ).catch((err: unknown) =>
          engineLogger.warn({ err, eventType }, "stream event not recorded"),
        );
      },
    },
  });
}

/**
 * Where numbering resumes. After a previous run, skip one window's worth of seqs: a hub killed
 * mid-write may still have a window in flight on the Postgres server, numbered just past what
 * this start can see, and the two must never collide.
 */
async function startingSeq(database: Database, spool: Spool): Promise<number> {
  const stored = Math.max(await maxEventSeq(database), spool.maxSeq);
  return stored === 0 ? 0 : stored + BATCHER_DEFAULTS.maxWindow;
}

async function connectWithRetry(
  config: HubConfig,
  logger: Logger,
  cancelled: () => boolean,
): Promise<Database> {
  for (let attempt = 1, wait: number = CONNECT_RETRY_MS.first; ; attempt++) {
    try {
      return await connect({ url: config.databaseUrl, dataDir: config.dataDir });
    } catch (err) {
      if (cancelled() || config.databaseUrl === null) throw err;
      const failure = classifyConnectError(err);
      if (failure.permanent) {
        throw new DatabaseConfigError(
          `the database refused the hub: ${failure.cause}. Check DATABASE_URL.`,
        );
      }
      logger.warn({ cause: failure.cause, attempt, retry_ms: wait }, "database not reachable yet");
      await Bun.sleep(wait);
      wait = Math.min(wait * 2, CONNECT_RETRY_MS.max);
    }
  }
}

/** The answer to API calls and socket upgrades before the database is ready. */
function startingUp(): Response {
  const err = new AppError(503, "starting", "the hub is starting; retry shortly");
  return Response.json(err.body(), { status: err.status, headers: { "retry-after": "1" } });
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
