/**
 * The sign-in's words and rules, pure: the problems the dashboard shows (what happened, what to
 * do), the errors its callers get, what a validated token becomes, when it is next checked —
 * and `shared`, which lets concurrent callers share one request in flight.
 */
import type { TwitchProblem } from "@landale/shared";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../errors";
import { scopeList, type TokenAnswer, TwitchOAuthError, type Validation } from "./oauth";
import { TokenStoreError, type TwitchGrant } from "./token-store";

/** Twitch requires a validation at start-up and hourly. */
export const VALIDATE_INTERVAL_MS = 60 * 60 * 1000;
/** An access token with less than this left is renewed before it is handed out. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000;
/** After Twitch (or the database) could not be reached: first retry, doubling up to the last. */
export const RETRY_FIRST_MS = 15_000;
export const RETRY_MAX_MS = 5 * 60 * 1000;

const SIGN_IN_AGAIN = "Sign in again from the dashboard's Twitch view.";

export type TwitchAuthErrorCode =
  | "not_configured"
  | "not_signed_in"
  | "grant_invalid"
  | "token_invalid"
  | "not_user_token"
  | "client_mismatch"
  | "twitch_unreachable"
  | "twitch_refused"
  | "store_unavailable"
  | "stopped";

const STATUS: Record<TwitchAuthErrorCode, ContentfulStatusCode> = {
  not_configured: 409,
  not_signed_in: 409,
  grant_invalid: 409,
  token_invalid: 422,
  not_user_token: 422,
  client_mismatch: 422,
  twitch_unreachable: 502,
  twitch_refused: 502,
  store_unavailable: 503,
  stopped: 503,
};

/** What a caller of `TwitchAuth` gets when it cannot have what it asked for. */
export class TwitchAuthError extends AppError {
  declare readonly code: TwitchAuthErrorCode;
  constructor(code: TwitchAuthErrorCode, message: string) {
    super(STATUS[code], code, message);
    this.name = "TwitchAuthError";
  }
}

export const authErrors = {
  stopped: () => new TwitchAuthError("stopped", "The hub is stopping."),
  notConfigured: () =>
    new TwitchAuthError(
      "not_configured",
      "Twitch is not configured: set TWITCH_CLIENT_ID (docs/TWITCH.md).",
    ),
  tokenInvalid: () =>
    new TwitchAuthError(
      "token_invalid",
      "Twitch does not accept this token: it expired, was revoked, or is not a Twitch token.",
    ),
  clientMismatch: (clientId: string) =>
    new TwitchAuthError(
      "client_mismatch",
      `The token was issued to another application (client id ${clientId}); mint it with the ` +
        "hub's TWITCH_CLIENT_ID.",
    ),
};

/** Why no token can be handed out, by the grant's state. */
export function noToken(
  state: "connected" | "invalid" | null,
  hasGrant: boolean,
  problem: TwitchProblem | null,
): TwitchAuthError {
  if (state === "invalid") {
    return new TwitchAuthError("grant_invalid", problem?.message ?? "The Twitch grant is invalid.");
  }
  if (!hasGrant) {
    return new TwitchAuthError(
      "not_signed_in",
      "No Twitch account is signed in: sign in from the dashboard's Twitch view.",
    );
  }
  const reason = problem?.message ?? "The Twitch token expired and was not renewed.";
  return new TwitchAuthError("twitch_unreachable", reason);
}

/** A failure of Twitch's OAuth service, as the caller of `TwitchAuth` sees it. */
export function asAuthError(err: unknown): unknown {
  if (!(err instanceof TwitchOAuthError)) return err;
  return err.kind === "refused"
    ? new TwitchAuthError("twitch_refused", `Twitch refused: ${err.message}.`)
    : new TwitchAuthError("twitch_unreachable", err.message);
}

export const problems = {
  grantRevoked: (reason: string): TwitchProblem => ({
    code: "grant_revoked",
    message: `Twitch no longer accepts the hub's grant (${reason}): it was revoked, or the app was disconnected.`,
    action: SIGN_IN_AGAIN,
  }),
  tokenExpired: (): TwitchProblem => ({
    code: "token_expired",
    message: "The Twitch token expired and came without a refresh token, so it cannot be renewed.",
    action: SIGN_IN_AGAIN,
  }),
  missingScopes: (missing: readonly string[]): TwitchProblem => ({
    code: "missing_scopes",
    message: `The grant lacks ${missing.length === 1 ? "a scope" : "scopes"} the hub needs: ${missing.join(", ")}.`,
    action: `${SIGN_IN_AGAIN.slice(0, -1)} to grant them.`,
  }),
  /** `err` from the OAuth client says what was not reached, and why; anything else is wrapped. */
  unreachable: (err: unknown): TwitchProblem => ({
    code: "twitch_unreachable",
    message: sentence(
      err instanceof TwitchOAuthError
        ? err.message
        : `Twitch could not be reached: ${errorText(err)}`,
    ),
    action: "Nothing to do: the hub tries again. Check the hub's network if it lasts.",
  }),
  secretKeyChanged: (detail: string): TwitchProblem => ({
    code: "secret_key_changed",
    message: detail,
    action:
      "Restore the previous LANDALE_SECRET_KEY (or LANDALE_DATA_DIR/secret.key) and restart the hub, " +
      "or sign in again from the dashboard's Twitch view to replace the stored grant.",
  }),
  grantDamaged: (detail: string): TwitchProblem => ({
    code: "grant_damaged",
    message: detail,
    action: SIGN_IN_AGAIN,
  }),
  signInFailed: (detail: string): TwitchProblem => ({
    code: "device_sign_in_failed",
    message: `The sign-in could not be completed: ${detail}.`,
    action: "Start the sign-in again from the dashboard's Twitch view.",
  }),
  storeUnavailable: (detail: string): TwitchProblem => ({
    code: "store_unavailable",
    message: `The stored Twitch grant could not be read or written: ${detail}.`,
    action: "Nothing to do if the database comes back: the hub tries again.",
  }),
  /** Why the stored grant was not loaded: its key changed, it is damaged, or the store is away. */
  notLoaded: (err: unknown): TwitchProblem => {
    if (!(err instanceof TokenStoreError)) return problems.storeUnavailable(errorText(err));
    return err.code === "secret_key_changed"
      ? problems.secretKeyChanged(err.message)
      : problems.grantDamaged(err.message);
  },
};

export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted);
  return [...new Set(required)].filter((scope) => !have.has(scope)).sort();
}

/** `text` ending as a sentence does (a full stop added unless it ends with one, or ? or !). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** An error's words for a log line or a problem: the driver's own when a query wrapper adds its text. */
export function errorText(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** The wait before retry number `failures` (1, 2, …) after Twitch could not be reached. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
}

/**
 * When to renew a token that expires at `expiresAt`: `REFRESH_AHEAD_MS` before, or half its
 * `lifetime` before when that is shorter (a short-lived token is not renewed on every use).
 */
export function renewAtOf(expiresAt: number | null, lifetime: number | null): number | null {
  if (expiresAt === null) return null;
  return (
    expiresAt - Math.min(REFRESH_AHEAD_MS, lifetime === null ? REFRESH_AHEAD_MS : lifetime / 2)
  );
}

/**
 * When a connected grant is next looked at: its hourly validation, or its renewal — or, without a
 * refresh token, when it expires (to find it dead). Never before `now`.
 */
export function nextCheckAt(
  now: number,
  validatedAt: number | null,
  grant: { expiresAt: number | null; refreshToken: string | null },
  renewAt: number | null,
): number {
  const validate = validatedAt === null ? now : validatedAt + VALIDATE_INTERVAL_MS;
  const renew = grant.refreshToken === null ? grant.expiresAt : renewAt;
  return Math.max(now, Math.min(validate, renew ?? Number.POSITIVE_INFINITY));
}

/** The grant a token Twitch just validated makes; refused when it is not a user's token. */
export function grantOf(
  validation: Validation,
  tokens: { accessToken: string; refreshToken: string | null; scope: TokenAnswer["scope"] },
  now: number,
): TwitchGrant {
  if (validation.user_id === undefined || validation.login === undefined) {
    throw new TwitchAuthError(
      "not_user_token",
      "This is an app access token; the hub needs a user's (sign in, or `twitch token -u`).",
    );
  }
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    scopes: scopeList(validation.scopes ?? tokens.scope),
    expiresAt: validation.expires_in > 0 ? now + validation.expires_in * 1000 : null,
    userId: validation.user_id,
    login: validation.login,
  };
}

/**
 * When the grant keeper's one timer fires next: soon after a failure (backoff), else at the grant's
 * next check; null when there is nothing to do (no usable grant).
 */
export function nextWakeAt(
  now: number,
  keeper: {
    loaded: boolean;
    grant: { expiresAt: number | null; refreshToken: string | null } | null;
    retrying: boolean;
    failures: number;
    validatedAt: number | null;
    renewAt: number | null;
  },
): number | null {
  if (!keeper.loaded || (keeper.grant !== null && keeper.retrying)) {
    return now + retryDelay(Math.max(1, keeper.failures));
  }
  if (keeper.grant === null) return null;
  return nextCheckAt(now, keeper.validatedAt, keeper.grant, keeper.renewAt);
}

/** `run`, with concurrent callers sharing the call in flight. */
export function shared<T>(run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
