/**
 * Takeovers: cover every overlay layer with a card (technical difficulties, please stand by, a
 * screen cover or a custom message) for a while or until cleared. One click for the presets; a
 * form for anything else. The active takeover is shown with its time left and a clear button.
 */
import { STREAM_OVERLAYS, TAKEOVER_TYPES, type TakeoverType } from "@landale/shared";
import { createSignal, For, Show } from "solid-js";
import { useApp } from "../app/context";
import { ViewHeader } from "../app/ViewHeader";
import { formatClock } from "../format/format";
import { useCommands } from "../hub/command";
import { TimeLeft } from "../stream/TimeLeft";
import {
  DEFAULT_TAKEOVER,
  TAKEOVER_LABELS,
  TAKEOVER_PRESETS,
  type TakeoverField,
  type TakeoverForm,
  takeoverCommand,
} from "./takeover";
import "./takeover.css";

export function TakeoverView() {
  const { live } = useApp();
  const commands = useCommands(STREAM_OVERLAYS);
  const [form, setForm] = createSignal<TakeoverForm>(DEFAULT_TAKEOVER);
  const [issues, setIssues] = createSignal<{ field: TakeoverField | null; message: string }[]>([]);
  const active = () => live.stream?.takeover ?? null;
  const issueFor = (field: TakeoverField) =>
    issues().find((issue) => issue.field === field)?.message;
  const update = (change: Partial<TakeoverForm>) => {
    setForm({ ...form(), ...change });
    setIssues([]);
  };

  async function start(event: SubmitEvent) {
    event.preventDefault();
    const result = takeoverCommand(form());
    if (!result.ok) {
      setIssues(result.issues);
      return;
    }
    setIssues([]);
    await commands.run("takeover", result.command);
  }

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Takeover"
        lead="Cover every overlay with one card while something is wrong or you step away."
      />
      <div class="takeover-grid">
        <section
          class="panel active-takeover"
          aria-labelledby="active-title"
          data-active={active() ? "" : undefined}
          data-testid="active-takeover"
        >
          <div class="panel-header">
            <h2 id="active-title">Active takeover</h2>
            <Show when={active()}>
              <span class="badge" data-accent="danger">
                On air
              </span>
            </Show>
          </div>
          <Show
            when={active()}
            fallback={<p class="empty">No takeover. The overlays show as usual.</p>}
          >
            {(takeover) => (
              <>
                <p class="takeover-title">{TAKEOVER_LABELS[takeover().type]}</p>
                <Show when={takeover().message}>
                  {(message) => <q class="takeover-message">{message()}</q>}
                </Show>
                <p class="muted">Started {formatClock(takeover().started_at)}</p>
                <TimeLeft
                  startedAt={takeover().started_at}
                  expiresAt={takeover().expires_at}
                  label="Clears in"
                />
                <button
                  type="button"
                  class="button"
                  data-variant="primary"
                  data-size="large"
                  disabled={commands.busy() !== null}
                  onClick={() => void commands.run("takeover_clear")}
                >
                  Clear takeover
                </button>
              </>
            )}
          </Show>
          <Show when={commands.error()}>
            {(error) => (
              <p class="notice" data-tone="danger" role="alert">
                {error()}
              </p>
            )}
          </Show>
        </section>

        <div class="takeover-start">
          <section class="panel" aria-labelledby="presets-title">
            <h2 id="presets-title">One click</h2>
            <div class="presets">
              <For each={TAKEOVER_PRESETS}>
                {(preset) => (
                  <button
                    type="button"
                    class="button preset"
                    data-size="large"
                    data-preset={preset.type}
                    disabled={commands.busy() !== null}
                    onClick={() => void commands.run("takeover", preset)}
                  >
                    <span>{TAKEOVER_LABELS[preset.type]}</span>
                    <span class="preset-duration">{preset.duration} s</span>
                  </button>
                )}
              </For>
            </div>
          </section>

          <form
            class="panel takeover-form"
            onSubmit={start}
            novalidate
            aria-labelledby="custom-title"
          >
            <h2 id="custom-title">Your own</h2>
            <div class="form-row">
              <div class="field">
                <label for="takeover-type">Type</label>
                <select
                  id="takeover-type"
                  value={form().type}
                  onChange={(event) => update({ type: event.currentTarget.value as TakeoverType })}
                  aria-invalid={issueFor("type") !== undefined}
                >
                  <For each={TAKEOVER_TYPES}>
                    {(type) => <option value={type}>{TAKEOVER_LABELS[type]}</option>}
                  </For>
                </select>
              </div>
              <div class="field">
                <label for="takeover-duration">Duration (seconds)</label>
                <input
                  id="takeover-duration"
                  type="text"
                  inputmode="decimal"
                  placeholder="until cleared"
                  value={form().duration}
                  onInput={(event) => update({ duration: event.currentTarget.value })}
                  aria-invalid={issueFor("duration") !== undefined}
                  aria-describedby="takeover-duration-error"
                />
                <Show when={issueFor("duration")}>
                  {(message) => (
                    <p id="takeover-duration-error" class="field-error" role="alert">
                      Duration: {message()}
                    </p>
                  )}
                </Show>
              </div>
            </div>
            <div class="field">
              <label for="takeover-message">Message</label>
              <input
                id="takeover-message"
                type="text"
                maxlength={500}
                placeholder={
                  form().type === "custom" ? "required for a custom takeover" : "optional"
                }
                value={form().message}
                onInput={(event) => update({ message: event.currentTarget.value })}
                aria-invalid={issueFor("message") !== undefined}
                aria-describedby="takeover-message-error"
              />
              <Show when={issueFor("message")}>
                {(message) => (
                  <p id="takeover-message-error" class="field-error" role="alert">
                    Message: {message()}
                  </p>
                )}
              </Show>
            </div>
            <div class="button-row">
              <button
                type="submit"
                class="button"
                data-variant="danger"
                disabled={commands.busy() !== null}
              >
                Start takeover
              </button>
              <span class="muted">It replaces any takeover that is on.</span>
            </div>
          </form>
        </div>
      </div>
    </section>
  );
}
