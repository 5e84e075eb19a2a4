/**
 * The Transcripts view: what the audio worker hears, live (newest first, the last hour read back
 * on open), and a search through everything stored (the hub's full-text search: words match
 * their other forms, `"a phrase"`, `or`, `-word`), each result with its time and session.
 */
import { For, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { formatCount, plural } from "../format/format";
import { useSession } from "../hub/session";
import { createTranscriptLive, createTranscriptSearch } from "./store";
import { TranscriptLine } from "./TranscriptLine";
import { BACKFILL_MINUTES, LIVE_MAX } from "./transcripts";
import "./transcripts.css";

export function TranscriptsView() {
  const session = useSession();
  const live = createTranscriptLive(session.client, session.status);
  const search = createTranscriptSearch(session.api);
  let input!: HTMLInputElement;

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Transcripts"
        lead="What the audio worker hears, as it is said, and a search through everything it heard."
      />
      <div class="transcripts-grid">
        <section
          class="panel"
          aria-labelledby="transcripts-live-title"
          data-testid="transcripts-live"
        >
          <div class="panel-header">
            <h2 id="transcripts-live-title">Live</h2>
            <p class="panel-note">
              {plural(live.list().length, "line")}
              <Show when={live.trimmed() > 0}>
                <span data-testid="transcripts-trimmed">
                  {" · "}
                  {formatCount(live.trimmed())} older let go (the list keeps {LIVE_MAX})
                </span>
              </Show>
            </p>
          </div>
          <Show when={live.readError()}>
            {(message) => (
              <p
                class="notice"
                data-tone="danger"
                role="alert"
                data-testid="transcripts-live-error"
              >
                Could not read recent transcriptions from the hub: {message()}
              </p>
            )}
          </Show>
          <Show
            when={live.list().length > 0}
            fallback={
              <p class="empty" role="status" data-testid="transcripts-live-empty">
                {live.loaded()
                  ? `Nothing said in the last ${BACKFILL_MINUTES} minutes. Lines appear here as the audio worker transcribes them.`
                  : "Asking the hub for what was said recently…"}
              </p>
            }
          >
            <ol class="transcript-list" aria-live="polite" aria-relevant="additions">
              <For each={live.list()}>
                {(line) => <TranscriptLine line={line} testid="transcripts-live-item" />}
              </For>
            </ol>
          </Show>
        </section>

        <section class="panel" aria-labelledby="transcripts-search-title">
          <div class="panel-header">
            <h2 id="transcripts-search-title">Search</h2>
          </div>
          <search>
            <form
              class="transcripts-search"
              data-testid="transcripts-search-form"
              onSubmit={(event) => {
                event.preventDefault();
                void search.search(input.value);
              }}
            >
              <div class="field">
                <label for="transcripts-q">Words or a phrase</label>
                <input
                  id="transcripts-q"
                  ref={input}
                  type="search"
                  placeholder='e.g. "boss fight" or speedrun -glitch'
                  aria-describedby="transcripts-q-hint"
                  data-testid="transcripts-search-input"
                />
                <span id="transcripts-q-hint" class="field-hint">
                  Matches other forms of a word too (fox finds foxes). Quote a phrase, write or
                  between alternatives, put - before a word to leave it out.
                </span>
              </div>
              <div class="button-row">
                <button
                  type="submit"
                  class="button"
                  data-variant="primary"
                  disabled={search.searching()}
                  data-testid="transcripts-search-submit"
                >
                  {search.searching() ? "Searching…" : "Search"}
                </button>
                <button
                  type="button"
                  class="button"
                  disabled={search.query() === null && search.error() === null}
                  data-testid="transcripts-search-clear"
                  onClick={() => {
                    input.value = "";
                    search.clear();
                  }}
                >
                  Clear
                </button>
              </div>
            </form>
          </search>
          <Show when={search.error()}>
            {(message) => (
              <p
                class="notice"
                data-tone="danger"
                role="alert"
                data-testid="transcripts-search-error"
              >
                {message()}
              </p>
            )}
          </Show>
          <Show
            when={search.query()}
            fallback={
              <p class="empty" data-testid="transcripts-search-hint">
                Search everything the audio worker transcribed and the hub kept.
              </p>
            }
          >
            {(query) => (
              <Show
                when={search.results().length > 0}
                fallback={
                  <p class="empty" role="status" data-testid="transcripts-search-empty">
                    Nothing said matches “{query()}”.
                  </p>
                }
              >
                <p class="panel-note" role="status" data-testid="transcripts-search-count">
                  {plural(search.results().length, "match", "matches")} for “{query()}”, best first
                </p>
                <ol class="transcript-list" data-testid="transcripts-search-results">
                  <For each={search.results()}>
                    {(hit) => <TranscriptLine line={hit} testid="transcripts-search-result" />}
                  </For>
                </ol>
              </Show>
            )}
          </Show>
        </section>
      </div>
    </section>
  );
}
