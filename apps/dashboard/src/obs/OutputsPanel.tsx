/**
 * OBS's outputs: the stream and the recording, each with its state, how long it has run, and its
 * buttons — starting is one click, stopping asks first and says how long it ran; a recording
 * pauses and resumes. A stream OBS accepted and then could not start says so, with what to check.
 * The virtual camera and the replay buffer are shown, not driven. Running times are read from the
 * link's clocks once a second while something runs; with OBS away they stop, marked last known.
 */
import type { ObsStatus } from "@landale/shared";
import { createEffect, createSignal, type JSX, onCleanup, Show } from "solid-js";
import { formatClock } from "../format/format";
import { clockMs, formatElapsed, type OutputClock } from "./clock";
import { describeRecord, describeStream, recordState, streamFailure } from "./status";
import { createObsCommands, type ObsLink } from "./store";

const TICK_MS = 1000;

export function OutputsPanel(props: { link: ObsLink; status: ObsStatus; blocked: string | null }) {
  const stream = createObsCommands(props.link);
  const record = createObsCommands(props.link);
  const [now, setNow] = createSignal(Date.now());
  const ticking = (clock: OutputClock | null) => clock !== null && clock.since !== null;
  const running = () => ticking(props.link.clocks().stream) || ticking(props.link.clocks().record);
  createEffect(() => {
    if (!running()) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    onCleanup(() => clearInterval(timer));
  });
  const elapsed = (clock: OutputClock | null) =>
    clock === null ? null : formatElapsed(clockMs(clock, now()));
  const streamTime = () => elapsed(props.link.clocks().stream);
  const recordTime = () => elapsed(props.link.clocks().record);
  const streamWords = () => describeStream(props.status.stream);
  const failure = () => streamFailure(props.status.stream);
  // OBS answered the start and is reaching the stream server: a second start would be refused.
  const starting = () => stream.busy() === "obs:start_streaming" || props.status.stream.starting;
  const recordWords = () => describeRecord(props.status.record);
  const recording = () => recordState(props.status.record);
  const off = (commands: typeof stream) => props.blocked !== null || commands.busy() !== null;
  // OBS is away: what it was doing is only as last known (the clocks stopped there).
  const away = () => props.status.state !== "connected";

  return (
    <section class="panel obs-outputs" aria-labelledby="obs-outputs-title">
      <div class="panel-header">
        <h2 id="obs-outputs-title">Stream and recording</h2>
        <div class="button-row">
          <span
            class="badge"
            data-accent={props.status.virtualcam.active ? "ok" : "neutral"}
            data-testid="obs-virtualcam"
            data-active={props.status.virtualcam.active ? "" : undefined}
          >
            Virtual camera {props.status.virtualcam.active ? "on" : "off"}
          </span>
          <span
            class="badge"
            data-accent={props.status.replay_buffer.active ? "ok" : "neutral"}
            data-testid="obs-replay-buffer"
            data-active={props.status.replay_buffer.active ? "" : undefined}
          >
            Replay buffer {props.status.replay_buffer.active ? "on" : "off"}
          </span>
        </div>
      </div>

      <Show when={props.blocked}>
        {(reason) => (
          <p class="notice" data-tone="warn" data-testid="obs-controls-blocked">
            {reason()}
          </p>
        )}
      </Show>

      <div
        class="obs-output"
        data-testid="obs-stream"
        data-active={attr(props.status.stream.active)}
        data-starting={attr(props.status.stream.starting)}
      >
        <div class="obs-output-head">
          <h3>Stream</h3>
          <span class="badge" data-accent={streamWords().tone} data-testid="obs-stream-state">
            {streamWords().label}
          </span>
          <Show when={streamTime()}>
            {(time) => (
              <span class="obs-timecode" data-testid="obs-stream-timecode">
                {time()}
              </span>
            )}
          </Show>
          <Show when={away() && props.status.stream.active}>
            <span class="muted" data-testid="obs-stream-last-known">
              last known: OBS is away
            </span>
          </Show>
        </div>
        <Show
          when={props.status.stream.active}
          fallback={
            <button
              type="button"
              class="button"
              data-variant="primary"
              data-size="large"
              data-testid="obs-stream-start"
              disabled={off(stream) || props.status.stream.starting}
              onClick={() => void stream.run("obs:start_streaming")}
            >
              {starting() ? "Starting the stream…" : "Start streaming"}
            </button>
          }
        >
          <StopButton
            id="obs-stream-stop"
            label="Stop streaming…"
            question={`Stop the stream? It has been live for ${streamTime() ?? "an unknown time"}.`}
            yes="Yes, stop streaming"
            disabled={off(stream)}
            onAsk={() => void props.link.refresh()}
            onStop={() => void stream.run("obs:stop_streaming")}
          />
        </Show>
        <Problem id="obs-stream-error" message={stream.error()} />
        <Show when={failure()}>
          {(failed) => (
            <div
              class="notice"
              data-tone="danger"
              role="alert"
              data-testid="obs-stream-failure"
              data-code={failed().code}
            >
              <p data-testid="obs-stream-failure-message">
                {failed().message} <span class="muted">({formatClock(failed().at)})</span>
              </p>
              <p data-testid="obs-stream-failure-action">
                <strong>What to do:</strong> {failed().action}
              </p>
            </div>
          )}
        </Show>
      </div>

      <div class="obs-output" data-testid="obs-record" data-state={recording()}>
        <div class="obs-output-head">
          <h3>Recording</h3>
          <span class="badge" data-accent={recordWords().tone} data-testid="obs-record-state">
            {recordWords().label}
          </span>
          <Show when={recordTime()}>
            {(time) => (
              <span class="obs-timecode" data-testid="obs-record-timecode">
                {time()}
              </span>
            )}
          </Show>
          <Show when={away() && props.status.record.active}>
            <span class="muted" data-testid="obs-record-last-known">
              last known: OBS is away
            </span>
          </Show>
        </div>
        <Show
          when={props.status.record.active}
          fallback={
            <button
              type="button"
              class="button"
              data-size="large"
              data-testid="obs-record-start"
              disabled={off(record)}
              onClick={() => void record.run("obs:start_recording")}
            >
              {record.busy() === "obs:start_recording" ? "Starting to record…" : "Start recording"}
            </button>
          }
        >
          <div class="button-row">
            <Show
              when={recording() === "paused"}
              fallback={
                <button
                  type="button"
                  class="button"
                  data-testid="obs-record-pause"
                  disabled={off(record)}
                  onClick={() => void record.run("obs:pause_recording")}
                >
                  Pause recording
                </button>
              }
            >
              <button
                type="button"
                class="button"
                data-variant="primary"
                data-testid="obs-record-resume"
                disabled={off(record)}
                onClick={() => void record.run("obs:resume_recording")}
              >
                Resume recording
              </button>
            </Show>
            <StopButton
              id="obs-record-stop"
              label="Stop recording…"
              question={`Stop recording? It has run for ${recordTime() ?? "an unknown time"}; OBS saves the file.`}
              yes="Yes, stop recording"
              disabled={off(record)}
              onAsk={() => void props.link.refresh()}
              onStop={() => void record.run("obs:stop_recording")}
            />
          </div>
        </Show>
        <Problem id="obs-record-error" message={record.error()} />
      </div>
    </section>
  );
}

const attr = (on: boolean) => (on ? "" : undefined);

/** A stop asked twice: the button, then the question with the running time and two answers. */
function StopButton(props: {
  id: string;
  label: string;
  question: string;
  yes: string;
  disabled: boolean;
  /** The question is about to show: a fresh status makes its running time exact. */
  onAsk: () => void;
  onStop: () => void;
}): JSX.Element {
  const [asking, setAsking] = createSignal(false);
  return (
    <Show
      when={asking()}
      fallback={
        <button
          type="button"
          class="button"
          data-variant="danger"
          data-testid={props.id}
          disabled={props.disabled}
          onClick={() => {
            props.onAsk();
            setAsking(true);
          }}
        >
          {props.label}
        </button>
      }
    >
      <fieldset class="confirm">
        <legend class="visually-hidden">{props.label}</legend>
        <span data-testid={`${props.id}-question`}>{props.question}</span>
        <button
          type="button"
          class="button"
          data-variant="danger"
          data-testid={`${props.id}-confirm`}
          disabled={props.disabled}
          onClick={() => {
            setAsking(false);
            props.onStop();
          }}
        >
          {props.yes}
        </button>
        <button
          type="button"
          class="button"
          data-testid={`${props.id}-cancel`}
          onClick={() => setAsking(false)}
        >
          Cancel
        </button>
      </fieldset>
    </Show>
  );
}

function Problem(props: { id: string; message: string | null }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="notice" data-tone="danger" role="alert" data-testid={props.id}>
          {message()}
        </p>
      )}
    </Show>
  );
}
