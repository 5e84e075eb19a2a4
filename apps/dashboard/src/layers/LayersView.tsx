/**
 * What the overlays show now, as the hub's `stream_state` says: a miniature of the screen with
 * the omnibar's three layers (foreground alerts over the midground's sub train or timeline over
 * the background ticker) and any takeover covering them, then each layer in detail, the show,
 * the ticker rotation and the state's version.
 */
import { LAYERS, type LayerContent, type LayerName } from "@landale/shared";
import { createSignal, For, Show } from "solid-js";
import { useApp } from "../app/context";
import { ViewHeader } from "../app/ViewHeader";
import { describeEvent } from "../feed/describe";
import { formatClock, formatCount } from "../format/format";
import { MusicPanel } from "../music/MusicPanel";
import { TimeLeft } from "../stream/TimeLeft";
import { describeLayer, kindLabel } from "./describe-layer";
import { layerStanding, omnibarText, STANDING_BADGES } from "./standing";
import "./layers.css";

const LAYER_LABELS: Record<LayerName, string> = {
  foreground: "Foreground",
  midground: "Midground",
  background: "Background",
};

const LAYER_ROLES: Record<LayerName, string> = {
  foreground: "alerts, or forced content",
  midground: "the sub train, else the latest interactions",
  background: "the ticker, rotating every 15 s",
};

function accentOf(content: LayerContent): string {
  if (content.kind === "alert") return describeEvent(content.type, content.data).accent;
  if (content.kind === "sub_train") return "sub";
  if (content.kind === "forced") return "warning";
  return "neutral";
}

export function LayersView() {
  const { live } = useApp();
  const stream = () => live.stream;

  /** The layer the omnibar shows: the highest one holding something. */
  const topmost = (): LayerName | null => {
    const layers = stream()?.layers;
    if (!layers) return null;
    return LAYERS.find((name) => layers[name] !== null) ?? null;
  };

  return (
    <section class="view" aria-labelledby="view-title">
      <ViewHeader
        title="Layers"
        lead="What the omnibar overlay shows right now, layer by layer, as the hub decides it."
      >
        <a
          class="button"
          href="/overlays/omnibar"
          target="_blank"
          rel="noreferrer"
          title="Add ?token=<overlay token> when the hub has one, as in OBS"
        >
          Open the omnibar overlay ↗
        </a>
      </ViewHeader>
      <Show
        when={stream()}
        fallback={
          <p class="panel empty" role="status">
            Waiting for the stream state from the hub…
          </p>
        }
      >
        {(state) => (
          <div class="layers-grid">
            <figure class="panel miniature-panel">
              <figcaption class="panel-header">
                <h2>Live miniature</h2>
                <span class="panel-note">
                  version{" "}
                  <strong data-testid="state-version">{formatCount(state().version)}</strong>
                </span>
              </figcaption>
              <div
                class="miniature"
                role="img"
                aria-label={miniatureLabel(
                  state().layers,
                  state().takeover?.type ?? null,
                  state().omnibar.hidden ? omnibarText(state().omnibar, state().obs.scene) : null,
                )}
              >
                <div class="miniature-scene" aria-hidden="true" />
                <div
                  class="miniature-bar"
                  aria-hidden="true"
                  data-hidden={state().omnibar.hidden ? "" : undefined}
                >
                  <For each={[...LAYERS].reverse()}>
                    {(name) => (
                      <Show when={state().layers[name]}>
                        {(content) => (
                          <div
                            class="miniature-layer"
                            data-layer={name}
                            data-accent={accentOf(content())}
                            data-on-top={topmost() === name ? "" : undefined}
                          >
                            <span class="miniature-chip">{kindLabel(content().kind)}</span>
                            <span class="miniature-text">{describeLayer(content())}</span>
                          </div>
                        )}
                      </Show>
                    )}
                  </For>
                </div>
                <Show when={state().takeover}>
                  {(takeover) => (
                    <div class="miniature-takeover" aria-hidden="true">
                      <strong>{takeover().type.replaceAll("-", " ")}</strong>
                      <Show when={takeover().message}>{(message) => <span>{message()}</span>}</Show>
                    </div>
                  )}
                </Show>
              </div>
              <dl class="facts">
                <dt>Show</dt>
                <dd data-testid="show">{state().show}</dd>
                <dt>Ticker</dt>
                <dd>
                  <ol class="ticker-items" aria-label="Ticker rotation">
                    <For each={state().ticker.items}>
                      {(item, index) => (
                        <li aria-current={index() === state().ticker.index ? "true" : undefined}>
                          {item.replaceAll("_", " ")}
                        </li>
                      )}
                    </For>
                  </ol>
                </dd>
                <dt>Next ticker turn</dt>
                <dd>
                  {state().ticker.next_at === null
                    ? "—"
                    : formatClock(state().ticker.next_at ?? "")}
                </dd>
                <dt>Alerts</dt>
                <dd>
                  {state().paused ? "paused" : "running"} · {formatCount(state().queue.length)}{" "}
                  waiting
                </dd>
                <dt>Omnibar</dt>
                <dd data-testid="omnibar-visibility">
                  {omnibarText(state().omnibar, state().obs.scene)}
                </dd>
                <dt>Takeover</dt>
                <dd>{state().takeover ? state().takeover?.type : "none"}</dd>
                <dt>Updated</dt>
                <dd>{formatClock(state().updated_at)}</dd>
              </dl>
            </figure>

            <div class="layer-cards">
              <For each={LAYERS}>
                {(name) => (
                  <LayerCard
                    name={name}
                    content={state().layers[name]}
                    onTop={topmost() === name}
                    covered={state().takeover !== null}
                    omnibarHidden={state().omnibar.hidden}
                  />
                )}
              </For>
            </div>
          </div>
        )}
      </Show>
      <MusicPanel />
    </section>
  );
}

function miniatureLabel(
  layers: Record<LayerName, LayerContent | null>,
  takeover: string | null,
  hidden: string | null,
): string {
  const parts = LAYERS.map((name) => {
    const content = layers[name];
    return `${name}: ${content === null ? "empty" : describeLayer(content)}`;
  });
  const covered = takeover ? `Covered by the ${takeover} takeover. ` : "";
  const omnibar = hidden ? `The omnibar is ${hidden}. ` : "";
  return `Omnibar miniature. ${covered}${omnibar}${parts.join("; ")}`;
}

function LayerCard(props: {
  name: LayerName;
  content: LayerContent | null;
  onTop: boolean;
  covered: boolean;
  omnibarHidden: boolean;
}) {
  const [open, setOpen] = createSignal(false);
  const jsonId = `layer-json-${props.name}`;
  const badge = () => STANDING_BADGES[layerStanding(props)];
  return (
    <section
      class="panel layer-card"
      aria-labelledby={`layer-${props.name}`}
      data-layer={props.name}
      data-testid={`layer-${props.name}`}
      data-accent={props.content ? accentOf(props.content) : "neutral"}
    >
      <div class="panel-header">
        <h2 id={`layer-${props.name}`}>{LAYER_LABELS[props.name]}</h2>
        <span class="button-row">
          <Show when={props.content}>
            <span class="badge" data-accent={badge().accent} data-testid="layer-standing">
              {badge().label}
            </span>
          </Show>
        </span>
      </div>
      <p class="panel-note">Shows {LAYER_ROLES[props.name]}.</p>
      <Show when={props.content} fallback={<p class="empty">Empty</p>}>
        {(content) => (
          <>
            <div class="layer-content">
              <span class="badge" data-accent={accentOf(content())}>
                {kindLabel(content().kind)}
              </span>
              <span class="mono muted">{content().type}</span>
            </div>
            <p class="layer-text">{describeLayer(content())}</p>
            <Show when={content().expires_at}>
              {(expires) => (
                <TimeLeft
                  startedAt={content().started_at}
                  expiresAt={expires()}
                  label="Leaves in"
                />
              )}
            </Show>
            <div>
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
            </div>
            <Show when={open()}>
              <pre id={jsonId} class="json" tabindex="0">
                {JSON.stringify(content(), null, 2)}
              </pre>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
