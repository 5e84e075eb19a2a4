/**
 * Gapless `events:*` delivery. Each topic's batches are contiguous (`from_seq` = the last
 * `to_seq + 1`), so a batch that starts further on means batches were lost: a live one makes the
 * topic rejoin with `since_seq` = the last `to_seq` (the replay fills the gap), a replay that was
 * cut to its bound has the gap paged from `GET /api/activity/events?after_seq=` before it is
 * handed on. Handlers see every event once, in seq order. A gap a rejoin did not fill, or that
 * the API could not be read for, is accepted, logged and counted, never retried forever.
 */
import {
  ACTIVITY_MAX_LIMIT,
  EventBatch,
  type EventEnvelope,
  type EventFilter,
  filterAdmits,
} from "@landale/shared";

export interface EventStreamCounts {
  /** Gaps noticed between batches. */
  gaps: number;
  /** Missed events fetched from the activity API. */
  paged: number;
  /** Gaps given up on: a rejoin did not fill them, or the API could not be read. */
  unfilled: number;
}

export interface EventStreamDeps {
  topic: string;
  /** The topic's filter, applied to paged events as the hub applies it to batches. */
  filter: EventFilter | null;
  /** Events with seq above `afterSeq`, oldest first, at most `limit`. */
  fetchAfter(afterSeq: number, limit: number, signal: AbortSignal): Promise<EventEnvelope[]>;
  /** Makes the topic join again; the join sends `since_seq` = `lastSeq`. */
  rejoin(): void;
  /** Hands a batch to the topic's subscribers. */
  deliver(batch: unknown): void;
  /** Adds to the client's counts. */
  counted(increment: Partial<EventStreamCounts>): void;
  warn(message: string, context?: unknown): void;
  /** Delay before paging again after a failed request: the client's backoff. */
  retryDelay(attempt: number): number;
}

/** Batches held while a gap is paged, at most; later ones show up as a gap and are rejoined for. */
const HELD_MAX = 1000;
/** Failed page requests for one gap before it is given up on. */
const PAGE_ATTEMPTS = 5;

type Mode = "live" | "rejoining" | "paging";

export class EventStream {
  /** The `to_seq` of the last batch handed on: `since_seq` for the next join. */
  lastSeq: number | null = null;
  #mode: Mode = "live";
  #held: EventBatch[] = [];
  /** The `lastSeq` a gap made the topic rejoin from; the same gap again is accepted. */
  #rejoinedFrom: number | null = null;
  #paging: AbortController | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(private readonly deps: EventStreamDeps) {}

  /** An `event_batch` pushed on the topic. */
  receive(payload: unknown): void {
    if (this.#closed) return;
    const parsed = EventBatch.safeParse(payload);
    // Not a batch: the subscribers' own schemas count and log it.
    if (!parsed.success) {
      this.deps.deliver(payload);
      return;
    }
    const batch = parsed.data;
    if (batch.replay === true && this.#mode !== "live") {
      // A new join (a reconnect, or the rejoin asked for) starts over from `lastSeq`.
      this.#stopPaging();
      this.#mode = "live";
    }
    if (this.#mode === "rejoining") return; // Still the old join's: the replay covers it.
    if (this.#mode === "paging") {
      if (this.#held.length < HELD_MAX) this.#held.push(batch);
      return;
    }
    this.#take(batch);
  }

  /** Stops paging and releases its timer; nothing more is delivered. */
  close(): void {
    this.#closed = true;
    this.#stopPaging();
  }

  #take(batch: EventBatch): void {
    const last = this.lastSeq;
    if (last === null || batch.from_seq <= last + 1) {
      this.#accept(batch);
      return;
    }
    this.deps.counted({ gaps: 1 });
    if (batch.replay === true) {
      this.#page(last, batch);
      return;
    }
    if (this.#rejoinedFrom === last) {
      // The replay after rejoining from here did not reach this batch: the hub has nothing there.
      this.deps.counted({ unfilled: 1 });
      this.deps.warn(`${this.deps.topic}: accepting a gap the hub did not fill`, {
        after_seq: last,
        from_seq: batch.from_seq,
      });
      this.#accept(batch);
      return;
    }
    this.#rejoinedFrom = last;
    this.#mode = "rejoining";
    this.deps.rejoin();
  }

  /** Hands on the part of `batch` after `lastSeq`, if any. */
  #accept(batch: EventBatch): void {
    const last = this.lastSeq;
    if (last === null) {
      this.lastSeq = batch.to_seq;
      this.deps.deliver(batch);
      return;
    }
    if (batch.to_seq <= last) return;
    const events = batch.events.filter((event) => event.seq > last);
    this.lastSeq = batch.to_seq;
    this.deps.deliver({ ...batch, events, from_seq: Math.max(batch.from_seq, last + 1) });
  }

  /** Pages the events after `from` and before `replay.from_seq`, then hands on the replay. */
  #page(from: number, replay: EventBatch): void {
    this.#mode = "paging";
    this.#held = [replay];
    const controller = new AbortController();
    this.#paging = controller;
    const end = replay.from_seq;
    let attempt = 0;
    const step = async (): Promise<void> => {
      this.#retry = null;
      const after = this.lastSeq ?? from;
      let page: EventEnvelope[];
      try {
        page = await this.deps.fetchAfter(after, ACTIVITY_MAX_LIMIT, controller.signal);
      } catch (err) {
        if (controller.signal.aborted) return;
        attempt++;
        if (attempt < PAGE_ATTEMPTS) {
          this.#retry = setTimeout(step, this.deps.retryDelay(attempt));
          return;
        }
        this.deps.counted({ unfilled: 1 });
        this.deps.warn(`${this.deps.topic}: could not page the events missed`, {
          after_seq: after,
          before_seq: end,
          error: err instanceof Error ? err.message : String(err),
        });
        this.#finishPaging(end);
        return;
      }
      if (controller.signal.aborted) return;
      attempt = 0;
      const inGap = page.filter((event) => event.seq < end);
      const done = inGap.length < page.length || page.length < ACTIVITY_MAX_LIMIT;
      const to = done ? end - 1 : (inGap[inGap.length - 1]?.seq ?? end - 1);
      const { filter } = this.deps;
      const events =
        filter === null ? inGap : inGap.filter((event) => filterAdmits(filter, event.type));
      if (events.length > 0) this.deps.counted({ paged: events.length });
      if (to > after) {
        this.lastSeq = to;
        if (events.length > 0) {
          this.deps.deliver({ events, from_seq: after + 1, to_seq: to, replay: true });
        }
      }
      if (done) this.#finishPaging(end);
      else await step();
    };
    void step();
  }

  /** The gap before `end` is closed, filled or not: hand on what waited behind it. */
  #finishPaging(end: number): void {
    this.#paging = null;
    if (this.lastSeq === null || this.lastSeq < end - 1) this.lastSeq = end - 1;
    this.#mode = "live";
    const held = this.#held;
    this.#held = [];
    for (const batch of held) {
      if (this.#mode === "live") this.#take(batch);
      else if (this.#mode === "paging") this.#held.push(batch);
    }
  }

  #stopPaging(): void {
    this.#paging?.abort();
    this.#paging = null;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
    this.#held = [];
  }
}
