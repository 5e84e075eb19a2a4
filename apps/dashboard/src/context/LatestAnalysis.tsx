/**
 * The newest context: what the analysis makes of the window (its summary, sentiment, energy,
 * engagement, momentum), who made it (the model or the offline fallback, and why), and the
 * window's own figures (when, chat, interactions, emotes).
 */
import type { StreamContext } from "@landale/shared";
import { For, Show } from "solid-js";
import { formatClock, formatCount } from "../format/format";
import { describeInteractions, describeSource, percent, sentimentAccent } from "./context";

export function LatestAnalysis(props: { context: StreamContext }) {
  const analysis = () => props.context.analysis;
  const chat = () => props.context.chat;
  return (
    <div class="context-latest" data-testid="context-latest" data-id={props.context.id}>
      <div class="context-badges">
        <span
          class="badge"
          data-accent={sentimentAccent(analysis().sentiment)}
          data-testid="context-sentiment"
          data-sentiment={analysis().sentiment}
        >
          {analysis().sentiment}
          <Show when={analysis().sentiment_trajectory}>
            {(trajectory) => <span class="context-trajectory">· {trajectory()}</span>}
          </Show>
        </span>
        <span
          class="badge"
          data-accent={props.context.source.kind === "model" ? "stream" : "warning"}
          data-testid="context-source"
          data-kind={props.context.source.kind}
        >
          {describeSource(props.context.source)}
        </span>
      </div>
      <p class="context-summary" data-testid="context-summary">
        {analysis().context}
      </p>
      <dl class="facts">
        <dt>Energy</dt>
        <dd data-testid="context-energy">{percent(analysis().patterns.energy_level)}</dd>
        <dt>Engagement</dt>
        <dd>{percent(analysis().patterns.engagement_depth)}</dd>
        <dt>Chat in sync</dt>
        <dd>{percent(analysis().patterns.community_sync)}</dd>
        <Show when={analysis().momentum}>
          {(momentum) => (
            <>
              <dt>Momentum</dt>
              <dd data-testid="context-momentum">
                {momentum().direction} — {momentum().description}
              </dd>
            </>
          )}
        </Show>
        <dt>Window</dt>
        <dd data-testid="context-window">
          <time datetime={props.context.started_at}>{formatClock(props.context.started_at)}</time>
          {" – "}
          <time datetime={props.context.ended_at}>{formatClock(props.context.ended_at)}</time>
          <span class="muted mono"> {props.context.session_id}</span>
        </dd>
        <dt>Chat</dt>
        <dd data-testid="context-chat">
          {formatCount(chat().messages)} messages from {formatCount(chat().participants)} chatters,{" "}
          {chat().velocity.toFixed(1)}/min; {percent(chat().reaction_share)} in reply to speech
        </dd>
        <dt>Interactions</dt>
        <dd>{describeInteractions(props.context.interactions)}</dd>
        <dt>Emotes</dt>
        <dd data-testid="context-emotes">
          <Show when={props.context.emotes.top.length > 0} fallback="none">
            <For each={props.context.emotes.top.slice(0, 5)}>
              {(emote) => (
                <span
                  class="context-emote"
                  data-native={
                    props.context.emotes.native.some((own) => own.name === emote.name)
                      ? ""
                      : undefined
                  }
                >
                  {emote.name} ×{formatCount(emote.count)}
                </span>
              )}
            </For>
          </Show>
        </dd>
      </dl>
    </div>
  );
}
