/**
 * The alert queue as the hub runs it: the alert on screen with its time left, the alerts
 * waiting (in the order they will show), and the ones that finished. Pause holds the queue
 * (the alert showing finishes), skip ends the one showing, remove takes one out, clear empties
 * it; every finished alert can be replayed.
 */
import { type LayerContent, type QueueItem, STREAM_QUEUE } from "@landale/shared";
import { createSignal, For, Show } from "solid-js";
import { useApp } from "../app/context";
import { ViewHeader } from "../app/ViewHeader";
import { describeEvent, typeLabel } from "../feed/describe";
import { formatClock, formatCount, plural } from "../format/format";
import { useCommands } from "../hub/command";
import { TimeLeft } from "../stream/TimeLeft";
import { overflowNote } from "./overflow";
import "./queue.css";

function line(type: string, data: unknown): string {
  const summary = describeEvent(type, data);
  return [summary.actor, summary.action].filter(Boolean).join(" ");
}

export function QueueView() {
  const { live } = useApp();
  const commands = useCommands(STREAM_QUEUE);
  const [confirmClear, setConfirmClear] = createSignal(false);
  const queue = () => live.queue;
  const pending = () => queue()?.pending ?? [];

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Queue"
        lead="Alerts show one at a time, highest priority first, then in arrival order."
      />
      <Show
        when={queue()}
        fallback={
          <p class="panel empty" role="status">
            Waiting for the queue from the hub…
          </p>
        }
      >
        {(state) => (
          <div class="queue-grid">
            <div class="queue-main">
              <section
                class="panel now-showing"
                aria-labelledby="now-title"
                data-paused={state().paused ? "" : undefined}
              >
                <div class="panel-header">
                  <h2 id="now-title">On screen now</h2>
                  <Show when={state().paused}>
                    <span class="badge" data-accent="warning">
                      Paused
                    </span>
                  </Show>
                </div>
                <Show
                  when={state().current}
                  fallback={
                    <p class="empty" data-testid="nothing-showing">
                      {state().paused
                        ? "Paused: no new alert starts until you resume."
                        : "No alert is showing."}
                    </p>
                  }
                >
                  {(current) => <CurrentAlert alert={current()} />}
                </Show>
                <div class="button-row">
                  <Show
                    when={state().paused}
                    fallback={
                      <button
                        type="button"
                        class="button"
                        disabled={commands.busy() !== null}
                        onClick={() => void commands.run("pause")}
                      >
                        Pause alerts
                      </button>
                    }
                  >
                    <button
                      type="button"
                      class="button"
                      data-variant="primary"
                      disabled={commands.busy() !== null}
                      onClick={() => void commands.run("resume")}
                    >
                      Resume alerts
                    </button>
                  </Show>
                  <button
                    type="button"
                    class="button"
                    disabled={state().current === null || commands.busy() !== null}
                    onClick={() => void commands.run("skip")}
                  >
                    Skip current alert
                  </button>
                  <Show
                    when={confirmClear()}
                    fallback={
                      <button
                        type="button"
                        class="button"
                        data-variant="danger"
                        disabled={pending().length === 0 || commands.busy() !== null}
                        onClick={() => setConfirmClear(true)}
                      >
                        Clear queue…
                      </button>
                    }
                  >
                    <fieldset class="confirm">
                      <legend class="visually-hidden">Confirm clearing the queue</legend>
                      <span>Drop {plural(pending().length, "waiting alert")}?</span>
                      <button
                        type="button"
                        class="button"
                        data-variant="danger"
                        onClick={async () => {
                          setConfirmClear(false);
                          await commands.run("clear");
                        }}
                      >
                        Yes, clear the queue
                      </button>
                      <button type="button" class="button" onClick={() => setConfirmClear(false)}>
                        Cancel
                      </button>
                    </fieldset>
                  </Show>
                </div>
                <Show when={commands.error()}>
                  {(error) => (
                    <p class="notice" data-tone="danger" role="alert">
                      {error()}
                    </p>
                  )}
                </Show>
              </section>

              <section class="panel" aria-labelledby="pending-title">
                <div class="panel-header">
                  <h2 id="pending-title">Up next</h2>
                  <p class="panel-note">
                    {formatCount(pending().length)} of {formatCount(state().max)} waiting ·{" "}
                    <span
                      data-accent={state().dropped > 0 ? "warning" : undefined}
                      class={state().dropped > 0 ? "badge" : ""}
                    >
                      {overflowNote(state().dropped)}
                    </span>
                  </p>
                </div>
                <Show
                  when={pending().length > 0}
                  fallback={<p class="empty">The queue is empty.</p>}
                >
                  <ol class="queue-list" aria-label="Waiting alerts, in the order they will show">
                    <For each={pending()}>
                      {(item, index) => (
                        <PendingRow
                          item={item}
                          position={index() + 1}
                          busy={commands.busy() !== null}
                          onRemove={() => void commands.run("remove_item", { id: item.id })}
                        />
                      )}
                    </For>
                  </ol>
                </Show>
              </section>
            </div>

            <section class="panel" aria-labelledby="history-title">
              <div class="panel-header">
                <h2 id="history-title">Recently shown</h2>
                <p class="panel-note">Newest first</p>
              </div>
              <Show
                when={state().history.length > 0}
                fallback={<p class="empty">No alert has finished yet.</p>}
              >
                <ol class="queue-list" aria-label="Alerts that finished showing">
                  <For each={state().history}>
                    {(alert) => (
                      <HistoryRow
                        alert={alert}
                        busy={commands.busy() !== null}
                        onReplay={(eventId) =>
                          void commands.run("replay_event", { event_id: eventId })
                        }
                      />
                    )}
                  </For>
                </ol>
              </Show>
            </section>
          </div>
        )}
      </Show>
    </section>
  );
}

function CurrentAlert(props: { alert: LayerContent }) {
  const summary = () => describeEvent(props.alert.type, props.alert.data);
  return (
    <div class="current-alert" data-accent={summary().accent} data-testid="current-alert">
      <div class="current-alert-text">
        <span class="badge" data-accent={summary().accent}>
          {typeLabel(props.alert.type)}
        </span>
        <p class="current-alert-line">
          <strong>{summary().actor}</strong> {summary().action}
        </p>
        <Show when={summary().detail}>{(detail) => <q class="muted">{detail()}</q>}</Show>
      </div>
      <TimeLeft
        startedAt={props.alert.started_at}
        expiresAt={props.alert.expires_at}
        label="Time left"
      />
    </div>
  );
}

function PendingRow(props: {
  item: QueueItem;
  position: number;
  busy: boolean;
  onRemove: () => void;
}) {
  const summary = () => describeEvent(props.item.type, props.item.data);
  return (
    <li class="queue-row" data-testid="pending-item" data-type={props.item.type}>
      <span class="queue-position">
        <span class="visually-hidden">Position </span>
        {props.position}
      </span>
      <span class="badge" data-accent={summary().accent}>
        {typeLabel(props.item.type)}
      </span>
      <span class="queue-text">{line(props.item.type, props.item.data)}</span>
      <span class="queue-meta">
        priority {props.item.priority} · {Math.round(props.item.duration_ms / 1000)} s · queued{" "}
        {formatClock(props.item.queued_at)}
      </span>
      <button
        type="button"
        class="button"
        data-size="small"
        disabled={props.busy}
        onClick={() => props.onRemove()}
        aria-label={`Remove ${line(props.item.type, props.item.data)} from the queue`}
      >
        Remove
      </button>
    </li>
  );
}

function HistoryRow(props: {
  alert: LayerContent;
  busy: boolean;
  onReplay: (eventId: string) => void;
}) {
  const summary = () => describeEvent(props.alert.type, props.alert.data);
  return (
    <li class="queue-row" data-testid="history-item" data-type={props.alert.type}>
      <span class="badge" data-accent={summary().accent}>
        {typeLabel(props.alert.type)}
      </span>
      <span class="queue-text">{line(props.alert.type, props.alert.data)}</span>
      <span class="queue-meta">
        ended {props.alert.expires_at === null ? "—" : formatClock(props.alert.expires_at)}
      </span>
      <Show when={props.alert.source_event_id}>
        {(eventId) => (
          <button
            type="button"
            class="button"
            data-size="small"
            disabled={props.busy}
            onClick={() => props.onReplay(eventId())}
            aria-label={`Replay ${line(props.alert.type, props.alert.data)}`}
          >
            Replay
          </button>
        )}
      </Show>
    </li>
  );
}
