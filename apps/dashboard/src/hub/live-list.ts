/**
 * A list a view keeps live: it follows one push of the hub and reads back what was stored when
 * the view opens and whenever the connection comes back (what happened while it was down),
 * however pushes and read-backs interleave — newest first, unique by id, bounded, with the items
 * let go counted. The Transcripts and Stream context views each keep one.
 */
import type { ClientStatus } from "@landale/client";
import { type Accessor, createEffect, createSignal, on, onCleanup } from "solid-js";

export interface Merged<T> {
  list: T[];
  added: number;
  trimmed: number;
}

/** Newest first by `time`, ties by id (descending), as the hub orders its lists. */
export function newestFirstBy<T extends { id: string }>(time: (item: T) => string) {
  return (a: T, b: T): number => {
    const byTime = Date.parse(time(b)) - Date.parse(time(a));
    if (byTime !== 0) return byTime;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  };
}

/**
 * Merges `incoming` (any order, possibly repeating) into `existing` (in `order`, unique by id),
 * keeping the first `max`. Returns `existing` itself when nothing is new, so a repeated read-back
 * changes nothing.
 */
export function mergeById<T extends { id: string }>(
  existing: readonly T[],
  incoming: readonly T[],
  order: (a: T, b: T) => number,
  max: number,
): Merged<T> {
  const seen = new Set(existing.map((item) => item.id));
  const fresh = incoming.filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
  if (fresh.length === 0) return { list: existing as T[], added: 0, trimmed: 0 };
  const list = [...existing, ...fresh].sort(order);
  const trimmed = Math.max(0, list.length - max);
  if (trimmed > 0) list.length = max;
  return { list, added: fresh.length, trimmed };
}

export interface LiveList<T> {
  list: Accessor<T[]>;
  /** Items let go to keep the list within its bound. */
  trimmed: Accessor<number>;
  /** True once the first read-back answered (an empty list is then really empty). */
  loaded: Accessor<boolean>;
  readError: Accessor<string | null>;
}

export interface LiveListOptions<T> {
  status: Accessor<ClientStatus>;
  /** Starts following the push, handing each item to `take`; returns the function that stops. */
  follow(take: (item: T) => void): () => void;
  /** What the hub stored; throws with words for the view when it cannot be read. */
  readBack(): Promise<readonly T[]>;
  merge(existing: readonly T[], incoming: readonly T[]): Merged<T>;
}

/** Must run inside an owner: the subscription ends with it. */
export function createLiveList<T>(options: LiveListOptions<T>): LiveList<T> {
  const [list, setList] = createSignal<T[]>([]);
  const [trimmed, setTrimmed] = createSignal(0);
  const [loaded, setLoaded] = createSignal(false);
  const [readError, setReadError] = createSignal<string | null>(null);
  let alive = true;
  onCleanup(() => {
    alive = false;
  });

  function take(incoming: readonly T[]): void {
    const merged = options.merge(list(), incoming);
    if (merged.added === 0) return;
    setList(() => merged.list);
    if (merged.trimmed > 0) setTrimmed((count) => count + merged.trimmed);
  }

  onCleanup(options.follow((item) => take([item])));

  async function readBack(): Promise<void> {
    try {
      const items = await options.readBack();
      if (!alive) return;
      setReadError(null);
      take(items);
      setLoaded(true);
    } catch (err) {
      if (alive) setReadError(err instanceof Error ? err.message : String(err));
    }
  }

  createEffect(
    on(
      () => options.status().state === "open",
      (open, wasOpen) => {
        if (open && wasOpen === false) void readBack();
      },
      { defer: true },
    ),
  );
  void readBack();

  return { list, trimmed, loaded, readError };
}
