/**
 * `events:<filter>`: the live event stream. Each committed window arrives as one `event_batch` with
 * the events the filter admits. Joining with `{since_seq: N}` first replays what the client missed
 * (at most 1,000 events or 10 minutes; the reply and the batch say when it was cut, and the batch's
 * `from_seq` where the client must page from the activity API up to) and then goes
 * live with no gap and no duplicate: the replay is read from the database, completed from the
 * recent-events ring in `afterJoin` — which runs in the same tick as the subscription — and ends
 * exactly where the live stream begins.
 */
import { type ChannelContext, type ChannelHandler, error, ok } from "@landale/channels";
import { type Database, eventsAfter, latestEventsAfter } from "@landale/db";
import {
  EVENT_FILTERS,
  EVENTS,
  type EventBatch,
  type EventEnvelope,
  type EventFilter,
  eventFilterOf,
  filterAdmits,
  PUSH,
} from "@landale/shared";
import type { Principal } from "../auth";
import { invalidInput } from "../errors";
import { toEnvelope } from "../events/envelope";
import type { RecentEvents } from "../events/recent";
import { answersPing } from "./ping";

export const REPLAY_DEFAULTS = { limit: 1000, windowMs: 10 * 60 * 1000 } as const;

export interface EventsChannelOptions {
  database: Database;
  recent: RecentEvents;
  replayLimit?: number;
  replayWindowMs?: number;
  now?: () => number;
}

interface PendingReplay {
  filter: EventFilter;
  sinceSeq: number;
  rows: EventEnvelope[];
  truncated: boolean;
}

export function createEventsChannel(options: EventsChannelOptions): ChannelHandler<Principal> {
  const { database, recent } = options;
  const limit = options.replayLimit ?? REPLAY_DEFAULTS.limit;
  const windowMs = options.replayWindowMs ?? REPLAY_DEFAULTS.windowMs;
  const now = options.now ?? Date.now;
  const replays = new WeakMap<ChannelContext<Principal>, PendingReplay>();

  async function readReplay(
    sinceSeq: number,
  ): Promise<{ rows: EventEnvelope[]; truncated: boolean }> {
    const cutoff = new Date(now() - windowMs);
    const rows = await latestEventsAfter(database, sinceSeq, cutoff, limit + 1);
    if (rows.length > limit) return { rows: rows.slice(1).map(toEnvelope), truncated: true };
    // Cut by age: the first event the client missed is older than the window.
    const [first] = await eventsAfter(database, sinceSeq, 1);
    const truncated = first !== undefined && first.receivedAt.getTime() < cutoff.getTime();
    return { rows: rows.map(toEnvelope), truncated };
  }

  return answersPing({
    async join(topic, payload, ctx) {
      const filter = eventFilterOf(topic);
      if (filter === null) {
        return error({
          code: "unknown_filter",
          message: `"${topic}" names no events filter`,
          details: { allowed: EVENT_FILTERS.map((name) => EVENTS.topic(name).name) },
        });
      }
      const params = EVENTS.join.safeParse(payload ?? {});
      if (!params.success) return error(invalidInput(422, "invalid_params", params.error).body());
      const sinceSeq = params.data.since_seq;
      if (sinceSeq === undefined) return ok({ filter });
      const { rows, truncated } = await readReplay(sinceSeq);
      replays.set(ctx, { filter, sinceSeq, rows, truncated });
      return ok({ filter, replay: { since_seq: sinceSeq, truncated } });
    },

    afterJoin(ctx) {
      const replay = replays.get(ctx);
      if (replay === undefined) return;
      replays.delete(ctx);
      ctx.push(PUSH.eventBatch, completeReplay(replay, recent));
    },
  });
}

/**
 * The replay up to the live frontier: stored rows the live stream has already passed, then the
 * recent-events ring from there. Rows beyond the frontier are left out — they arrive live.
 *
 * `from_seq`..`to_seq` is the range the batch accounts for, as a live batch's is. A read cut to
 * its bound accounts only from the oldest row it kept: the client pages what lies between its
 * `since_seq` and `from_seq` from the activity API. Should the ring no longer reach back to where
 * the read ended, the batch ends there, and the next live batch shows the client the gap.
 */
function completeReplay(replay: PendingReplay, recent: RecentEvents): EventBatch {
  const frontier = recent.lastSeq;
  const stored = replay.rows.filter((event) => event.seq <= frontier);
  const fromSeq = replay.truncated ? (stored[0]?.seq ?? frontier + 1) : replay.sinceSeq + 1;
  const coveredTo = stored[stored.length - 1]?.seq ?? Math.max(fromSeq - 1, replay.sinceSeq);
  const fromRing = recent.after(coveredTo);
  const events = [...stored, ...(fromRing ?? [])].filter((event) =>
    filterAdmits(replay.filter, event.type),
  );
  return {
    events,
    from_seq: fromSeq,
    to_seq: fromRing === null ? coveredTo : Math.max(frontier, coveredTo),
    replay: true,
    truncated: replay.truncated || fromRing === null,
  };
}
