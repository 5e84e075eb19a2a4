/**
 * The hub, composed: one server for HTTP (Hono) and Phoenix channels on `/socket/websocket`. It
 * listens at once — `/health` answers, `/ready` says 503, the API and sockets 503 `starting` —
 * while the database connects (retrying until it answers) and migrates; then the services start,
 * the API and the channels are mounted and `/ready` says 200. `stop()` is the graceful shutdown:
 * refuse new events, commit what is pending, drain the spool if the database is there, close
 * every socket with 1001 so clients reconnect, stop the server, close the database.
 */
import { createChannelServer, createRouter } from "@landale/channels";
import type { Database } from "@landale/db";
import type { Logger } from "@landale/logger";
import {
  CONTEXTS_LIVE,
  DASHBOARD,
  DASHBOARD_SERVICES,
  EVENTS,
  type HubHealth,
  INGEST,
  OVERLAY,
  STREAM_OVERLAYS,
  STREAM_QUEUE,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_SESSION,
} from "@landale/shared";
import { authenticateToken, isAllowedOrigin, type Principal } from "./auth";
import { createContextsChannel } from "./channels/contexts";
import {
  createDashboardChannel,
  startHealthPush,
  startIntegrationPush,
} from "./channels/dashboard";
import { startObsStatsPush } from "./channels/dashboard-obs";
import { createServicesChannel, startServicesPush } from "./channels/dashboard-workers";
import { createEventsChannel } from "./channels/events";
import { createIngestChannel } from "./channels/ingest";
import { createStreamChannels } from "./channels/stream";
import { createTranscriptionChannel } from "./channels/transcription";
import type { HubConfig } from "./config";
import { connectWithRetry } from "./database";
import { healthReport } from "./health";
import { activityRoutes } from "./http/activity";
import { createHttpApp, type Lifecycle } from "./http/app";
import { contextRoutes } from "./http/contexts";
import { eventRoutes } from "./http/events";
import { healthRoutes } from "./http/health";
import { ironmonRoutes } from "./http/ironmon";
import { obsRoutes } from "./http/obs";
import { rainwaveRoutes } from "./http/rainwave";
import { staticSite } from "./http/static";
import { streamRoutes } from "./http/stream";
import { transcriptionRoutes } from "./http/transcriptions";
import { twitchRoutes } from "./http/twitch";
import { eventSubWebhookRoutes } from "./http/twitch-webhook";
import { systemScheduler } from "./scheduler";
import { listen, SOCKET_PATH } from "./server";
import { type ServiceOptions, type Services, startServices } from "./services";
import type { WorkerSupervisor } from "./workers/supervisor";

export interface Hub {
  /** Base URL, e.g. `http://127.0.0.1:7175`. */
  readonly url: string;
  readonly port: number;
  /** Resolves once the database is connected and migrated and the hub answers `/ready` with 200. */
  readonly ready: Promise<void>;
  health(): HubHealth;
  stop(): Promise<void>;
}

export interface HubOptions extends ServiceOptions {
  /** An open database to use instead of connecting (tests share one); the hub will not close it. */
  database?: Database;
  /** Overrides for tests: a shorter idle timeout, smaller limits. */
  channels?: { idleTimeoutMs?: number; maxFrameBytes?: number; backpressureLimit?: number };
  /** Where the built overlays are (default: `apps/overlays/dist`). */
  overlaysDir?: string;
  /** Where the built dashboard is (default: `apps/dashboard/dist`). */
  dashboardDir?: string;
  /** The workers the hub supervises (`main.ts` starts them), for the dashboard's Services view. */
  workers?: WorkerSupervisor;
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
  let services: Services | null = null;
  let stopping: Promise<void> | null = null;
  let stopPushes = () => {};
  let refusedRequests = () => 0;
  const startedAt = performance.now();

  // Channels are added once the database is ready; no socket is upgraded before then.
  const router = createRouter<Principal>();
  const channels = createChannelServer<Principal>({
    router,
    logger: logger.child({ component: "channels" }),
    authenticate: ({ token }) => authenticateToken(config, token),
    checkOrigin: (origin, request) => isAllowedOrigin(config, origin, request),
    ...options.channels,
  });
  const health = () =>
    healthReport({
      startedAt,
      config,
      sockets: () => channels.stats(),
      services: () => services,
      refusedRequests: () => refusedRequests(),
      twitch: () => services?.twitch.status() ?? null,
      obs: () => services?.obs.status() ?? null,
      rainwave: () => services?.rainwave.status() ?? null,
      ironmon: () => services?.ironmon.status() ?? null,
      workers: () => options.workers?.status() ?? null,
    });

  const sites = {
    "/overlays": staticSite(options.overlaysDir ?? DEFAULT_OVERLAYS_DIR, "overlays"),
    "/dashboard": staticSite(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR, "dashboard", {
      spa: true,
    }),
  };
  const starting = createHttpApp({ logger, lifecycle: () => lifecycle, auth: config, sites });
  const websocket = channels.websocket as Bun.WebSocketHandler<unknown>;
  const server = listen(config, websocket, (request, bunServer) =>
    starting.fetch(request, bunServer),
  );

  const ready = (async () => {
    const database =
      options.database ?? (await connectWithRetry(config, logger, () => stopping !== null));
    // The real port (configured as 0 in tests): OBS's browser sources are matched against it.
    const listening = { ...config, port: server.port };
    services = await startServices(listening, logger, database, channels.broadcast, options);
    const { pipeline, engine, twitch, obs, rainwave, ironmon } = services;
    const workers = options.workers ?? null;
    const events = eventRoutes(pipeline.ingest, {
      admission: pipeline.admission,
      turns: pipeline.turns,
    });
    const webhook =
      config.twitchEventSubSecret === null
        ? null
        : eventSubWebhookRoutes(
            config.twitchEventSubSecret,
            pipeline.ingest,
            pipeline.admission,
            logger.child({ component: "twitch-webhook" }),
          );
    refusedRequests = () => events.refused() + (webhook?.refused() ?? 0);
    const app = createHttpApp({
      logger,
      lifecycle: () => lifecycle,
      auth: config,
      api: {
        "/events": events,
        "/activity": activityRoutes(database),
        "/health": healthRoutes(health, pipeline.quarantine),
        "/stream": streamRoutes(engine),
        "/twitch": twitchRoutes(twitch),
        "/obs": obsRoutes(obs),
        "/rainwave": rainwaveRoutes(rainwave),
        "/ironmon": ironmonRoutes(ironmon),
        "/transcriptions": transcriptionRoutes(database),
        "/contexts": contextRoutes(database),
        // Without a secret the path is not served: 404, as Twitch could never be verified.
        ...(webhook === null ? {} : { "/twitch/eventsub": webhook }),
      },
      sites,
    });
    const stream = createStreamChannels(engine);
    const transcription = createTranscriptionChannel(
      database,
      channels.broadcast,
      logger.child({ component: "transcription" }),
    );
    router
      .channel(
        INGEST.name,
        createIngestChannel(pipeline.ingest, {
          admission: pipeline.admission,
          turns: pipeline.turns,
        }),
      )
      .channel(EVENTS.pattern, createEventsChannel({ database, recent: pipeline.recent }))
      .channel(STREAM_OVERLAYS.name, stream.overlays)
      .channel(STREAM_QUEUE.name, stream.queue)
      .channel(OVERLAY.pattern, stream.overlay)
      .channel(TRANSCRIPTION_LIVE.name, transcription)
      .channel(TRANSCRIPTION_SESSION.pattern, transcription)
      .channel(
        CONTEXTS_LIVE.name,
        createContextsChannel(
          database,
          channels.broadcast,
          logger.child({ component: "contexts" }),
        ),
      )
      .channel(
        DASHBOARD.name,
        createDashboardChannel(health, { twitch, obs, rainwave, ironmon, workers }),
      )
      .channel(DASHBOARD_SERVICES.name, createServicesChannel(workers));
    const pushes = [
      startHealthPush(channels.broadcast, health),
      startIntegrationPush(channels.broadcast, { twitch, obs, rainwave, ironmon, workers }),
      startServicesPush(channels.broadcast, workers),
      startObsStatsPush({
        broadcast: channels.broadcast,
        subscribers: (topic) => channels.subscribers(topic),
        obs,
        scheduler: options.obs?.statsScheduler ?? systemScheduler,
        logger: logger.child({ component: "obs" }),
      }),
    ];
    stopPushes = () => {
      for (const stop of pushes) stop();
    };
    server.serve((request, bunServer) =>
      new URL(request.url).pathname === SOCKET_PATH
        ? channels.upgrade(request, bunServer as Parameters<typeof channels.upgrade>[1])
        : app.fetch(request, bunServer),
    );
    lifecycle = "ready";
    logger.info(
      { url: server.url, engine: database.engine, migration: database.migration },
      "hub ready",
    );
  })();
  // A failed start is reported through `ready`; keep it from being an unhandled rejection here.
  ready.catch(() => {});

  return {
    url: server.url,
    port: server.port,
    ready,
    health,
    stop() {
      stopping ??= (async () => {
        lifecycle = "stopping";
        logger.info("hub stopping");
        await ready.catch(() => {});
        stopPushes();
        await services?.stop();
        channels.close();
        await server.stop();
        if (options.database === undefined) await services?.database.close();
        logger.info("hub stopped");
      })();
      return stopping;
    },
  };
}
