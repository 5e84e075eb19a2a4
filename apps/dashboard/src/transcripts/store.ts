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
import { type Accessor, createSignal } from "solid-js";
import type { Api } from "../hub/api";
import { createLiveList, type LiveList } from "../hub/live-list";
import { askHub } from "../hub/session";
import { BACKFILL_MINUTES, mergeLive, searchInput } from "./transcripts";

export type TranscriptLive = LiveList<Transcription>;

/** Must run inside an owner. */
export function createTranscriptLive(
  client: LandaleClient,
  status: Accessor<ClientStatus>,
): TranscriptLive {
  return createLiveList({
    status,
    follow: (take) => client.subscribe(TRANSCRIPTION_LIVE, PUSH.newTranscription, take),
    async readBack() {
      const outcome = await askHub(
        client,
        TRANSCRIPTION_LIVE,
        "get_recent",
        { minutes: BACKFILL_MINUTES },
        RecentTranscriptions,
      );
      if (!outcome.ok) throw new Error(outcome.error.message);
      return outcome.value.transcriptions;
    },
    merge: mergeLive,
  });
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
