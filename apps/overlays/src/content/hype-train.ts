/**
 * The hype train the alerts stage shows, folded from `channel.hype_train.*` events as they come
 * on `events:twitch`: begin and progress put it up (same id, so progress updates it in place),
 * end takes it down, and so does its `expires_at` passing — the clock is an input, as is the
 * train so far, so this is tested without waiting.
 */
import {
  ChannelHypeTrainBeginEvent,
  ChannelHypeTrainEndEvent,
  ChannelHypeTrainProgressEvent,
  type EventEnvelope,
} from "@landale/shared";

export interface HypeTrain {
  /** `hype:<twitch train id>`: the layer re-animates only for a new train. */
  id: string;
  level: number;
  total: number;
  progress: number;
  goal: number;
  expiresAt: string;
  top: { name: string; type: string; total: number }[];
}

const TOP_CONTRIBUTORS = 3;

export function foldHypeTrain(
  train: HypeTrain | null,
  events: readonly Pick<EventEnvelope, "type" | "data">[],
  now: number,
): HypeTrain | null {
  let current = train;
  for (const event of events) {
    switch (event.type) {
      case "channel.hype_train.begin":
      case "channel.hype_train.progress": {
        const schema =
          event.type === "channel.hype_train.begin"
            ? ChannelHypeTrainBeginEvent
            : ChannelHypeTrainProgressEvent;
        const parsed = schema.safeParse(event.data);
        if (!parsed.success) break;
        const data = parsed.data;
        current = {
          id: `hype:${data.id}`,
          level: data.level,
          total: data.total,
          progress: data.progress,
          goal: data.goal,
          expiresAt: data.expires_at,
          top: (data.top_contributions ?? [])
            .slice()
            .sort((a, b) => b.total - a.total)
            .slice(0, TOP_CONTRIBUTORS)
            .map((contribution) => ({
              name: contribution.user_name,
              type: contribution.type,
              total: contribution.total,
            })),
        };
        break;
      }
      case "channel.hype_train.end": {
        const parsed = ChannelHypeTrainEndEvent.safeParse(event.data);
        if (parsed.success && current?.id === `hype:${parsed.data.id}`) current = null;
        break;
      }
    }
  }
  return current !== null && hasExpired(current, now) ? null : current;
}

export function hasExpired(train: HypeTrain, now: number): boolean {
  const expires = Date.parse(train.expiresAt);
  return Number.isFinite(expires) && expires <= now;
}

/** Milliseconds until the train leaves by itself. */
export function msUntilExpiry(train: HypeTrain, now: number): number {
  const expires = Date.parse(train.expiresAt);
  return Number.isFinite(expires) ? Math.max(0, expires - now) : 0;
}
