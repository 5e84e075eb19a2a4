/** The stream's tags as chips: add one (Enter or the button), remove any; Twitch's rules checked as typed. */
import { createSignal, For, Show } from "solid-js";
import { addTag, TAG_MAX, TAGS_MAX } from "./channel";

export function TagsField(props: {
  tags: readonly string[];
  disabled: boolean;
  /** A problem the whole form found with the tags. */
  issue: string | undefined;
  onChange: (tags: string[]) => void;
}) {
  const [typed, setTyped] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const shown = () => error() ?? props.issue ?? null;

  function add() {
    const result = addTag(props.tags, typed());
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setTyped("");
    setError(null);
    props.onChange(result.tags);
  }

  return (
    <fieldset class="field tags-field" disabled={props.disabled}>
      <legend>
        Tags ({props.tags.length} of {TAGS_MAX})
      </legend>
      <Show when={props.tags.length > 0} fallback={<p class="muted">No tags.</p>}>
        <ul class="tag-list" aria-label="Tags">
          <For each={props.tags}>
            {(tag) => (
              <li class="tag-chip" data-testid="stream-tag">
                {tag}
                <button
                  type="button"
                  class="tag-remove"
                  aria-label={`Remove tag ${tag}`}
                  onClick={() => props.onChange(props.tags.filter((other) => other !== tag))}
                >
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="tag-add">
        <label class="visually-hidden" for="tag-input">
          New tag
        </label>
        <input
          id="tag-input"
          type="text"
          placeholder="Add a tag (letters and digits)"
          autocomplete="off"
          // Room for a leading "#", which is dropped.
          maxlength={TAG_MAX + 1}
          value={typed()}
          onInput={(event) => {
            setTyped(event.currentTarget.value);
            setError(null);
          }}
          onKeyDown={(event) => {
            if (event.key !== "Enter") return;
            // Enter adds the tag rather than saving the whole form.
            event.preventDefault();
            add();
          }}
          aria-invalid={shown() !== null}
          aria-describedby="tag-error"
          data-testid="stream-tag-input"
        />
        <button type="button" class="button" disabled={props.tags.length >= TAGS_MAX} onClick={add}>
          Add tag
        </button>
      </div>
      <Show when={shown()}>
        {(message) => (
          <p id="tag-error" class="field-error" role="alert">
            Tags: {message()}
          </p>
        )}
      </Show>
    </fieldset>
  );
}
