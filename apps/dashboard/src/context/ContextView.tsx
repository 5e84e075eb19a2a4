/**
 * The Stream context view: what the AI worker makes of the stream. The newest analysis (summary,
 * sentiment, energy, who made it, the window's figures), its suggested actions, its topics and
 * the topics that came up most over the stream, and energy and sentiment over the stream as a
 * chart. Live from `contexts:live`; what was stored before comes from `GET /api/contexts`.
 */
import { createMemo, For, Show } from "solid-js";
import { ViewHeader } from "../app/ViewHeader";
import { formatClock, formatCount, plural } from "../format/format";
import { useSession } from "../hub/session";
import { ContextChart } from "./ContextChart";
import { CONTEXTS_KEPT, currentStream, streamTopics } from "./context";
import { LatestAnalysis } from "./LatestAnalysis";
import { createContextFeed } from "./store";
import "./context.css";

export function ContextView() {
  const session = useSession();
  const feed = createContextFeed(session.client, session.api, session.status);
  const latest = () => feed.list()[0];
  const stream = createMemo(() => currentStream(feed.list()));
  const topics = createMemo(() => streamTopics(stream()));

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Stream context"
        lead="What the AI worker makes of the last minutes of speech and chat, and how the stream has gone."
      />
      <Show when={feed.readError()}>
        {(message) => (
          <p class="notice" data-tone="danger" role="alert" data-testid="context-error">
            Could not read stored contexts from the hub: {message()}
          </p>
        )}
      </Show>
      <Show
        when={latest()}
        fallback={
          <p class="empty" role="status" data-testid="context-empty">
            {feed.loaded()
              ? "No stream context yet. The AI worker stores one every two minutes while it runs."
              : "Asking the hub for the latest stream context…"}
          </p>
        }
      >
        {(context) => (
          <div class="context-grid">
            <section class="panel context-latest-panel" aria-labelledby="context-latest-title">
              <div class="panel-header">
                <h2 id="context-latest-title">Latest analysis</h2>
                <p class="panel-note" aria-live="polite">
                  window ending {formatClock(context().ended_at)}
                </p>
              </div>
              <LatestAnalysis context={context()} />
            </section>

            <section class="panel" aria-labelledby="context-actions-title">
              <div class="panel-header">
                <h2 id="context-actions-title">Suggested actions</h2>
              </div>
              <Show
                when={context().analysis.suggested_actions.length > 0}
                fallback={
                  <p class="empty" data-testid="context-actions-empty">
                    Nothing to suggest for this window.
                  </p>
                }
              >
                <ul class="context-actions" data-testid="context-actions">
                  <For each={context().analysis.suggested_actions}>
                    {(action) => <li data-testid="context-action">{action}</li>}
                  </For>
                </ul>
              </Show>
            </section>

            <section class="panel" aria-labelledby="context-topics-title">
              <div class="panel-header">
                <h2 id="context-topics-title">Topics</h2>
              </div>
              <Show
                when={context().analysis.topics.length > 0}
                fallback={<p class="muted">No topic in this window.</p>}
              >
                <ul class="context-topics" data-testid="context-topics">
                  <For each={context().analysis.topics}>
                    {(topic) => (
                      <li class="badge" data-accent="stream" data-testid="context-topic">
                        {topic}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <h3 class="context-subtitle">Most over this stream</h3>
              <ol class="context-stream-topics" data-testid="context-stream-topics">
                <For each={topics()}>
                  {(entry) => (
                    <li data-testid="context-stream-topic" data-topic={entry.topic}>
                      <span>{entry.topic}</span>
                      <span class="muted">{plural(entry.count, "window")}</span>
                    </li>
                  )}
                </For>
              </ol>
            </section>

            <section class="panel context-chart-panel" aria-labelledby="context-chart-title">
              <div class="panel-header">
                <h2 id="context-chart-title">Energy and sentiment over the stream</h2>
                <p class="panel-note">
                  {plural(stream().length, "window")} of{" "}
                  <span class="mono">{context().session_id}</span>
                  <Show when={feed.trimmed() > 0}>
                    {" · "}
                    {formatCount(feed.trimmed())} older let go (the view keeps {CONTEXTS_KEPT})
                  </Show>
                </p>
              </div>
              <ContextChart stream={stream()} />
            </section>
          </div>
        )}
      </Show>
    </section>
  );
}
