/**
 * The Transcripts view's state. The live list follows `new_transcription` on `transcription:live`
 * and reads the last hour back with `get_recent` when the view opens and whenever the connection
 * comes back (what was said while it was down), merged by id and bounded. The search asks
 * `GET /api/transcriptions/search`; an answer to an older search than the last is dropped.
 * Created in the view's owner; its subscription ends with it.
 */
import type { ClientStatus, LandaleClient } from "@landale/client";
import {
  PUSH,
  RecentTranscriptions,
  TRANSCRIPTION_LIVE,
  type Transcription,
  type TranscriptionSearchHit,
} from "@landale/shared";
import { type Accessor, createEffect, createSignal, on, onCleanup } from "solid-js";
import type { Api } from "../hub/api";
import { askHub } from "../hub/session";
import { BACKFILL_MINUTES, mergeLive, searchInput } from "./transcripts";

export interface TranscriptLive {
  list: Accessor<Transcription[]>;
  /** Transcriptions let go to keep the list within its bound. */
  trimmed: Accessor<number>;
  /** True once the first read-back answered (an empty list is then really empty). */
  loaded: Accessor<boolean>;
  readError: Accessor<string | null>;
}

/** Must run inside an owner. */
export function createTranscriptLive(
  client: LandaleClient,
  status: Accessor<ClientStatus>,
): TranscriptLive {
  const [list, setList] = createSignal<Transcription[]>([]);
  const [trimmed, setTrimmed] = createSignal(0);
  const [loaded, setLoaded] = createSignal(false);
  const [readError, setReadError] = createSignal<string | null>(null);
  let alive = true;
  onCleanup(() => {
    alive = false;
  });

  function take(incoming: readonly Transcription[]): void {
    const merged = mergeLive(list(), incoming);
    if (merged.added === 0) return;
    setList(merged.list);
    if (merged.trimmed > 0) setTrimmed((count) => count + merged.trimmed);
  }

  onCleanup(
    client.subscribe(TRANSCRIPTION_LIVE, PUSH.newTranscription, (transcription) =>
      take([transcription]),
    ),
  );

  async function backfill(): Promise<void> {
    const outcome = await askHub(
      client,
      TRANSCRIPTION_LIVE,
      "get_recent",
      { minutes: BACKFILL_MINUTES },
      RecentTranscriptions,
    );
    if (!alive) return;
    if (!outcome.ok) {
      setReadError(outcome.error.message);
      return;
    }
    setReadError(null);
    take(outcome.value.transcriptions);
    setLoaded(true);
  }

  createEffect(
    on(
      () => status().state === "open",
      (open, wasOpen) => {
        if (open && wasOpen === false) void backfill();
      },
      { defer: true },
    ),
  );
  void backfill();

  return { list, trimmed, loaded, readError };
}

export interface TranscriptSearch {
  /** The query the results are for; null before the first search. */
  query: Accessor<string | null>;
  results: Accessor<TranscriptionSearchHit[]>;
  searching: Accessor<boolean>;
  /** Why the last search failed, or what is wrong with the box's text. */
  error: Accessor<string | null>;
  search(text: string): Promise<void>;
  clear(): void;
}

export function createTranscriptSearch(api: Api): TranscriptSearch {
  const [query, setQuery] = createSignal<string | null>(null);
  const [results, setResults] = createSignal<TranscriptionSearchHit[]>([]);
  const [searching, setSearching] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let latest = 0;

  async function search(text: string): Promise<void> {
    const input = searchInput(text);
    if (!input.ok) {
      setError(input.message);
      return;
    }
    const mine = ++latest;
    setSearching(true);
    setError(null);
    try {
      const answer = await api.searchTranscriptions(input.q);
      if (mine !== latest) return;
      setQuery(answer.query);
      setResults(answer.results);
    } catch (err) {
      if (mine !== latest) return;
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (mine === latest) setSearching(false);
    }
  }

  function clear(): void {
    latest++;
    setQuery(null);
    setResults([]);
    setSearching(false);
    setError(null);
  }

  return { query, results, searching, error, search, clear };
}
