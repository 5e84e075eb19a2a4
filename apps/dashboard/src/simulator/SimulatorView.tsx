/**
 * The event simulator: fire any alert-making event (and chat, and the stream going on or off)
 * exactly as Twitch would send it, to test the overlays before going live. The form is checked
 * with the hub's own schemas before anything is sent, and a problem names its field; a burst
 * sends N events in one request.
 */
import { type EventInput, MAX_EVENTS_PER_INPUT } from "@landale/shared";
import { createSignal, For, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { plural } from "../format/format";
import { ApiError } from "../hub/api";
import { useSession } from "../hub/session";
import { buildEvents, type FormIssue, fieldOfPath, issueText, randomId } from "./build";
import { TextField } from "./FormField";
import { DEFAULT_FORM, SIMULATOR_KINDS, type SimulatorField, type SimulatorForm } from "./form";
import { KindFields } from "./KindFields";
import { type Sent, SentLog } from "./SentLog";
import "./simulator.css";

/** Sends kept in the log below the form. */
const LOG_MAX = 8;

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

          <KindFields form={form()} issueFor={issueFor} update={update} />

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

        <SentLog log={log()} />
      </div>
    </section>
  );
}

function focusFirstInvalid(issues: FormIssue[]): void {
  const first = issues.find((issue) => issue.field !== null);
  if (first?.field) queueMicrotask(() => document.getElementById(`sim-${first.field}`)?.focus());
}
