/**
 * The hub's configuration, read once from the environment (Bun loads `.env`) and validated.
 * A bad value stops start-up with a message naming the variable and what it expects.
 */
import { LOG_LEVELS } from "@landale/logger";
import { z } from "zod";
import { baseUrl, commaList, hostList, optionalSecret, optionalString } from "./env-values";
import { issuesOf } from "./errors";
import { CategoryShow } from "./stream/config";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

export const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(7175),
    HOST: z.string().min(1).default("127.0.0.1"),
    LANDALE_TOKEN: optionalSecret,
    LANDALE_OVERLAY_TOKEN: optionalSecret,
    LANDALE_ALLOWED_ORIGINS: commaList,
    LANDALE_ALLOWED_HOSTS: hostList,
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    DATABASE_URL: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value === "" ? null : value))
      .refine(
        (value) => value === null || /^postgres(ql)?:\/\//.test(value),
        "must be a postgres:// or postgresql:// URL",
      ),
    LANDALE_DATA_DIR: z.string().min(1).default("./data"),
    LANDALE_BATCH_WINDOW_MS: z.coerce.number().int().min(1).max(1000).default(50),
    LANDALE_MAX_PENDING: z.coerce.number().int().min(1000).max(10_000_000).default(20_000),
    LANDALE_MAX_PENDING_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .max(4 * 1024 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    LANDALE_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
    // The stream engine: OBS scenes (names, comma-separated) on which the omnibar hides.
    LANDALE_OMNIBAR_HIDDEN_SCENES: commaList,
    // Twitch categories (id or name) → show, on top of the defaults: "13332=ironmon, Chess=talk".
    LANDALE_CATEGORY_SHOWS: commaList.pipe(z.array(CategoryShow)),
    TWITCH_EVENTSUB_SECRET: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value === "" ? null : value))
      .refine(
        (value) => value === null || (value.length >= 10 && value.length <= 100),
        "must be 10 to 100 characters (Twitch's rule for an EventSub secret)",
      ),
    TWITCH_CLIENT_ID: optionalString.refine(
      (value) => value === null || /^[A-Za-z0-9]{1,100}$/.test(value),
      "must be the Client ID of a Twitch application (letters and digits)",
    ),
    TWITCH_CLIENT_SECRET: optionalString,
    TWITCH_AUTH_URL: baseUrl(["https", "http"], "https://id.twitch.tv/oauth2"),
    TWITCH_API_URL: baseUrl(["https", "http"], "https://api.twitch.tv/helix"),
    TWITCH_EVENTSUB_WS_URL: baseUrl(["wss", "ws"], "wss://eventsub.wss.twitch.tv/ws"),
    LANDALE_SECRET_KEY: optionalString.refine(
      (value) => value === null || value.length >= 16,
      "must be 32 bytes as base64 or hex, or a passphrase of at least 16 characters",
    ),
    OBS_WEBSOCKET_URL: baseUrl(["ws", "wss"], "ws://127.0.0.1:4455"),
    OBS_WEBSOCKET_PASSWORD: optionalString,
    OBS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    RAINWAVE_USER_ID: optionalString.refine(
      (value) => value === null || /^\d{1,12}$/.test(value),
      "must be your numeric Rainwave user id (rainwave.cc/keys)",
    ),
    RAINWAVE_API_KEY: optionalString,
    RAINWAVE_STATION: z.coerce.number().int().min(1).max(5).default(3),
    RAINWAVE_API_URL: baseUrl(["https", "http"], "https://rainwave.cc/api4"),
    // The IronMON tracker's TCP ingest: loopback unless told, as it takes no token.
    LANDALE_TCP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    LANDALE_TCP_HOST: z.string().min(1).default("127.0.0.1"),
    LANDALE_TCP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1024).default(16),
    // The workers' token (the `worker` scope); `bun start` generates one when unset.
    LANDALE_WORKER_TOKEN: optionalSecret,
    LANDALE_EXIT_WITH_PARENT: z
      .enum(["", "0", "1", "false", "true"])
      .default("")
      .transform((value) => value === "1" || value === "true"),
  })
  .superRefine((env, ctx) => {
    if (!LOOPBACK_HOSTS.has(env.HOST) && env.LANDALE_TOKEN === null) {
      ctx.addIssue({
        code: "custom",
        path: ["LANDALE_TOKEN"],
        message: `is required when HOST is "${env.HOST}" (not loopback): anyone who can reach the hub could control it`,
      });
    }
    const worker = env.LANDALE_WORKER_TOKEN;
    if (worker !== null && (worker === env.LANDALE_TOKEN || worker === env.LANDALE_OVERLAY_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["LANDALE_WORKER_TOKEN"],
        message:
          "must differ from LANDALE_TOKEN and LANDALE_OVERLAY_TOKEN (a token stands for one scope)",
      });
    }
    if (env.TWITCH_CLIENT_SECRET !== null && env.TWITCH_CLIENT_ID === null) {
      ctx.addIssue({
        code: "custom",
        path: ["TWITCH_CLIENT_ID"],
        message: "is required when TWITCH_CLIENT_SECRET is set (the secret belongs to a Client ID)",
      });
    }
  });

/** The Twitch application and the base URLs of Twitch's services (a fake's, in tests). */
export interface TwitchConfig {
  /** The application's Client ID; null leaves the integration off (`not_configured`). */
  clientId: string | null;
  /** Only for a confidential application; the device flow of a public one needs none. */
  clientSecret: string | null;
  /** OAuth (`/device`, `/token`, `/validate`, `/revoke`), e.g. `https://id.twitch.tv/oauth2`. */
  authUrl: string;
  /** Helix, e.g. `https://api.twitch.tv/helix`. */
  apiUrl: string;
  /** The EventSub WebSocket, e.g. `wss://eventsub.wss.twitch.tv/ws`. */
  eventSubWsUrl: string;
}

/** Where the IronMON tracker's TCP ingest listens, and how many connections it keeps. */
export interface IronmonConfig {
  /** `LANDALE_TCP_PORT` (8080); 0 picks a free one (tests). */
  port: number;
  /** `LANDALE_TCP_HOST` (127.0.0.1): the port takes no token, so loopback unless chosen. */
  host: string;
  maxConnections: number;
}

/** Where obs-websocket listens and how long a request to it may take. */
export interface ObsConfig {
  /** obs-websocket's URL, e.g. `ws://127.0.0.1:4455`; the hub keeps trying while OBS is closed. */
  url: string;
  /** The password of OBS → Tools → WebSocket Server Settings; null when authentication is off. */
  password: string | null;
  /** How long a request may wait for OBS's answer before it is answered 504 `obs_timeout`. */
  requestTimeoutMs: number;
}

export interface Config {
  port: number;
  host: string;
  /** The control token (dashboard, ingest, commands); null leaves a loopback-only hub open. */
  token: string | null;
  /** The read-only token for OBS browser sources. */
  overlayToken: string | null;
  /**
   * Extra origins (besides the hub's own) whose pages may use the API and sockets; `*` allows any
   * but `null` (sandboxed and `file:` pages), which must be listed itself.
   */
  allowedOrigins: string[];
  /** Host names the hub answers to besides loopback and `host` (e.g. a Tailscale name). */
  allowedHosts: string[];
  logLevel: (typeof LOG_LEVELS)[number];
  /** Postgres/TimescaleDB URL; null runs embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  /** PGlite's files and the event spool. */
  dataDir: string;
  batchWindowMs: number;
  maxPending: number;
  /** Bound on the pending events' size in bytes (their JSON, as validation measured it). */
  maxPendingBytes: number;
  retentionDays: number;
  /** OBS program scenes on which the omnibar hides (`LANDALE_OMNIBAR_HIDDEN_SCENES`); any case. */
  omnibarHiddenScenes: string[];
  /** Extra category → show entries (`LANDALE_CATEGORY_SHOWS`); an all-digit category is an id. */
  categoryShows: { category: string; show: string }[];
  /**
   * The secret Twitch signs EventSub webhook messages with; null leaves `/api/twitch/eventsub`
   * unmounted (404).
   */
  twitchEventSubSecret: string | null;
  twitch: TwitchConfig;
  /**
   * The key that seals stored Twitch grants (`LANDALE_SECRET_KEY`); null uses the one generated
   * once into `<dataDir>/secret.key` (`src/twitch/secret-key.ts`).
   */
  secretKey: string | null;
  obs: ObsConfig;
  /** Rainwave's `info` API; no user id or key leaves the integration off (`unconfigured`). */
  rainwave: {
    userId: string | null;
    apiKey: string | null;
    station: 1 | 2 | 3 | 4 | 5;
    apiUrl: string;
  };
  ironmon: IronmonConfig;
  /** Exit when the process that started the hub dies (`bun start` sets it), never outlive it. */
  exitWithParent: boolean;
  /** The workers' token (`worker` scope: ingest, transcriptions, reads; no control). */
  workerToken: string | null;
}

/** What the hub itself reads; the log level and the parent watch are the process's (`main.ts`). */
export type HubConfig = Omit<Config, "logLevel" | "exitWithParent">;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      issuesOf(parsed.error).map(({ path: name, message }) => {
        const value = env[name];
        const secret =
          name.endsWith("TOKEN") ||
          name.endsWith("SECRET") ||
          name.endsWith("KEY") ||
          name.endsWith("PASSWORD") ||
          name === "DATABASE_URL";
        const shown = value === undefined || secret ? "" : ` (got "${value}")`;
        return `${name}: ${message}${shown}`;
      }),
    );
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    token: values.LANDALE_TOKEN,
    overlayToken: values.LANDALE_OVERLAY_TOKEN,
    allowedOrigins: values.LANDALE_ALLOWED_ORIGINS,
    allowedHosts: values.LANDALE_ALLOWED_HOSTS,
    logLevel: values.LOG_LEVEL,
    databaseUrl: values.DATABASE_URL,
    dataDir: values.LANDALE_DATA_DIR,
    batchWindowMs: values.LANDALE_BATCH_WINDOW_MS,
    maxPending: values.LANDALE_MAX_PENDING,
    maxPendingBytes: values.LANDALE_MAX_PENDING_BYTES,
    retentionDays: values.LANDALE_RETENTION_DAYS,
    omnibarHiddenScenes: values.LANDALE_OMNIBAR_HIDDEN_SCENES,
    categoryShows: values.LANDALE_CATEGORY_SHOWS,
    twitchEventSubSecret: values.TWITCH_EVENTSUB_SECRET,
    twitch: {
      clientId: values.TWITCH_CLIENT_ID,
      clientSecret: values.TWITCH_CLIENT_SECRET,
      authUrl: values.TWITCH_AUTH_URL,
      apiUrl: values.TWITCH_API_URL,
      eventSubWsUrl: values.TWITCH_EVENTSUB_WS_URL,
    },
    secretKey: values.LANDALE_SECRET_KEY,
    obs: {
      url: values.OBS_WEBSOCKET_URL,
      password: values.OBS_WEBSOCKET_PASSWORD,
      requestTimeoutMs: values.OBS_REQUEST_TIMEOUT_MS,
    },
    rainwave: {
      userId: values.RAINWAVE_USER_ID,
      apiKey: values.RAINWAVE_API_KEY,
      station: values.RAINWAVE_STATION as 1 | 2 | 3 | 4 | 5,
      apiUrl: values.RAINWAVE_API_URL,
    },
    ironmon: {
      port: values.LANDALE_TCP_PORT,
      host: values.LANDALE_TCP_HOST,
      maxConnections: values.LANDALE_TCP_MAX_CONNECTIONS,
    },
    exitWithParent: values.LANDALE_EXIT_WITH_PARENT,
    workerToken: values.LANDALE_WORKER_TOKEN,
  };
}
