/**
 * The Stream info editor: the channel's title, category, language and tags as Twitch has them
 * (`twitch:get_channel_info`, read whenever the hub becomes connected), edited here and saved
 * with `twitch:update_channel_info` carrying only what changed. Twitch's refusal is shown in its
 * words; the form is locked while a save is out, so the answer cannot overwrite newer typing.
 * A read that failed because Twitch was away is tried again by itself (`retry.ts`), so its error
 * does not outlive the outage: the grant stays `connected` through one.
 */
import { TwitchChannelInfo } from "@landale/shared";
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from "solid-js";
import { CategoryPicker, type ChosenCategory } from "./CategoryPicker";
import {
  type ChannelField,
  type ChannelForm,
  channelUpdate,
  formOfChannel,
  languageOptions,
  TITLE_MAX,
} from "./channel";
import { createRetry, passes, reachesTwitch } from "./retry";
import type { TwitchLink } from "./store";
import { TagsField } from "./TagsField";

export function StreamInfo(props: { link: TwitchLink; connected: boolean }) {
  const [info, setInfo] = createSignal<TwitchChannelInfo | null>(null);
  const [form, setForm] = createSignal<ChannelForm | null>(null);
  const [boxArt, setBoxArt] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  const [saving, setSaving] = createSignal(false);
  const [saveError, setSaveError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal(false);
  const [showIssues, setShowIssues] = createSignal(false);

  const result = createMemo(() => {
    const original = info();
    const current = form();
    return original === null || current === null ? null : channelUpdate(original, current);
  });
  const changed = () => {
    const r = result();
    return r !== null && !(r.ok && r.update === null);
  };
  const issueFor = (field: ChannelField) => {
    const r = result();
    if (!showIssues() || r === null || r.ok) return undefined;
    return r.issues.find((issue) => issue.field === field)?.message;
  };

  function take(next: TwitchChannelInfo) {
    setInfo(next);
    setForm(formOfChannel(next));
    setShowIssues(false);
  }

  const retry = createRetry();
  let reads = 0;
  let alive = true;
  onCleanup(() => {
    alive = false;
  });

  // The last error stays up while reading again, so a retry does not make it flicker.
  async function load() {
    const read = ++reads;
    retry.cancel();
    setLoading(true);
    const outcome = await props.link.ask("twitch:get_channel_info", {}, TwitchChannelInfo);
    // A newer read, or the view closing, owns what is shown now.
    if (!alive || read !== reads) return;
    setLoading(false);
    if (outcome.ok) {
      retry.reset();
      setLoadError(null);
      take(outcome.value);
      setBoxArt(null);
      setSaved(false);
      return;
    }
    setLoadError(outcome.error.message);
    if (props.connected && passes(outcome.error.code)) {
      retry.schedule(() => {
        if (props.connected) void load();
      });
    }
  }

  // Read when the hub becomes connected (and when the view opens connected), not on every push.
  createEffect(
    on(
      () => props.connected,
      (connected) => {
        if (connected) void load();
        else retry.reset();
      },
    ),
  );
  // After a failed read, Twitch back (EventSub connected again, the problem gone): read at once.
  const reaching = createMemo(() => reachesTwitch(props.link.status()));
  createEffect(
    on(
      reaching,
      (now, before) => {
        if (now && before === false && loadError() !== null) void load();
      },
      { defer: true },
    ),
  );

  function edit(change: Partial<ChannelForm>) {
    const current = form();
    if (current === null) return;
    setForm({ ...current, ...change });
    setSaved(false);
    setSaveError(null);
  }

  async function save(event: SubmitEvent) {
    event.preventDefault();
    const r = result();
    if (r === null) return;
    if (!r.ok) {
      setShowIssues(true);
      return;
    }
    if (r.update === null) return;
    setSaving(true);
    setSaveError(null);
    const outcome = await props.link.ask("twitch:update_channel_info", r.update, TwitchChannelInfo);
    setSaving(false);
    if (outcome.ok) {
      take(outcome.value);
      setSaved(true);
    } else setSaveError(outcome.error.message);
  }

  const chosen = (): ChosenCategory => ({
    id: form()?.gameId ?? "",
    name: form()?.gameName ?? "",
    boxArt: boxArt(),
  });

  return (
    <section class="panel stream-info" aria-labelledby="stream-info-title">
      <div class="panel-header">
        <h2 id="stream-info-title">Stream info</h2>
        <Show when={props.connected}>
          <button
            type="button"
            class="button"
            data-size="small"
            disabled={loading() || saving()}
            onClick={() => void load()}
          >
            Reload from Twitch
          </button>
        </Show>
      </div>
      <Show
        when={props.connected}
        fallback={
          <p class="empty" data-testid="stream-info-disabled">
            Connect the hub to Twitch to edit your title, category, language and tags here.
          </p>
        }
      >
        <Show when={loadError()}>
          {(message) => (
            <p class="notice" data-tone="danger" role="alert" data-testid="stream-info-load-error">
              Could not read your channel from Twitch: {message()}
            </p>
          )}
        </Show>
        <Show
          when={form()}
          fallback={<p class="muted">{loading() ? "Reading your channel…" : ""}</p>}
        >
          {(current) => (
            <form class="stream-info-form" onSubmit={save} novalidate>
              <fieldset class="stream-info-fields" disabled={saving()}>
                <div class="field">
                  <div class="label-row">
                    <label for="stream-title">Title</label>
                    <span
                      class="counter"
                      data-over={current().title.length > TITLE_MAX ? "" : undefined}
                      data-testid="stream-title-count"
                    >
                      {current().title.length} / {TITLE_MAX}
                    </span>
                  </div>
                  <input
                    id="stream-title"
                    type="text"
                    value={current().title}
                    onInput={(event) => edit({ title: event.currentTarget.value })}
                    aria-invalid={
                      issueFor("title") !== undefined || current().title.length > TITLE_MAX
                    }
                    aria-describedby="stream-title-error"
                    data-testid="stream-title-input"
                  />
                  <Show when={issueFor("title")}>
                    {(message) => (
                      <p id="stream-title-error" class="field-error" role="alert">
                        Title: {message()}
                      </p>
                    )}
                  </Show>
                </div>
                <CategoryPicker
                  link={props.link}
                  chosen={chosen()}
                  disabled={saving()}
                  invalid={issueFor("category") !== undefined}
                  onChoose={(category) => {
                    setBoxArt(category.boxArt);
                    edit({ gameId: category.id, gameName: category.name });
                  }}
                />
                <div class="field">
                  <label for="stream-language">Language</label>
                  <select
                    id="stream-language"
                    value={current().language}
                    onChange={(event) => edit({ language: event.currentTarget.value })}
                    aria-invalid={issueFor("language") !== undefined}
                    data-testid="stream-language"
                  >
                    <For each={languageOptions(info()?.broadcaster_language ?? "")}>
                      {(language) => (
                        <option value={language.code}>
                          {language.name} ({language.code})
                        </option>
                      )}
                    </For>
                  </select>
                </div>
                <TagsField
                  tags={current().tags}
                  disabled={saving()}
                  issue={issueFor("tags")}
                  onChange={(tags) => edit({ tags })}
                />
              </fieldset>
              <div class="button-row">
                <button
                  type="submit"
                  class="button"
                  data-variant="primary"
                  disabled={saving() || !changed()}
                  data-testid="stream-info-save"
                >
                  {saving() ? "Saving…" : "Save to Twitch"}
                </button>
                <button
                  type="button"
                  class="button"
                  disabled={saving() || !changed()}
                  onClick={() => {
                    const original = info();
                    if (original !== null) take(original);
                    setBoxArt(null);
                    setSaveError(null);
                  }}
                >
                  Undo changes
                </button>
                <Show when={saved()}>
                  <span
                    class="badge"
                    data-accent="ok"
                    role="status"
                    data-testid="stream-info-saved"
                  >
                    Saved
                  </span>
                </Show>
              </div>
              <Show when={saveError()}>
                {(message) => (
                  <p class="notice" data-tone="danger" role="alert" data-testid="stream-info-error">
                    Twitch did not take it: {message()}
                  </p>
                )}
              </Show>
            </form>
          )}
        </Show>
      </Show>
    </section>
  );
}
