/**
 * Reading the hub's stored events, `GET /api/activity/events`: the client pages the events a gap
 * skipped (`after_seq`), and a worker reads back what happened before it started (`type`,
 * `since`, `cursor`). The page is parsed with its schema; an error status is an
 * `ActivityReadError` that says whether trying again can help.
 */
import { ActivityPage, type EventEnvelope } from "@landale/shared";

/** The hub's HTTP origin, and the token its activity API is read with (null: no token). */
export interface HubApi {
  url: string;
  token: string | null;
}

export class ActivityReadError extends Error {
  constructor(readonly status: number) {
    super(`GET /api/activity/events answered ${status}`);
    this.name = "ActivityReadError";
  }

  /** A 4xx other than 408 and 429: the same request will be refused again. */
  get final(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

export async function readActivityPage(
  api: HubApi,
  query: Record<string, string>,
  signal: AbortSignal,
): Promise<ActivityPage> {
  const headers: Record<string, string> =
    api.token === null ? {} : { authorization: `Bearer ${api.token}` };
  const url = `${api.url}/api/activity/events?${new URLSearchParams(query)}`;
  const response = await fetch(url, { headers, signal });
  if (!response.ok) {
    await response.body?.cancel();
    throw new ActivityReadError(response.status);
  }
  return ActivityPage.parse(await response.json());
}

/** The events with seq above `afterSeq`, oldest first, at most `limit`: what a gap skipped. */
export async function readEventsAfter(
  api: HubApi | null,
  afterSeq: number,
  limit: number,
  signal: AbortSignal,
): Promise<EventEnvelope[]> {
  if (api === null) throw new Error("no HTTP origin for the hub: set apiUrl");
  const query = { after_seq: String(afterSeq), limit: String(limit) };
  return (await readActivityPage(api, query, signal)).events;
}
