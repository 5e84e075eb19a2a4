/**
 * The activity feed's core: a list of stored events, newest first, unique by `seq`, that live
 * batches and history pages are merged into — whatever order they arrive in and however often a
 * reconnect's replay repeats them — and the query (type family, source, user) that both the
 * history request and the live filter follow, so a filtered feed shows what the hub would.
 */
import {
  ALERT_TYPES,
  EVENT_TYPES,
  type EventEnvelope,
  type EventSource,
  isAlertType,
  type KnownEventType,
  userOf,
} from "@landale/shared";

/** How many events the feed keeps in memory; older ones are let go (and counted). */
export const FEED_MAX = 3000;
/** Events per history page. */
export const PAGE_SIZE = 50;

export interface MergeResult {
  events: EventEnvelope[];
  /** Events of `incoming` not already present. */
  added: number;
  /** The oldest events let go to stay within `max`. */
  trimmed: number;
}

/**
 * Merges `incoming` (any order, possibly repeating what is there) into `existing` (newest first,
 * unique by seq). Returns `existing` itself when nothing is new, so a repeated replay changes
 * nothing a view depends on.
 */
export function mergeEvents(
  existing: readonly EventEnvelope[],
  incoming: readonly EventEnvelope[],
  max: number = FEED_MAX,
): MergeResult {
  const seen = new Set<number>();
  for (const event of existing) seen.add(event.seq);
  const fresh: EventEnvelope[] = [];
  for (const event of incoming) {
    if (seen.has(event.seq)) continue;
    seen.add(event.seq);
    fresh.push(event);
  }
  if (fresh.length === 0) return { events: existing as EventEnvelope[], added: 0, trimmed: 0 };
  fresh.sort((a, b) => b.seq - a.seq);
  // Both lists are newest first: one merge pass keeps the result sorted.
  const merged: EventEnvelope[] = [];
  let i = 0;
  let j = 0;
  while (i < existing.length || j < fresh.length) {
    const a = existing[i];
    const b = fresh[j];
    if (b === undefined || (a !== undefined && a.seq > b.seq)) {
      merged.push(a as EventEnvelope);
      i++;
    } else {
      merged.push(b);
      j++;
    }
  }
  const trimmed = Math.max(0, merged.length - max);
  if (trimmed > 0) merged.length = max;
  return { events: merged, added: fresh.length, trimmed };
}

/** A family of event types the feed can be narrowed to. */
export interface TypeFamily {
  id: string;
  label: string;
  types: readonly KnownEventType[];
}

const familyOf = (id: string, label: string, test: (type: string) => boolean): TypeFamily => ({
  id,
  label,
  types: EVENT_TYPES.filter(test),
});

export const TYPE_FAMILIES: readonly TypeFamily[] = [
  { id: "alerts", label: "Alerts (follows, subs, bits, raids, redemptions)", types: ALERT_TYPES },
  familyOf("chat", "Chat", (type) => type.startsWith("channel.chat.")),
  familyOf(
    "stream",
    "Stream (online, offline, title, takeovers, show)",
    (type) => type.startsWith("stream.") || type === "channel.update",
  ),
  familyOf(
    "community",
    "Goals, polls, predictions, hype trains",
    (type) =>
      type.startsWith("channel.goal.") ||
      type.startsWith("channel.poll.") ||
      type.startsWith("channel.prediction.") ||
      type.startsWith("channel.hype_train.") ||
      type === "channel.ad_break.begin",
  ),
  familyOf("obs", "OBS", (type) => type.startsWith("obs.")),
  familyOf("system", "System", (type) => type.startsWith("system.")),
];

/** What the streamer narrowed the feed to: a family or one exact type, a source, a user. */
export interface FeedQuery {
  /** A family id (`alerts`), an exact type (`channel.follow`), or "" for everything. */
  type: string;
  source: EventSource | "";
  /** A user login or id; matched as the hub matches it (id exactly, login in lower case). */
  user: string;
}

export const EMPTY_QUERY: FeedQuery = { type: "", source: "", user: "" };

/** The exact types a query's `type` stands for, or null for every type. */
export function typesOf(type: string): readonly string[] | null {
  if (type === "") return null;
  const family = TYPE_FAMILIES.find((candidate) => candidate.id === type);
  return family ? family.types : [type];
}

/** Whether an event belongs in the feed under `query` — the live half of what the hub filters. */
export function matchesQuery(event: EventEnvelope, query: FeedQuery): boolean {
  const types = typesOf(query.type);
  if (types !== null && !types.includes(event.type)) return false;
  if (query.source !== "" && event.source !== query.source) return false;
  const wanted = query.user.trim();
  if (wanted !== "") {
    const user = userOf(event.type, event.data);
    if (user === null) return false;
    if (user.user_id !== wanted && user.user_login !== wanted.toLowerCase()) return false;
  }
  return true;
}

/** The `GET /api/activity/events` query string for one page of `query`. */
export function activityParams(
  query: FeedQuery,
  cursor: string | null,
  limit: number = PAGE_SIZE,
): URLSearchParams {
  const params = new URLSearchParams();
  const types = typesOf(query.type);
  if (types !== null) params.set("type", types.join(","));
  if (query.source !== "") params.set("source", query.source);
  if (query.user.trim() !== "") params.set("user", query.user.trim());
  params.set("limit", String(limit));
  if (cursor !== null) params.set("cursor", cursor);
  return params;
}

/** Whether a query narrows the feed at all. */
export function isFiltered(query: FeedQuery): boolean {
  return query.type !== "" || query.source !== "" || query.user.trim() !== "";
}

/**
 * Whether the replay button belongs on an event: it makes an alert when replayed. A gifted sub
 * (`is_gift`) does not: the gift event made the alert.
 */
export function isReplayable(event: Pick<EventEnvelope, "type" | "data">): boolean {
  if (!isAlertType(event.type)) return false;
  if (event.type === "channel.subscribe") {
    const data = event.data as { is_gift?: unknown } | null;
    return data?.is_gift !== true;
  }
  return true;
}
