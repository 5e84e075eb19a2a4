/**
 * The activity feed's state: live batches from `events:all` merged with history pages from
 * `GET /api/activity/events`, unique by seq, newest first, under the streamer's query.
 *
 * No event is missed or shown twice, whatever the link does:
 * - after every (re)join — confirmed by a `ping` answered on the joined topic — the newest pages
 *   are read until they meet what the feed already holds, which covers anything committed while
 *   the topic was not joined (the client's `since_seq` replay usually has, and merging it twice
 *   changes nothing);
 * - a replay the hub had to truncate is filled the same way;
 * - older history is paged with the hub's cursor as the streamer scrolls.
 * Loads run one at a time, and a load for an older query is dropped when it lands.
 */
import type { ClientStatus, LandaleClient } from "@landale/client";
import { EVENTS, type EventEnvelope, PING, PUSH } from "@landale/shared";
import { type Accessor, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import type { Api } from "../hub/api";
import {
  activityParams,
  EMPTY_QUERY,
  FEED_MAX,
  type FeedQuery,
  matchesQuery,
  mergeEvents,
} from "./feed";

const FEED_TOPIC = EVENTS.topic("all");
/** Most pages read to close one gap; beyond, the feed says history has a hole. */
const MAX_GAP_PAGES = 20;

export interface Feed {
  events: Accessor<EventEnvelope[]>;
  query: Accessor<FeedQuery>;
  setQuery(query: FeedQuery): void;
  /** Reads the next older page, if there is one and none is loading. */
  loadOlder(): void;
  /** Reads the newest page again (after an error). */
  refresh(): void;
  loading: Accessor<boolean>;
  /** No older history to page into. */
  exhausted: Accessor<boolean>;
  /** Events let go to stay within FEED_MAX since the query was set. */
  trimmed: Accessor<number>;
  error: Accessor<string | null>;
}

/** Must run inside an owner: the subscription and status listener end when it is cleaned up. */
export function createFeed(client: LandaleClient, api: Api, status: Accessor<ClientStatus>): Feed {
  const [events, setEvents] = createSignal<EventEnvelope[]>([]);
  const [query, setQuerySignal] = createSignal<FeedQuery>(EMPTY_QUERY);
  const [loading, setLoading] = createSignal(false);
  const [exhausted, setExhausted] = createSignal(false);
  const [trimmed, setTrimmed] = createSignal(0);
  const [error, setError] = createSignal<string | null>(null);

  /** Bumped by every query change: a load started under an older one is dropped. */
  let generation = 0;
  /** The cursor of the next older page; null before the first page or past the last. */
  let cursor: string | null = null;
  let historyStarted = false;
  let disposed = false;
  let chain: Promise<void> = Promise.resolve();

  const newest = (): number | null => events()[0]?.seq ?? null;

  function apply(incoming: readonly EventEnvelope[]): void {
    const wanted = query();
    const result = mergeEvents(
      events(),
      incoming.filter((event) => matchesQuery(event, wanted)),
      FEED_MAX,
    );
    if (result.events === events()) return;
    setEvents(result.events);
    if (result.trimmed > 0) {
      // The oldest pages are gone: paging on from the cursor would leave a hole.
      setTrimmed((count) => count + result.trimmed);
      cursor = null;
      setExhausted(true);
    }
  }

  /** Runs loads one at a time; one that fails says why and leaves the feed as it was. */
  function run(task: (generation: number) => Promise<void>): void {
    const started = generation;
    chain = chain.then(async () => {
      if (disposed || started !== generation) return;
      setLoading(true);
      try {
        await task(started);
        if (started === generation) setError(null);
      } catch (err) {
        if (started === generation) setError(err instanceof Error ? err.message : String(err));
      } finally {
        setLoading(false);
      }
    });
  }

  /**
   * Reads from the newest page down until a page reaches `before` (a seq the feed held before
   * the gap), the end of history, or MAX_GAP_PAGES. With `before` null, reads the first page
   * and starts history paging from it.
   */
  function fillDownTo(before: number | null): void {
    run(async (started) => {
      let pageCursor: string | null = null;
      for (let pages = 0; pages < MAX_GAP_PAGES; pages++) {
        const page = await api.activity(activityParams(query(), pageCursor));
        if (started !== generation || disposed) return;
        apply(page.events);
        if (!historyStarted) {
          historyStarted = true;
          cursor = page.next_cursor;
          setExhausted(page.next_cursor === null);
        }
        if (before === null || page.next_cursor === null) return;
        if (page.events.some((event) => event.seq <= before)) return;
        pageCursor = page.next_cursor;
      }
    });
  }

  /** After a (re)join is confirmed, reads what may have been committed while it was not. */
  function catchUpAfterJoin(): void {
    const before = newest();
    client
      .push(FEED_TOPIC, PING, {})
      .then(() => fillDownTo(before))
      .catch(() => {
        // closed or timed out: the next open tries again
      });
  }

  const stop = client.subscribe(FEED_TOPIC, PUSH.eventBatch, (batch) => {
    const before = newest();
    apply(batch.events);
    if (batch.replay === true && batch.truncated === true) fillDownTo(before);
  });

  // Every time the link opens (first connect and each reconnect), catch up once joined. The
  // memo matters: the status changes often (queued pushes, errors), the open state seldom.
  const open = createMemo(() => status().state === "open");
  createEffect(
    on(open, (isOpen) => {
      if (isOpen) catchUpAfterJoin();
    }),
  );

  onCleanup(() => {
    disposed = true;
    stop();
  });

  fillDownTo(null);

  return {
    events,
    query,
    setQuery(next) {
      generation++;
      setQuerySignal(next);
      setEvents([]);
      setTrimmed(0);
      setExhausted(false);
      setError(null);
      historyStarted = false;
      cursor = null;
      fillDownTo(null);
    },
    loadOlder() {
      if (loading() || !historyStarted || cursor === null) return;
      run(async (started) => {
        if (cursor === null) return;
        const page = await api.activity(activityParams(query(), cursor));
        if (started !== generation || disposed) return;
        apply(page.events);
        // a trim while this page was loading has already ended paging
        if (!exhausted()) {
          cursor = page.next_cursor;
          setExhausted(page.next_cursor === null);
        }
      });
    },
    refresh() {
      if (!historyStarted) fillDownTo(null);
      else fillDownTo(newest());
    },
    loading,
    exhausted,
    trimmed,
    error,
  };
}
