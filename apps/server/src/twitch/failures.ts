/**
 * A failed call to Twitch, in the hub's terms: the HTTP status the dashboard and the REST mirror
 * answer with, and Twitch's own message (what the streamer needs to read). Helix and OAuth errors
 * carry Twitch's `status`; anything else (a refused connection, a timeout) is Twitch unreachable,
 * which has no status of Twitch's to report.
 */
import { AppError } from "../errors";
import { TwitchOAuthError } from "./oauth";

export interface TwitchFailure {
  /** Twitch's status, or null when Twitch was not reached. */
  status: number | null;
  message: string;
  appError: AppError;
}

/** Twitch was not reached, or did not answer in time; the message says which, and for what. */
export class TwitchUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TwitchUnreachableError";
  }
}

function statusOf(err: unknown): number | null {
  if (typeof err !== "object" || err === null || !("status" in err)) return null;
  return typeof err.status === "number" ? err.status : null;
}

/** Errors whose message already says, in one sentence, that Twitch was not reached. */
const saysUnreachable = (err: unknown) =>
  err instanceof TwitchUnreachableError || err instanceof TwitchOAuthError;

export function twitchError(err: unknown): TwitchFailure {
  const status = statusOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const answer = (code: number, name: string, text: string) =>
    new AppError(code as 400, name, text, status === null ? undefined : { twitch_status: status });
  if (status === null) {
    return {
      status,
      message,
      appError: answer(
        502,
        "twitch_unreachable",
        saysUnreachable(err) ? message : `Twitch could not be reached: ${message}`,
      ),
    };
  }
  if (status === 401 || status === 403) {
    return { status, message, appError: answer(409, "twitch_unauthorized", `Twitch: ${message}`) };
  }
  if (status === 429) {
    return { status, message, appError: answer(503, "twitch_rate_limited", `Twitch: ${message}`) };
  }
  if (status >= 400 && status < 500) {
    return { status, message, appError: answer(422, "twitch_refused", `Twitch: ${message}`) };
  }
  return { status, message, appError: answer(502, "twitch_unavailable", `Twitch: ${message}`) };
}
