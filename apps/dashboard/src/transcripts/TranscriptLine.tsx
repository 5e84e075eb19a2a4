/**
 * One transcription in a list: when it was said, what, in which session, by which audio source
 * (a second microphone is a second source), for how long.
 */
import type { Transcription } from "@landale/shared";
import { Show } from "solid-js";
import { describeConfidence, describeDuration, describeWhen } from "./transcripts";

export function TranscriptLine(props: { line: Transcription; testid: string }) {
  const confidence = () => describeConfidence(props.line.confidence);
  return (
    <li class="transcript-line" data-testid={props.testid} data-id={props.line.id}>
      <time class="transcript-time" datetime={props.line.ts}>
        {describeWhen(props.line.ts, Date.now())}
      </time>
      <p class="transcript-text">{props.line.text}</p>
      <p class="transcript-meta">
        <span class="mono" data-testid="transcript-session" title="Session">
          {props.line.session_id}
        </span>
        <Show when={props.line.source_id}>
          {(source) => (
            <span data-testid="transcript-source" title="The audio source that heard it">
              {source()}
            </span>
          )}
        </Show>
        <span>{describeDuration(props.line.duration_ms)}</span>
        <Show when={confidence()}>
          {(value) => <span title="The engine's confidence">{value()}</span>}
        </Show>
      </p>
    </li>
  );
}
