/**
 * What happened on stream before the worker started: the events of some types since a time, read
 * back from the hub's activity API (`GET /api/activity/events`, which the worker token may read),
 * newest first a page at a time, at most `max` of them; answered oldest first. The link asks for
 * chat and interactions once its topics are first joined; after a reconnect the client's rejoin
 * with `since_seq` brings what was missed instead.
 */
import { ACTIVITY_MAX_LIMIT, ActivityPage, type EventEnvelope } from "@landale/shared";

export interface ReadBackOptions {
  /** The hub's HTTP origin. */
  hubUrl: string;
  token: string | null;
  types: readonly string[];
  since: Date;
  max: number;
  signal: AbortSignal;
}

/** The hub answered a read-back with an error status; a 4xx other than 408 and 429 is final. */
export class ReadBackError extends Error {
  constructor(readonly status: number) {
    super(`GET /api/activity/events answered ${status}`);
  }

  get final(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

export async function readBackEvents(options: ReadBackOptions): Promise<EventEnvelope[]> {
  const headers: Record<string, string> =
    options.token === null ? {} : { authorization: `Bearer ${options.token}` };
  const events: EventEnvelope[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({
      type: options.types.join(","),
      since: options.since.toISOString(),
      limit: String(Math.min(ACTIVITY_MAX_LIMIT, options.max - events.length)),
    });
    if (cursor !== null) query.set("cursor", cursor);
    const url = `${options.hubUrl}/api/activity/events?${query}`;
    const response = await fetch(url, { headers, signal: options.signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ReadBackError(response.status);
    }
    const page = ActivityPage.parse(await response.json());
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor !== null && events.length < options.max);
  return events.reverse();
}
