/**
 * The hub's REST API as the dashboard uses it: every request carries the control token (when
 * there is one), every answer is parsed with its `@landale/shared` schema, and every refusal
 * becomes an `ApiError` with the hub's `{code, message, details}`. A 401 is reported to
 * `onUnauthorized` too, so a token the hub stops accepting sends the streamer back to sign-in.
 */
import {
  ActivityPage,
  ActivityStats,
  ContextPage,
  ErrorBody,
  type EventInput,
  HubHealth,
  IngestResponse,
  QuarantineList,
  TranscriptionSearchResults,
  TwitchStatus,
  type TwitchTokenInput,
} from "@landale/shared";
import type { z } from "zod";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A request that never reached the hub (it is down, or the network is). */
export const UNREACHABLE = "unreachable";

export interface ApiOptions {
  /** Origin and prefix of the API, "" for the page's own origin. */
  base?: string;
  token: string | null;
  fetch?: typeof fetch;
  onUnauthorized?: () => void;
}

export interface Api {
  health(): Promise<HubHealth>;
  /** The events the database refused while the spool drained (the most recent, newest first). */
  quarantine(): Promise<QuarantineList>;
  activity(params: URLSearchParams): Promise<ActivityPage>;
  stats(since?: Date, until?: Date): Promise<ActivityStats>;
  ingest(events: EventInput | EventInput[]): Promise<IngestResponse>;
  /** Hands the hub a Twitch grant minted elsewhere (the Twitch CLI); the hub validates it at Twitch. */
  twitchToken(input: TwitchTokenInput): Promise<TwitchStatus>;
  /** Stored transcriptions matching `q` (web-search syntax), best match first. */
  searchTranscriptions(q: string): Promise<TranscriptionSearchResults>;
  /** Stored stream contexts, newest window first. */
  contexts(limit: number): Promise<ContextPage>;
}

export function createApi(options: ApiOptions): Api {
  const base = options.base ?? "";
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function request<S extends z.ZodType>(
    path: string,
    schema: S,
    init: RequestInit = {},
  ): Promise<z.infer<S>> {
    const headers = new Headers(init.headers);
    if (options.token !== null) headers.set("authorization", `Bearer ${options.token}`);
    // The hub takes writes only as JSON, with a body or without (no page elsewhere can send that
    // without asking first).
    if ((init.method ?? "GET") !== "GET") headers.set("content-type", "application/json");
    let response: Response;
    try {
      response = await doFetch(`${base}/api${path}`, { ...init, headers });
    } catch (err) {
      throw new ApiError(0, UNREACHABLE, `the hub did not answer (${describe(err)})`);
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      if (response.status === 401) options.onUnauthorized?.();
      const error = ErrorBody.safeParse(body);
      throw error.success
        ? new ApiError(response.status, error.data.code, error.data.message, error.data.details)
        : new ApiError(response.status, "http_error", `the hub answered ${response.status}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(response.status, "invalid_response", `unexpected answer from ${path}`);
    }
    return parsed.data;
  }

  return {
    health: () => request("/health", HubHealth),
    quarantine: () => request("/health/quarantine", QuarantineList),
    activity: (params) => request(`/activity/events?${params}`, ActivityPage),
    stats(since, until) {
      const params = new URLSearchParams();
      if (since) params.set("since", since.toISOString());
      if (until) params.set("until", until.toISOString());
      return request(`/activity/stats?${params}`, ActivityStats);
    },
    ingest: (events) =>
      request("/events", IngestResponse, {
        method: "POST",
        body: JSON.stringify(events),
      }),
    twitchToken: (input) =>
      request("/twitch/token", TwitchStatus, { method: "POST", body: JSON.stringify(input) }),
    searchTranscriptions: (q) =>
      request(`/transcriptions/search?${new URLSearchParams({ q })}`, TranscriptionSearchResults),
    contexts: (limit) =>
      request(`/contexts?${new URLSearchParams({ limit: String(limit) })}`, ContextPage),
  };
}

/** What the hub says about a token, for sign-in. */
export type Access =
  | { kind: "granted" }
  | { kind: "token_required" }
  | { kind: "refused"; message: string }
  | { kind: "unreachable"; message: string };

/**
 * Asks `GET /api/health` whether `token` (or none) gets in. No token and a 401 means the hub
 * wants one; a token and a 401 or 403 means it is the wrong one.
 */
export async function checkAccess(
  token: string | null,
  options: Omit<ApiOptions, "token"> = {},
): Promise<Access> {
  const api = createApi({ ...options, token });
  try {
    await api.health();
    return { kind: "granted" };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 401 && token === null) return { kind: "token_required" };
    if (err.status === 401) {
      return {
        kind: "refused",
        message: "The hub did not accept that token. Check LANDALE_TOKEN on the hub and try again.",
      };
    }
    if (err.status === 403) {
      return {
        kind: "refused",
        message:
          "That token only allows read-only overlays. The dashboard needs the control token (LANDALE_TOKEN).",
      };
    }
    return {
      kind: "unreachable",
      message:
        err.code === UNREACHABLE
          ? "The hub is not answering. It may be starting or restarting."
          : `The hub answered ${err.status} ${err.code}: ${err.message}`,
    };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
