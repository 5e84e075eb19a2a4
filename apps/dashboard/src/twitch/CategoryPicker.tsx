/**
 * The stream's category: the one chosen, and a search as you type (`twitch:search_categories`,
 * sent once typing pauses; an answer to an older query is dropped) whose results show their box
 * art. The pending search's timer belongs to the component and is cleared when it goes.
 */
import { TwitchCategories, type TwitchCategory } from "@landale/shared";
import { createSignal, For, onCleanup, Show } from "solid-js";
import { boxArtUrl } from "./channel";
import type { TwitchLink } from "./store";

/** Typing pauses this long before the search goes out. */
const SEARCH_DEBOUNCE_MS = 250;
/** `TwitchCategorySearch`'s limit. */
const QUERY_MAX = 100;

export interface ChosenCategory {
  id: string;
  name: string;
  /** Known when chosen from the results; Get Channel Information has none. */
  boxArt: string | null;
}

export function CategoryPicker(props: {
  link: TwitchLink;
  chosen: ChosenCategory;
  disabled: boolean;
  invalid: boolean;
  onChoose: (category: ChosenCategory) => void;
}) {
  const [query, setQuery] = createSignal("");
  const [results, setResults] = createSignal<TwitchCategory[] | null>(null);
  const [searching, setSearching] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Each search is numbered; only the answer to the latest is shown.
  let latest = 0;
  let alive = true;
  onCleanup(() => {
    alive = false;
    clearTimeout(timer);
  });

  function onInput(value: string) {
    setQuery(value);
    clearTimeout(timer);
    const trimmed = value.trim();
    if (trimmed === "") {
      latest++;
      setResults(null);
      setSearching(false);
      setError(null);
      return;
    }
    timer = setTimeout(() => void search(trimmed), SEARCH_DEBOUNCE_MS);
  }

  async function search(text: string) {
    const ticket = ++latest;
    setSearching(true);
    const outcome = await props.link.ask(
      "twitch:search_categories",
      { query: text },
      TwitchCategories,
    );
    if (!alive || ticket !== latest) return;
    setSearching(false);
    if (outcome.ok) {
      setResults(outcome.value.categories);
      setError(null);
    } else setError(outcome.error.message);
  }

  function choose(category: ChosenCategory) {
    latest++;
    clearTimeout(timer);
    setQuery("");
    setResults(null);
    setSearching(false);
    props.onChoose(category);
  }

  return (
    <fieldset class="field category-picker" disabled={props.disabled}>
      <legend>Category</legend>
      <div class="category-chosen" data-testid="category-chosen">
        <Show when={props.chosen.boxArt}>
          {(art) => <img class="box-art" src={boxArtUrl(art())} alt="" width="52" height="72" />}
        </Show>
        <span class="category-name">
          {props.chosen.name === "" ? "No category" : props.chosen.name}
        </span>
        <Show when={props.chosen.id !== ""}>
          <button
            type="button"
            class="button"
            data-variant="ghost"
            data-size="small"
            onClick={() => choose({ id: "", name: "", boxArt: null })}
          >
            Clear category
          </button>
        </Show>
      </div>
      <label class="visually-hidden" for="category-search">
        Search categories
      </label>
      <input
        id="category-search"
        type="search"
        placeholder="Search Twitch's categories…"
        autocomplete="off"
        maxlength={QUERY_MAX}
        value={query()}
        onInput={(event) => onInput(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onInput("");
        }}
        aria-invalid={props.invalid}
        aria-controls="category-results"
        data-testid="category-search-input"
      />
      <div id="category-results" aria-live="polite">
        <Show when={searching()}>
          <p class="muted">Searching…</p>
        </Show>
        <Show when={error()}>
          {(message) => (
            <p class="field-error" role="alert">
              Search: {message()}
            </p>
          )}
        </Show>
        <Show when={!searching() ? results() : null}>
          {(list) => (
            <Show
              when={list().length > 0}
              fallback={<p class="muted">No category matches “{query().trim()}”.</p>}
            >
              <ul class="category-results" aria-label="Matching categories">
                <For each={list()}>
                  {(category) => (
                    <li>
                      <button
                        type="button"
                        class="category-result"
                        data-testid="category-result"
                        data-id={category.id}
                        onClick={() =>
                          choose({
                            id: category.id,
                            name: category.name,
                            boxArt: category.box_art_url,
                          })
                        }
                      >
                        <img
                          class="box-art"
                          src={boxArtUrl(category.box_art_url)}
                          alt=""
                          width="52"
                          height="72"
                          loading="lazy"
                        />
                        <span>{category.name}</span>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </div>
    </fieldset>
  );
}
