/**
 * The Helix request core: one call with `Authorization: Bearer` and `Client-Id`, its answer parsed
 * with zod. A 401 asks the auth for a fresh token (`tokenRejected`) and is retried once with it.
 * Rate limits follow Twitch's `Ratelimit-Remaining` / `Ratelimit-Reset` (a Unix time in seconds):
 * with none left, the next call waits for the reset; a 429 waits for it and is retried a bounded
 * number of times. A refusal is a `HelixError` with Twitch's own status, error and message; no
 * answer at all (refused, reset, timed out) is a `TwitchUnreachableError`, which has no status.
 */
import type { Logger } from "@landale/logger";
import { z } from "zod";
import { TwitchUnreachableError } from "./failures";

/** How long one request may take before it is abandoned. */
export const HELIX_REQUEST_TIMEOUT_MS = 10_000;
/** 429s retried (each after the reset) before the refusal is thrown. */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** The longest wait for a rate-limit reset; Twitch's window is a minute. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** What the client needs from the sign-in: a token now, and a new one when Twitch refused it. */
export interface HelixAuth {
  accessToken(): Promise<string>;
  /** Twitch answered 401 to `token`: a fresh token to retry with, or null when there is none. */
  tokenRejected(token: string): Promise<string | null>;
}

export interface HelixOptions {
  /** Helix base URL without a trailing slash, e.g. `https://api.twitch.tv/helix`. */
  apiUrl: string;
  clientId: string;
  auth: HelixAuth;
  logger: Logger;
  fetch?: (request: Request) => Promise<Response>;
  /** Wall clock in ms (Ratelimit-Reset is a Unix time). */
  now?: () => number;
  /** Waits `ms`; injected by tests that check the waits rather than sit through them. */
  sleep?: (ms: number) => Promise<void>;
  /** How long one request may take (default `HELIX_REQUEST_TIMEOUT_MS`). */
  timeoutMs?: number;
}

/** Twitch refused a request (or answered something unreadable): its status, error and message. */
export class HelixError extends Error {
  readonly code = "twitch_api_error";
  constructor(
    /** Twitch's HTTP status (502 for an answer that did not parse). */
    readonly status: number,
    /** Twitch's `error`, e.g. "Bad Request". */
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = "HelixError";
  }
}

const ErrorBody = z.object({ error: z.string(), status: z.number(), message: z.string() });

export interface HelixCall {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface HelixRequest {
  /** The answer's JSON body, parsed with `schema`. */
  json<T extends z.ZodType>(call: HelixCall, schema: T): Promise<z.infer<T>>;
  /** A call answered without a body (204). */
  empty(call: HelixCall): Promise<void>;
}

export function createHelixRequest(options: HelixOptions): HelixRequest {
  const { apiUrl, clientId, auth, logger } = options;
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => Bun.sleep(ms));
  const timeoutMs = options.timeoutMs ?? HELIX_REQUEST_TIMEOUT_MS;
  /** When the rate-limit window resets, if the last answer said nothing is left. */
  let exhaustedUntil: number | null = null;

  const untilReset = (response: Response): number => {
    const reset = Number(response.headers.get("ratelimit-reset"));
    const wait = Number.isFinite(reset) && reset > 0 ? reset * 1000 - now() : 1000;
    return Math.min(MAX_RATE_LIMIT_WAIT_MS, Math.max(0, wait));
  };

  const noteRateLimit = (response: Response) => {
    const remaining = response.headers.get("ratelimit-remaining");
    exhaustedUntil =
      remaining !== null && Number(remaining) <= 0 ? now() + untilReset(response) : null;
  };

  const refusal = async (call: HelixCall, response: Response): Promise<HelixError> => {
    const body = ErrorBody.safeParse(await response.json().catch(() => null));
    if (body.success) return new HelixError(response.status, body.data.error, body.data.message);
    const what = `${call.method} ${call.path}`;
    return new HelixError(
      response.status,
      response.statusText,
      `Twitch answered ${what} with ${response.status}`,
    );
  };

  const attempt = async (call: HelixCall, token: string): Promise<Response> => {
    const url = new URL(`${apiUrl}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      "Client-Id": clientId,
    };
    if (call.body !== undefined) headers["Content-Type"] = "application/json";
    try {
      return await send(
        new Request(url.toString(), {
          method: call.method,
          headers,
          body: call.body === undefined ? null : JSON.stringify(call.body),
          signal: AbortSignal.timeout(timeoutMs),
        }),
      );
    } catch (err) {
      // Twitch said nothing: there is no status of Twitch's to report, only that it was not reached.
      const timedOut = err instanceof DOMException && err.name === "TimeoutError";
      const what = `${call.method} ${call.path}`;
      const reason = err instanceof Error ? err.message : String(err);
      throw new TwitchUnreachableError(
        timedOut
          ? `Twitch did not answer ${what} in time`
          : `Twitch could not be reached for ${what}: ${reason}`,
      );
    }
  };

  /** One call: waits out an exhausted window, retries a 429 after the reset and a 401 with a new token. */
  const request = async (call: HelixCall): Promise<Response> => {
    let token = await auth.accessToken();
    let renewed = false;
    for (let limited = 0; ; ) {
      if (exhaustedUntil !== null && exhaustedUntil > now()) await sleep(exhaustedUntil - now());
      const response = await attempt(call, token);
      noteRateLimit(response);
      if (response.status === 401 && !renewed) {
        renewed = true;
        const rejected = await refusal(call, response);
        const fresh = await auth.tokenRejected(token);
        if (fresh === null) throw rejected;
        token = fresh;
        continue;
      }
      if (response.status === 429 && limited < MAX_RATE_LIMIT_RETRIES) {
        limited += 1;
        const wait = untilReset(response);
        await response.body?.cancel();
        logger.warn(
          { path: call.path, waitMs: wait },
          "Twitch rate limit reached; waiting for the reset",
        );
        await sleep(wait);
        continue;
      }
      if (!response.ok) throw await refusal(call, response);
      return response;
    }
  };

  const json = async <T extends z.ZodType>(call: HelixCall, schema: T): Promise<z.infer<T>> => {
    const response = await request(call);
    const parsed = schema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) {
      throw new HelixError(
        502,
        "Bad Gateway",
        `Twitch answered ${call.method} ${call.path} with an unexpected body: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  };

  const empty = async (call: HelixCall): Promise<void> => {
    const response = await request(call);
    await response.body?.cancel();
  };

  return { json, empty };
}
