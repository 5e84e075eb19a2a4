/**
 * The event simulator: fire any alert-making event (and chat, and the stream going on or off)
 * exactly as Twitch would send it, to test the overlays before going live. The form is checked
 * with the hub's own schemas before anything is sent, and a problem names its field; a burst
 * sends N events in one request.
 */
import { type EventInput, MAX_EVENTS_PER_INPUT } from "@landale/shared";
import { createSignal, For, type JSX, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { formatClock, plural } from "../format/format";
import { ApiError } from "../hub/api";
import { useSession } from "../hub/session";
import {
  buildEvents,
  DEFAULT_FORM,
  FIELD_LABELS,
  type FormIssue,
  fieldOfPath,
  issueText,
  KIND_FIELDS,
  randomId,
  SIMULATOR_KINDS,
  type SimulatorField,
  type SimulatorForm,
} from "./build";
import "./simulator.css";

/** Sends kept in the log below the form. */
const LOG_MAX = 8;

interface Sent {
  at: string;
  label: string;
  count: number;
  seqs: number[];
}

export function SimulatorView() {
  const session = useSession();
  const [form, setForm] = createSignal<SimulatorForm>(DEFAULT_FORM);
  const [issues, setIssues] = createSignal<FormIssue[]>([]);
  const [failure, setFailure] = createSignal<string | null>(null);
  const [sending, setSending] = createSignal(false);
  const [log, setLog] = createSignal<Sent[]>([]);

  const update = (change: Partial<SimulatorForm>) => {
    setForm({ ...form(), ...change });
    setIssues([]);
    setFailure(null);
  };
  const shows = (field: SimulatorField) => KIND_FIELDS[form().kind].includes(field);
  const issueFor = (field: SimulatorField) => issues().find((issue) => issue.field === field);
  const kindLabel = () => SIMULATOR_KINDS.find((kind) => kind.id === form().kind)?.label ?? "";
  const burst = () => {
    const n = Number(form().burst.trim() || "1");
    return Number.isInteger(n) && n > 0 ? n : 1;
  };

  async function send(event: SubmitEvent) {
    event.preventDefault();
    const built = buildEvents(form(), { now: Date.now(), newId: randomId });
    if (!built.ok) {
      setIssues(built.issues);
      focusFirstInvalid(built.issues);
      return;
    }
    setSending(true);
    try {
      const payload: EventInput | EventInput[] =
        built.events.length === 1 ? (built.events[0] as EventInput) : built.events;
      const answer = await session.api.ingest(payload);
      const sent: Sent = {
        at: new Date().toISOString(),
        label: kindLabel(),
        count: answer.accepted.length,
        seqs: answer.accepted.map((accepted) => accepted.seq),
      };
      setLog([sent, ...log()].slice(0, LOG_MAX));
    } catch (err) {
      if (err instanceof ApiError && err.code === "invalid_event" && Array.isArray(err.details)) {
        // The hub refused what the form passed: its issues, named the same way.
        const refused = (err.details as { path: string; message: string }[]).map((issue) => {
          const path = issue.path.replace(/^\[\d+\]\.?/, "");
          return { field: fieldOfPath(path), path, message: issue.message };
        });
        setIssues(refused);
      } else {
        setFailure(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSending(false);
    }
  }

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Event simulator"
        lead="Send Twitch-shaped events through the real pipeline to test the overlays before going live."
      />
      <div class="simulator-grid">
        <form
          class="panel simulator-form"
          onSubmit={send}
          novalidate
          aria-label="Simulate an event"
        >
          <fieldset class="kind-picker">
            <legend>Event</legend>
            <div class="kind-options">
              <For each={SIMULATOR_KINDS}>
                {(kind) => (
                  <label
                    class="kind-option"
                    data-checked={form().kind === kind.id ? "" : undefined}
                  >
                    <input
                      type="radio"
                      name="kind"
                      value={kind.id}
                      checked={form().kind === kind.id}
                      onChange={() => update({ kind: kind.id })}
                    />
                    <span>{kind.label}</span>
                  </label>
                )}
              </For>
            </div>
          </fieldset>

          <Show when={issues().length > 0}>
            <div class="notice" data-tone="danger" role="alert" data-testid="simulator-issues">
              <strong>Nothing was sent. Fix this first:</strong>
              <ul class="issue-list">
                <For each={issues()}>{(issue) => <li>{issueText(issue)}</li>}</For>
              </ul>
            </div>
          </Show>

          <div class="simulator-fields">
            <Show when={shows("user")}>
              <TextField
                field="user"
                form={form()}
                issue={issueFor("user")}
                update={update}
                hint="Display name; the login is made from it."
              />
            </Show>
            <Show when={shows("anonymous")}>
              <div class="field checkbox-field">
                <label class="checkbox">
                  <input
                    id="sim-anonymous"
                    type="checkbox"
                    checked={form().anonymous}
                    onChange={(event) => update({ anonymous: event.currentTarget.checked })}
                  />
                  Anonymous
                </label>
              </div>
            </Show>
            <Show when={shows("tier")}>
              <div class="field">
                <label for="sim-tier">{FIELD_LABELS.tier}</label>
                <select
                  id="sim-tier"
                  value={form().tier}
                  onChange={(event) => update({ tier: event.currentTarget.value })}
                  aria-invalid={issueFor("tier") !== undefined}
                >
                  <option value="1000">Tier 1</option>
                  <option value="2000">Tier 2</option>
                  <option value="3000">Tier 3</option>
                </select>
                <FieldError field="tier" issue={issueFor("tier")} />
              </div>
            </Show>
            <Show when={shows("count")}>
              <TextField
                field="count"
                form={form()}
                issue={issueFor("count")}
                update={update}
                numeric
              />
            </Show>
            <Show when={shows("bits")}>
              <TextField
                field="bits"
                form={form()}
                issue={issueFor("bits")}
                update={update}
                numeric
                hint="1,000 or more is a big cheer."
              />
            </Show>
            <Show when={shows("viewers")}>
              <TextField
                field="viewers"
                form={form()}
                issue={issueFor("viewers")}
                update={update}
                numeric
              />
            </Show>
            <Show when={shows("reward")}>
              <TextField field="reward" form={form()} issue={issueFor("reward")} update={update} />
            </Show>
            <Show when={shows("cost")}>
              <TextField
                field="cost"
                form={form()}
                issue={issueFor("cost")}
                update={update}
                numeric
                hint="Channel points."
              />
            </Show>
            <Show when={shows("message")}>
              <TextField
                field="message"
                form={form()}
                issue={issueFor("message")}
                update={update}
                wide
                hint={
                  form().kind === "redemption"
                    ? "What the viewer typed, if the reward asks."
                    : undefined
                }
              />
            </Show>
            <Show when={shows("emotes")}>
              <TextField
                field="emotes"
                form={form()}
                issue={issueFor("emotes")}
                update={update}
                wide
                hint="Words in the message to send as emotes."
              />
            </Show>
            <Show when={KIND_FIELDS[form().kind].length === 0}>
              <p class="muted simulator-none">No details: the event carries the channel only.</p>
            </Show>
          </div>

          <div class="simulator-send">
            <TextField
              field="burst"
              form={form()}
              issue={issueFor("burst")}
              update={update}
              numeric
              hint={`Send this many at once (up to ${MAX_EVENTS_PER_INPUT}), numbered users, in one request.`}
            />
            <button
              type="submit"
              class="button"
              data-variant="primary"
              data-size="large"
              disabled={sending()}
            >
              {sending()
                ? "Sending…"
                : `Send ${burst() === 1 ? kindLabel().toLowerCase() : plural(burst(), "event")}`}
            </button>
          </div>
          <Show when={failure()}>
            {(message) => (
              <p class="notice" data-tone="danger" role="alert">
                The hub did not take it: {message()}
              </p>
            )}
          </Show>
        </form>

        <section class="panel" aria-labelledby="sent-title">
          <h2 id="sent-title">Sent</h2>
          <Show when={log().length > 0} fallback={<p class="empty">Nothing sent yet.</p>}>
            <ol class="sent-log" aria-live="polite">
              <For each={log()}>
                {(sent) => (
                  <li data-testid="sent-entry">
                    <time datetime={sent.at}>{formatClock(sent.at)}</time>
                    <span>
                      {sent.count === 1
                        ? sent.label
                        : `${plural(sent.count, "event")} (${sent.label})`}
                    </span>
                    <span class="mono muted">
                      seq {sent.seqs[0]}
                      {sent.seqs.length > 1 ? `–${sent.seqs.at(-1)}` : ""}
                    </span>
                  </li>
                )}
              </For>
            </ol>
          </Show>
          <p class="panel-note">
            Simulated events are stored with source <code>dashboard</code> and go through the same
            queue, overlays and history as real ones.
          </p>
        </section>
      </div>
    </section>
  );
}

function focusFirstInvalid(issues: FormIssue[]): void {
  const first = issues.find((issue) => issue.field !== null);
  if (first?.field) queueMicrotask(() => document.getElementById(`sim-${first.field}`)?.focus());
}

function FieldError(props: { field: SimulatorField; issue: FormIssue | undefined }): JSX.Element {
  return (
    <Show when={props.issue}>
      {(issue) => (
        <p id={`sim-${props.field}-error`} class="field-error">
          {issueText(issue())}
        </p>
      )}
    </Show>
  );
}

function TextField(props: {
  field: Exclude<SimulatorField, "anonymous">;
  form: SimulatorForm;
  issue: FormIssue | undefined;
  update: (change: Partial<SimulatorForm>) => void;
  numeric?: boolean;
  wide?: boolean;
  hint?: string;
}) {
  const id = `sim-${props.field}`;
  const describedBy = () =>
    [props.issue ? `${id}-error` : null, props.hint ? `${id}-hint` : null]
      .filter(Boolean)
      .join(" ") || undefined;
  return (
    <div class="field" data-wide={props.wide ? "" : undefined}>
      <label for={id}>{FIELD_LABELS[props.field]}</label>
      <input
        id={id}
        type="text"
        inputmode={props.numeric ? "numeric" : undefined}
        autocomplete="off"
        value={props.form[props.field] as string}
        onInput={(event) => props.update({ [props.field]: event.currentTarget.value })}
        aria-invalid={props.issue !== undefined}
        aria-describedby={describedBy()}
      />
      <Show when={props.hint}>
        <span id={`${id}-hint`} class="field-hint">
          {props.hint}
        </span>
      </Show>
      <FieldError field={props.field} issue={props.issue} />
    </div>
  );
}
