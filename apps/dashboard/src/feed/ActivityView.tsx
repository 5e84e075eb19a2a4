/**
 * The activity feed: every stored event, newest first — live as it is committed, and further
 * back as the streamer scrolls (or presses "Load older"). Filters by type family or exact type,
 * by source, and by user narrow both the live events and the history the hub is asked for.
 * Each event opens to its JSON; alerts can be replayed onto the queue.
 */
import {
  EVENT_SOURCES,
  EVENT_TYPES,
  type EventEnvelope,
  type EventSource,
  STREAM_QUEUE,
} from "@landale/shared";
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { useApp } from "../app/context";
import { ViewHeader } from "../app/ViewHeader";
import { formatClock, formatCount } from "../format/format";
import { sendCommand, useSession } from "../hub/session";
import { describeEvent, typeLabel } from "./describe";
import { EMPTY_QUERY, FEED_MAX, isFiltered, isReplayable, TYPE_FAMILIES } from "./feed";
import "./feed.css";

const SORTED_TYPES = [...EVENT_TYPES].sort();

export function ActivityView() {
  const { feed } = useApp();
  const [user, setUser] = createSignal(feed.query().user);

  const setType = (type: string) => feed.setQuery({ ...feed.query(), type });
  const setSource = (source: string) =>
    feed.setQuery({ ...feed.query(), source: source as EventSource | "" });

  let sentinel!: HTMLDivElement;
  const [sentinelVisible, setSentinelVisible] = createSignal(false);
  onMount(() => {
    const observer = new IntersectionObserver(
      (entries) => setSentinelVisible(entries.some((entry) => entry.isIntersecting)),
      { rootMargin: "600px 0px" },
    );
    observer.observe(sentinel);
    onCleanup(() => observer.disconnect());
  });
  // Keep paging while the end of the list is in view and there is more (a tall screen, a
  // filter that matches little).
  createEffect(
    on([sentinelVisible, feed.loading, feed.exhausted], ([visible, loading, exhausted]) => {
      if (visible && !loading && !exhausted) feed.loadOlder();
    }),
  );

  return (
    <section class="view view-activity" aria-labelledby="view-title">
      <ViewHeader
        title="Activity"
        lead="Everything the hub stored, newest first. New events appear at the top as they happen."
      />
      <search class="filters-sticky" aria-label="Filter events">
        <form
          class="panel filters"
          onSubmit={(event) => {
            event.preventDefault();
            feed.setQuery({ ...feed.query(), user: user().trim() });
          }}
        >
          <div class="field">
            <label for="filter-type">Type</label>
            <select
              id="filter-type"
              value={feed.query().type}
              onChange={(event) => setType(event.currentTarget.value)}
            >
              <option value="">Everything</option>
              <optgroup label="Kinds of event">
                <For each={TYPE_FAMILIES}>
                  {(family) => <option value={family.id}>{family.label}</option>}
                </For>
              </optgroup>
              <optgroup label="One type">
                <For each={SORTED_TYPES}>{(type) => <option value={type}>{type}</option>}</For>
              </optgroup>
            </select>
          </div>
          <div class="field">
            <label for="filter-source">Source</label>
            <select
              id="filter-source"
              value={feed.query().source}
              onChange={(event) => setSource(event.currentTarget.value)}
            >
              <option value="">Any source</option>
              <For each={EVENT_SOURCES}>{(source) => <option value={source}>{source}</option>}</For>
            </select>
          </div>
          <div class="field filter-user">
            <label for="filter-user">User</label>
            <input
              id="filter-user"
              type="search"
              placeholder="login or user id"
              value={user()}
              onInput={(event) => setUser(event.currentTarget.value)}
              aria-describedby="filter-user-hint"
            />
            <span id="filter-user-hint" class="field-hint">
              Exact login or id, as Twitch names the viewer. Press Enter to search.
            </span>
          </div>
          <div class="button-row filter-actions">
            <button type="submit" class="button" data-variant="primary">
              Search
            </button>
            <button
              type="button"
              class="button"
              disabled={!isFiltered(feed.query()) && user() === ""}
              onClick={() => {
                setUser("");
                feed.setQuery(EMPTY_QUERY);
              }}
            >
              Clear filters
            </button>
          </div>
        </form>
      </search>

      <div class="panel feed-panel">
        <div class="panel-header">
          <h2>Events</h2>
          <p class="panel-note" aria-live="polite">
            {formatCount(feed.events().length)} shown
            {isFiltered(feed.query()) ? " matching the filters" : ""}
          </p>
        </div>
        <Show when={feed.error()}>
          {(error) => (
            <div class="notice" data-tone="danger" role="alert">
              Could not load events: {error()}{" "}
              <button type="button" class="button" data-size="small" onClick={() => feed.refresh()}>
                Try again
              </button>
            </div>
          )}
        </Show>
        <ol class="feed-list" aria-label="Events, newest first">
          <For each={feed.events()}>{(event) => <EventRow event={event} />}</For>
        </ol>
        <div class="feed-end" ref={sentinel}>
          <Show
            when={!feed.exhausted()}
            fallback={
              <p class="muted">
                {feed.trimmed() > 0
                  ? `Showing the newest ${formatCount(FEED_MAX)}; older events were let go to keep this page light. Narrow the filters to look further back.`
                  : feed.events().length === 0
                    ? isFiltered(feed.query())
                      ? "No events match these filters."
                      : "No events yet. Send one from the simulator."
                    : "That is the beginning of the stored history."}
              </p>
            }
          >
            <button
              type="button"
              class="button"
              disabled={feed.loading()}
              onClick={() => feed.loadOlder()}
            >
              {feed.loading() ? "Loading…" : "Load older events"}
            </button>
          </Show>
        </div>
      </div>
    </section>
  );
}

type ReplayState =
  | { kind: "idle" }
  | { kind: "busy" }
  | { kind: "done" }
  | { kind: "failed"; message: string };

function EventRow(props: { event: EventEnvelope }) {
  const session = useSession();
  // An envelope never changes once stored: describe it once.
  const event = props.event;
  const summary = describeEvent(event.type, event.data);
  const [open, setOpen] = createSignal(false);
  const [replay, setReplay] = createSignal<ReplayState>({ kind: "idle" });
  const jsonId = `event-json-${event.seq}`;
  const refusal = () => {
    const state = replay();
    return state.kind === "failed" ? state.message : null;
  };

  async function replayIt() {
    setReplay({ kind: "busy" });
    const outcome = await sendCommand(session.client, STREAM_QUEUE, "replay_event", {
      event_id: event.id,
    });
    setReplay(outcome.ok ? { kind: "done" } : { kind: "failed", message: outcome.error.message });
  }

  return (
    <li class="event-row" data-type={event.type} data-seq={event.seq} data-accent={summary.accent}>
      <time class="event-time" datetime={event.ts} title={event.ts}>
        {formatClock(event.ts)}
      </time>
      <span class="badge event-type" data-accent={summary.accent} title={event.type}>
        {typeLabel(event.type)}
      </span>
      <p class="event-text">
        <Show when={summary.actor}>
          <strong class="event-actor">{summary.actor}</strong>
          {summary.chat ? ": " : " "}
        </Show>
        {summary.action}
        <Show when={summary.chat}>
          {(pieces) => (
            <span class="chat-text">
              <For each={pieces()}>
                {(piece) =>
                  piece.kind === "text" ? (
                    piece.text
                  ) : (
                    <span class="chat-piece" data-kind={piece.kind} title={piece.kind}>
                      {piece.text}
                    </span>
                  )
                }
              </For>
            </span>
          )}
        </Show>
        <Show when={summary.detail}>{(detail) => <q class="event-detail">{detail()}</q>}</Show>
      </p>
      <span class="event-meta">
        <span class="event-source">{event.source}</span>
        <span class="event-seq" title="sequence number">
          #{event.seq}
        </span>
      </span>
      <span class="event-actions">
        <Show when={isReplayable(event)}>
          <button
            type="button"
            class="button"
            data-size="small"
            disabled={replay().kind === "busy"}
            onClick={() => void replayIt()}
            aria-label={`Replay ${typeLabel(event.type).toLowerCase()} #${event.seq} on stream`}
          >
            {replay().kind === "done" ? "Queued ✓" : "Replay"}
          </button>
        </Show>
        <button
          type="button"
          class="button"
          data-size="small"
          data-variant="ghost"
          aria-expanded={open()}
          aria-controls={jsonId}
          onClick={() => setOpen((value) => !value)}
        >
          {open() ? "Hide JSON" : "JSON"}
        </button>
      </span>
      <Show when={refusal()}>
        {(message) => (
          <p class="event-feedback field-error" role="alert">
            Replay refused: {message()}
          </p>
        )}
      </Show>
      <Show when={open()}>
        <pre id={jsonId} class="json event-json" tabindex="0">
          {JSON.stringify(event, null, 2)}
        </pre>
      </Show>
    </li>
  );
}
