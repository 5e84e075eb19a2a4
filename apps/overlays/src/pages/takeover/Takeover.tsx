/**
 * `/overlays/takeover`: covers the whole screen while a takeover is active — technical
 * difficulties, please stand by, screen cover or a custom message. The hub pushes the state on
 * join, so a page loaded during a takeover covers at once (the first state is put in place
 * without animating). `takeover` and `takeover_clear` pushes apply as they come; `stream_state`
 * stays the authority.
 */
import { useSubscription } from "@landale/client/solid";
import { PUSH, STREAM_OVERLAYS, type Takeover as TakeoverState } from "@landale/shared";
import { type Accessor, createMemo, Show } from "solid-js";
import { describeTakeover } from "../../content/takeover";
import { createStage, StageLayer } from "../../orchestrator/stage";
import { TAKEOVER_MOTION } from "./motion";
import "./takeover.css";

export function Takeover() {
  const stage = createStage<TakeoverState>({ motion: TAKEOVER_MOTION, instantFirstSync: true });
  let current: TakeoverState | null = null;
  const show = (takeover: TakeoverState | null) => {
    current = takeover;
    stage.sync({ foreground: takeover, midground: null, background: null });
  };

  useSubscription(STREAM_OVERLAYS, PUSH.streamState, (state) => show(state.takeover));
  useSubscription(STREAM_OVERLAYS, PUSH.takeover, show);
  useSubscription(STREAM_OVERLAYS, PUSH.takeoverClear, (cleared) => {
    // A clear of an older takeover must not take down the one that replaced it.
    if (current?.id === cleared.id) show(null);
  });

  return (
    <div data-takeover>
      <StageLayer stage={stage} layer="foreground" type={(takeover) => takeover.type}>
        {(takeover) => <Cover takeover={takeover} />}
      </StageLayer>
    </div>
  );
}

function Cover(props: { takeover: Accessor<TakeoverState> }) {
  const view = createMemo(() => describeTakeover(props.takeover()));
  return (
    <div data-cover data-type={view().type}>
      <Show when={view().kicker}>
        {(kicker) => (
          <span data-part="kicker" data-reveal>
            <span data-part="dot" />
            {kicker()}
          </span>
        )}
      </Show>
      <Show when={view().title}>
        {(title) => (
          <h1 data-part="title" data-size={view().titleSize} data-reveal>
            {title()}
          </h1>
        )}
      </Show>
      <Show when={view().subtitle}>
        {(subtitle) => (
          <p data-part="subtitle" data-reveal>
            {subtitle()}
          </p>
        )}
      </Show>
    </div>
  );
}
