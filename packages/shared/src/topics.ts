/** Channel topics the hub serves, and the filters of `events:<filter>`. */
import { z } from "zod";

export const EVENT_FILTERS = [
  "all",
  "twitch",
  "obs",
  "system",
  "chat",
  "interactions",
  "goals",
  "stream",
  "music",
  "dashboard",
  "ironmon",
] as const;
export const EventFilter = z.enum(EVENT_FILTERS);
export type EventFilter = z.infer<typeof EventFilter>;

export const EVENTS_TOPIC_PREFIX = "events:";

/** The filter of an `events:<filter>` topic, or null when the topic names no known filter. */
export function eventFilterOf(topic: string): EventFilter | null {
  if (!topic.startsWith(EVENTS_TOPIC_PREFIX)) return null;
  const parsed = EventFilter.safeParse(topic.slice(EVENTS_TOPIC_PREFIX.length));
  return parsed.success ? parsed.data : null;
}
