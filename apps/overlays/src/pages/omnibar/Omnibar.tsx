/**
 * `/overlays/omnibar`: the bar along the bottom of the screen. The foreground shows alerts, the
 * midground the sub train or the timeline of recent interactions, the background the ticker —
 * one layer at a time, as the orchestrator decides. The bar's backing is up while any layer is.
 * An alert whose time runs out while the hub is unreachable leaves on its own. The whole bar
 * hides while the hub says so (OBS is on a scene listed in `LANDALE_OMNIBAR_HIDDEN_SCENES`),
 * its layers going on underneath, and comes back showing whatever is current.
 */
import { useSubscription } from "@landale/client/solid";
import { type LayerContent, PUSH, STREAM_OVERLAYS, type StreamState } from "@landale/shared";
import { type Accessor, createMemo, For, type JSX, Match, Show, Switch } from "solid-js";
import { AlertAmount, AlertDetail, AlertMessage, AlertName } from "../../content/AlertParts";
import { describeAlert } from "../../content/alerts";
import { describeLayer, type LayerView } from "../../content/layers";
import type { Layer } from "../../orchestrator/machine";
import { createPresence } from "../../orchestrator/presence";
import { createStage, StageLayer } from "../../orchestrator/stage";
import type { Stamp } from "../../stream/stale";
import { createStaleGuard } from "../../stream/stale-guard";
import { OMNIBAR_MOTION, OMNIBAR_PRESENCE } from "./motion";
import "./omnibar.css";

export function Omnibar() {
  const stage = createStage<LayerContent>({ motion: OMNIBAR_MOTION });
  const presence = createPresence(OMNIBAR_PRESENCE);
  let received: { layers: StreamState["layers"]; stamp: Stamp } | null = null;
  // The hub's layers, less an alert left over from a lost link.
  const show = () => {
    if (received === null) return;
    const { layers, stamp } = received;
    stage.sync({ ...layers, foreground: guard.fresh(layers.foreground, stamp) });
  };
  const guard = createStaleGuard(show);
  useSubscription(STREAM_OVERLAYS, PUSH.streamState, (state) => {
    received = {
      layers: state.layers,
      stamp: { updatedAt: state.updated_at, receivedAt: Date.now() },
    };
    show();
    presence.set(state.omnibar.hidden);
  });

  const open = createMemo(() => Object.values(stage.phases()).some((phase) => phase !== "hidden"));
  const layer = (name: Layer, render: (content: Accessor<LayerContent>) => JSX.Element) => (
    <StageLayer
      stage={stage}
      layer={name}
      kind={(content) => content.kind}
      type={(content) => content.type}
    >
      {render}
    </StageLayer>
  );

  return (
    <div
      data-omnibar
      data-open={open() ? "" : undefined}
      data-visibility={presence.state()}
      ref={presence.bind}
    >
      <div data-bar-backing />
      {layer("background", (content) => (
        <LayerBar content={content} />
      ))}
      {layer("midground", (content) => (
        <LayerBar content={content} />
      ))}
      {layer("foreground", (content) => (
        <AlertBar content={content} />
      ))}
    </div>
  );
}

function AlertBar(props: { content: Accessor<LayerContent> }) {
  const view = createMemo(() => describeAlert(props.content()));
  return (
    <div data-panel="alert" data-accent={view().accent}>
      <span data-part="chip" data-reveal>
        {view().kicker}
      </span>
      <AlertName view={view} />
      <AlertDetail view={view} />
      <AlertMessage view={view} />
      <AlertAmount view={view} />
      <Countdown content={props.content()} />
    </div>
  );
}

/** A thin line that runs down over the content's time on screen (a CSS animation, not a timer). */
function Countdown(props: { content: LayerContent }) {
  const timing = () => {
    const { started_at: started, expires_at: expires } = props.content;
    if (expires === null) return null;
    const total = Date.parse(expires) - Date.parse(started);
    if (!(total > 0)) return null;
    const elapsed = Math.min(total, Math.max(0, Date.now() - Date.parse(started)));
    return { "animation-duration": `${total}ms`, "animation-delay": `-${elapsed}ms` };
  };
  return (
    <Show when={timing()} keyed>
      {(style) => <span data-part="countdown" style={style} />}
    </Show>
  );
}

/** The midground's or background's bar; nothing at all when the content's data does not parse. */
function LayerBar(props: { content: Accessor<LayerContent> }) {
  const described = createMemo(() => describeLayer(props.content()));
  return (
    <Show when={described()}>{(view) => <LayerPanel content={props.content} view={view} />}</Show>
  );
}

function LayerPanel(props: { content: Accessor<LayerContent>; view: Accessor<LayerView> }) {
  const view = () => props.view();
  return (
    <div data-panel={view().view}>
      <Switch>
        <Match when={narrow(view(), "sub_train")}>
          {(train) => (
            <>
              <span data-part="chip" data-accent="sub" data-reveal>
                Sub train
              </span>
              <span data-part="count" data-reveal>
                <strong>{train().count}</strong> {train().unit}
              </span>
              <Show when={train().latest}>
                {(latest) => (
                  <span data-part="latest" data-reveal>
                    latest <strong>{latest()}</strong>
                  </span>
                )}
              </Show>
              <span data-part="tiers" data-reveal>
                <For each={train().tiers}>
                  {(tier) => (
                    <span data-part="tier">
                      {tier.label} <strong>{tier.count}</strong>
                    </span>
                  )}
                </For>
              </span>
              <Countdown content={props.content()} />
            </>
          )}
        </Match>
        <Match when={narrow(view(), "timeline")}>
          {(timeline) => (
            <>
              <span data-part="chip" data-reveal>
                Recently
              </span>
              <span data-part="entries">
                <For each={timeline().items}>
                  {(entry) => (
                    <span data-part="entry" data-accent={entry.accent} data-reveal>
                      <strong>{entry.name}</strong> {entry.summary}
                    </span>
                  )}
                </For>
              </span>
            </>
          )}
        </Match>
        <Match when={narrow(view(), "ticker")}>
          {(ticker) => (
            <>
              <span data-part="chip" data-reveal>
                {ticker().label}
              </span>
              <span data-part="entries">
                <For
                  each={ticker().entries}
                  fallback={
                    <span data-part="empty" data-reveal>
                      {ticker().empty}
                    </span>
                  }
                >
                  {(entry) => (
                    <span data-part="entry" data-reveal>
                      <Show when={entry.value}>{(value) => <strong>{value()}</strong>}</Show>{" "}
                      {entry.label}
                      <Show when={entry.progress !== undefined}>
                        <span data-part="progress">
                          <span
                            data-part="progress-fill"
                            style={{ transform: `scaleX(${entry.progress ?? 0})` }}
                          />
                        </span>
                      </Show>
                    </span>
                  )}
                </For>
              </span>
            </>
          )}
        </Match>
        <Match when={narrow(view(), "text")}>
          {(text) => (
            <>
              <span data-part="chip" data-reveal>
                {text().label}
              </span>
              <span data-part="text" data-reveal>
                {text().text}
              </span>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}

function narrow<V extends LayerView["view"]>(
  view: LayerView,
  kind: V,
): Extract<LayerView, { view: V }> | false {
  return view.view === kind ? (view as Extract<LayerView, { view: V }>) : false;
}
