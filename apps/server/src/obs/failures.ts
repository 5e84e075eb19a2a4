/**
 * A request to OBS that did not succeed, in the hub's terms (the status the dashboard and the REST
 * mirror answer with): OBS not connected 409, OBS refused it 422 with OBS's own words (its
 * `requestStatus` code and comment), no answer in time 504, too many left unanswered 503.
 */
import type { ObsProblem } from "@landale/shared";
import { AppError } from "../errors";

export function obsNotConnected(problem: ObsProblem | null, why?: string): AppError {
  const reason = why ?? problem?.message ?? "the hub is connecting to OBS";
  return new AppError(409, "obs_not_connected", `OBS is not connected: ${reason}`, {
    ...(problem === null ? {} : { problem }),
  });
}

/**
 * obs-websocket's RequestStatus names (protocol.md) for the codes OBS answers without a comment
 * (older versions often do), so the streamer reads "the output is not running", not a number.
 */
const STATUS_WORDS: Readonly<Record<number, string>> = {
  500: "the output is already running",
  501: "the output is not running",
  502: "the output is paused",
  503: "the output is not paused",
  504: "the output is disabled",
  505: "studio mode is already on",
  506: "studio mode is not on",
  600: "no such source",
  601: "that source already exists",
  602: "the source is of the wrong type",
  604: "that feature is not available in this OBS",
  702: "OBS could not do it",
};

export function obsRefused(requestType: string, code: number, comment: string | undefined) {
  const words = STATUS_WORDS[code];
  const said =
    comment !== undefined && comment !== ""
      ? `${comment} (${code})`
      : words === undefined
        ? `status ${code}`
        : `${words} (${code})`;
  return new AppError(422, "obs_refused", `OBS refused ${requestType}: ${said}`, {
    request_type: requestType,
    obs_code: code,
    ...(comment === undefined ? {} : { obs_comment: comment }),
  });
}

export function obsTimeout(requestType: string, timeoutMs: number): AppError {
  return new AppError(
    504,
    "obs_timeout",
    `OBS did not answer ${requestType} within ${timeoutMs} ms (is OBS stuck?)`,
    { request_type: requestType, timeout_ms: timeoutMs },
  );
}

export function obsBusy(unanswered: number): AppError {
  return new AppError(
    503,
    "obs_busy",
    `OBS has ${unanswered} requests left unanswered; try again once it answers`,
    { unanswered },
  );
}

/** OBS answered, but not in a shape the hub understands. */
export function obsUnexpected(requestType: string, detail: string): AppError {
  return new AppError(502, "obs_unexpected_answer", `OBS's answer to ${requestType}: ${detail}`);
}
