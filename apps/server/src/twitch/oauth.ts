/**
 * Twitch's OAuth service, as documented on dev.twitch.tv, under a configurable base URL:
 * `POST /device` and `POST /token` (device-code and refresh-token grants) with form bodies,
 * `GET /validate` with `Authorization: OAuth <token>`, `POST /revoke`. Every answer is parsed
 * with zod; a refusal carries Twitch's own message. Tokens travel only in bodies and headers,
 * never in a URL, and no error message repeats one.
 */
import { z } from "zod";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** A request to Twitch that takes longer than this is a network failure. */
export const OAUTH_TIMEOUT_MS = 10_000;

export const DeviceCodeAnswer = z.object({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.string().min(1),
  expires_in: z.number().int().positive(),
  interval: z.number().int().nonnegative(),
});
export type DeviceCodeAnswer = z.infer<typeof DeviceCodeAnswer>;

/** Twitch sends `scope` as an array; a missing one is no scopes. */
export const TokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullable().optional(),
  expires_in: z.number().int().nonnegative().nullable().optional(),
  scope: z
    .union([z.array(z.string()), z.string()])
    .nullable()
    .optional(),
  token_type: z.string().optional(),
});
export type TokenAnswer = z.infer<typeof TokenAnswer>;

/** An app access token has no user: no `login`, no `user_id`. */
export const Validation = z.object({
  client_id: z.string(),
  login: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  scopes: z.array(z.string()).nullable(),
  /** Seconds left; 0 for a token that does not expire. */
  expires_in: z.number().int().nonnegative(),
});
export type Validation = z.infer<typeof Validation>;

/** Twitch's error body: `{status, message}`, sometimes with `error`. */
const ErrorAnswer = z.object({
  status: z.number().optional(),
  message: z.string().optional(),
  error: z.string().optional(),
});

/**
 * `network`: Twitch was not reached or did not answer in time, or answered 5xx/429 (try later);
 * `refused`: Twitch said no (4xx), `message` is its reason; `protocol`: an answer of the wrong shape.
 */
export class TwitchOAuthError extends Error {
  constructor(
    readonly kind: "network" | "refused" | "protocol",
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "TwitchOAuthError";
  }
}

/**
 * One poll's answer. `expired`: the code ran out (`expired_token`). `invalid`: Twitch no longer
 * knows the code (`invalid device code`) — its answer once the user declined it at the activation
 * page, once it was used, or once it was forgotten after expiring.
 */
export type DevicePoll =
  | { status: "granted"; token: TokenAnswer }
  | { status: "pending" }
  | { status: "slow_down" }
  | { status: "expired" }
  | { status: "invalid" };

export interface OAuthOptions {
  authUrl: string;
  clientId: string;
  clientSecret: string | null;
  /** Aborts every request in flight (the owner stopping). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface OAuthClient {
  requestDeviceCode(scopes: readonly string[]): Promise<DeviceCodeAnswer>;
  pollDeviceCode(deviceCode: string, scopes: readonly string[]): Promise<DevicePoll>;
  refresh(refreshToken: string): Promise<TokenAnswer>;
  /** Null when Twitch says the token is not valid (401). */
  validate(accessToken: string): Promise<Validation | null>;
  revoke(token: string): Promise<void>;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Scopes as Twitch sends them (array or space-separated), as a sorted list. */
export function scopeList(scope: TokenAnswer["scope"]): string[] {
  const list = typeof scope === "string" ? scope.split(" ") : (scope ?? []);
  return [...new Set(list.filter((item) => item !== ""))].sort();
}

export function createOAuthClient(options: OAuthOptions): OAuthClient {
  const fetchImpl = options.fetch ?? fetch;
  const secret: Record<string, string> =
    options.clientSecret === null ? {} : { client_secret: options.clientSecret };

  async function call(path: string, init: RequestInit): Promise<Response> {
    const timeout = AbortSignal.timeout(OAUTH_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetchImpl(`${options.authUrl}${path}`, { ...init, signal });
    } catch (err) {
      const reason = (err as Error).name === "TimeoutError" ? "no answer in time" : errorText(err);
      throw new TwitchOAuthError(
        "network",
        null,
        `Twitch could not be reached (${path}): ${reason}`,
      );
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new TwitchOAuthError(
        "network",
        response.status,
        `Twitch (${path}) answered ${response.status}; it will be tried again`,
      );
    }
    return response;
  }

  const post = (path: string, form: Record<string, string>) =>
    call(path, { method: "POST", body: new URLSearchParams(form) });

  async function parsed<T>(path: string, response: Response, schema: z.ZodType<T>): Promise<T> {
    const body = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ErrorAnswer.safeParse(body);
      const message =
        (error.success && (error.data.message ?? error.data.error)) || "no reason given";
      throw new TwitchOAuthError("refused", response.status, message);
    }
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new TwitchOAuthError(
        "protocol",
        response.status,
        `Twitch (${path}) answered with an unexpected body: ${result.error.issues[0]?.path.join(".") || "(the body)"} ${result.error.issues[0]?.message ?? ""}`.trim(),
      );
    }
    return result.data;
  }

  return {
    async requestDeviceCode(scopes) {
      const form = { client_id: options.clientId, scopes: scopes.join(" ") };
      return parsed("/device", await post("/device", form), DeviceCodeAnswer);
    },

    async pollDeviceCode(deviceCode, scopes) {
      const form = {
        client_id: options.clientId,
        ...secret,
        scopes: scopes.join(" "),
        device_code: deviceCode,
        grant_type: DEVICE_CODE_GRANT,
      };
      try {
        return {
          status: "granted",
          token: await parsed("/token", await post("/token", form), TokenAnswer),
        };
      } catch (err) {
        if (!(err instanceof TwitchOAuthError) || err.kind !== "refused") throw err;
        if (err.message === "authorization_pending") return { status: "pending" };
        if (err.message === "slow_down") return { status: "slow_down" };
        if (err.message === "expired_token") return { status: "expired" };
        if (err.message === "invalid device code") return { status: "invalid" };
        throw err;
      }
    },

    async refresh(refreshToken) {
      const form = {
        client_id: options.clientId,
        ...secret,
        grant_type: "refresh_token",
        refresh_token: refreshToken,
      };
      return parsed("/token", await post("/token", form), TokenAnswer);
    },

    async validate(accessToken) {
      const response = await call("/validate", {
        headers: { Authorization: `OAuth ${accessToken}` },
      });
      if (response.status === 401) {
        await response.body?.cancel();
        return null;
      }
      return parsed("/validate", response, Validation);
    },

    async revoke(token) {
      const response = await post("/revoke", { client_id: options.clientId, token });
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      await parsed("/revoke", response, z.unknown());
    },
  };
}
