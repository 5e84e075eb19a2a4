/**
 * What happened on stream before the worker started: the events of some types since a time, read
 * back from the hub's activity API (`readActivityPage`; the worker token may read it), newest
 * first a page at a time, at most `max` of them; answered oldest first. The link asks for chat
 * and interactions once its topics are first joined; after a reconnect the client's rejoin with
 * `since_seq` brings what was missed instead.
 */
import { type HubApi, readActivityPage } from "@landale/client";
import { ACTIVITY_MAX_LIMIT, type EventEnvelope } from "@landale/shared";

export interface ReadBackOptions {
  api: HubApi;
  types: readonly string[];
  since: Date;
  max: number;
  signal: AbortSignal;
}

export async function readBackEvents(options: ReadBackOptions): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string> = {
      type: options.types.join(","),
      since: options.since.toISOString(),
      limit: String(Math.min(ACTIVITY_MAX_LIMIT, options.max - events.length)),
    };
    if (cursor !== null) query.cursor = cursor;
    const page = await readActivityPage(options.api, query, options.signal);
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor !== null && events.length < options.max);
  return events.reverse();
}
