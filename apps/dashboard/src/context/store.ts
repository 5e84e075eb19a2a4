/**
 * The Stream context view's state. It follows `new_context` on `contexts:live` and reads the
 * stored contexts back (`GET /api/contexts`) when the view opens and whenever the connection comes
 * back (what the AI worker stored while it was down), merged by id and bounded. Created in the
 * view's owner; its subscription ends with it.
 */
import type { ClientStatus, LandaleClient } from "@landale/client";
import { CONTEXTS_LIVE, PUSH, type StreamContext } from "@landale/shared";
import { type Accessor, createEffect, createSignal, on, onCleanup } from "solid-js";
import type { Api } from "../hub/api";
import { HISTORY_LIMIT, mergeContexts } from "./context";

export interface ContextFeed {
  /** Newest window first. */
  list: Accessor<StreamContext[]>;
  /** Contexts let go to keep the list within its bound. */
  trimmed: Accessor<number>;
  /** True once the first read-back answered (an empty list is then really empty). */
  loaded: Accessor<boolean>;
  readError: Accessor<string | null>;
}

/** Must run inside an owner. */
export function createContextFeed(
  client: LandaleClient,
  api: Api,
  status: Accessor<ClientStatus>,
): ContextFeed {
  const [list, setList] = createSignal<StreamContext[]>([]);
  const [trimmed, setTrimmed] = createSignal(0);
  const [loaded, setLoaded] = createSignal(false);
  const [readError, setReadError] = createSignal<string | null>(null);
  let alive = true;
  onCleanup(() => {
    alive = false;
  });

  function take(incoming: readonly StreamContext[]): void {
    const merged = mergeContexts(list(), incoming);
    if (merged.added === 0) return;
    setList(merged.list);
    if (merged.trimmed > 0) setTrimmed((count) => count + merged.trimmed);
  }

  onCleanup(client.subscribe(CONTEXTS_LIVE, PUSH.newContext, (context) => take([context])));

  async function readBack(): Promise<void> {
    try {
      const page = await api.contexts(HISTORY_LIMIT);
      if (!alive) return;
      setReadError(null);
      take(page.contexts);
      setLoaded(true);
    } catch (err) {
      if (alive) setReadError(err instanceof Error ? err.message : String(err));
    }
  }

  createEffect(
    on(
      () => status().state === "open",
      (open, wasOpen) => {
        if (open && wasOpen === false) void readBack();
      },
      { defer: true },
    ),
  );
  void readBack();

  return { list, trimmed, loaded, readError };
}
