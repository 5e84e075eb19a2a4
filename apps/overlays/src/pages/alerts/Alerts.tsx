/**
 * `/overlays/alerts`: the full-screen stage for the big moments — raids, big cheers (`data.big`)
 * on the foreground, a running hype train on the midground. Smaller alerts belong to the omnibar
 * and are ignored here. The hype train is folded from `events:twitch`; it leaves on its end
 * event or when its expiry passes (one owned timeout); an alert whose time runs out while the hub is unreachable leaves too.
 */
import { useSubscription } from "@landale/client/solid";
import { EVENTS, type LayerContent, PUSH, STREAM_OVERLAYS } from "@landale/shared";
import { type Accessor, createMemo, For, Show } from "solid-js";
import { AlertAmount, AlertDetail, AlertMessage, AlertName } from "../../content/AlertParts";
import { describeAlert, isBigMoment } from "../../content/alerts";
import { count } from "../../content/format";
import { foldHypeTrain, type HypeTrain, msUntilExpiry } from "../../content/hype-train";
import { createTimers } from "../../lifecycle/timers";
import { createStage, StageLayer } from "../../orchestrator/stage";
import type { Stamp } from "../../stream/stale";
import { createStaleGuard } from "../../stream/stale-guard";
import { ALERTS_MOTION } from "./motion";
import "./alerts.css";

type StageContent =
  | { id: string; kind: "alert"; alert: LayerContent }
  | { id: string; kind: "hype_train"; train: HypeTrain };

export function Alerts() {
  const stage = createStage<StageContent>({ motion: ALERTS_MOTION });
  const timers = createTimers();
  let alert: { content: LayerContent; stamp: Stamp } | null = null;
  let hype: HypeTrain | null = null;
  let cancelExpiry: (() => void) | null = null;

  // An alert left over from a lost link leaves on its own.
  const sync = () => {
    const foreground = alert === null ? null : guard.fresh(alert.content, alert.stamp);
    stage.sync({
      foreground:
        foreground === null ? null : { id: foreground.id, kind: "alert", alert: foreground },
      midground: hype === null ? null : { id: hype.id, kind: "hype_train", train: hype },
      background: null,
    });
  };
  const guard = createStaleGuard(sync);

  const setHype = (next: HypeTrain | null) => {
    hype = next;
    cancelExpiry?.();
    cancelExpiry =
      next === null
        ? null
        : timers.after(msUntilExpiry(next, Date.now()), () => {
            cancelExpiry = null;
            setHype(foldHypeTrain(hype, [], Date.now()));
          });
    sync();
  };

  useSubscription(STREAM_OVERLAYS, PUSH.streamState, (state) => {
    const current = state.layers.foreground;
    alert =
      current !== null && isBigMoment(current)
        ? { content: current, stamp: { updatedAt: state.updated_at, receivedAt: Date.now() } }
        : null;
    sync();
  });
  useSubscription(EVENTS.topic("twitch"), PUSH.eventBatch, (batch) => {
    if (batch.events.some((event) => event.type.startsWith("channel.hype_train."))) {
      setHype(foldHypeTrain(hype, batch.events, Date.now()));
    }
  });

  return (
    <div data-alerts>
      <StageLayer stage={stage} layer="midground" kind={(content) => content.kind}>
        {(content) => (
          <Show when={hypeOf(content())}>{(train) => <HypeBanner train={train} />}</Show>
        )}
      </StageLayer>
      <StageLayer
        stage={stage}
        layer="foreground"
        kind={(content) => content.kind}
        type={(content) => (content.kind === "alert" ? content.alert.type : undefined)}
      >
        {(content) => (
          <Show when={alertOf(content())}>{(alert) => <AlertCard alert={alert} />}</Show>
        )}
      </StageLayer>
    </div>
  );
}

const hypeOf = (content: StageContent) => (content.kind === "hype_train" ? content.train : null);
const alertOf = (content: StageContent) => (content.kind === "alert" ? content.alert : null);

function AlertCard(props: { alert: Accessor<LayerContent> }) {
  const view = createMemo(() => describeAlert(props.alert()));
  return (
    <div data-card data-accent={view().accent}>
      <span data-part="kicker" data-reveal>
        {view().kicker}
      </span>
      <AlertName view={view} />
      <AlertDetail view={view} />
      <AlertAmount view={view} />
      <AlertMessage view={view} />
    </div>
  );
}

function HypeBanner(props: { train: Accessor<HypeTrain> }) {
  const ratio = () => {
    const { progress, goal } = props.train();
    return goal > 0 ? Math.min(1, Math.max(0, progress / goal)) : 0;
  };
  return (
    <div data-banner data-accent="hype">
      <div data-part="heading" data-reveal>
        <span data-part="chip">Hype train</span>
        <span data-part="level">
          Level <strong>{props.train().level}</strong>
        </span>
        <span data-part="percent">{Math.round(ratio() * 100)}%</span>
      </div>
      <div data-part="track" data-reveal>
        <span data-part="fill" style={{ transform: `scaleX(${ratio()})` }} />
      </div>
      <Show when={props.train().top.length > 0}>
        <div data-part="contributors" data-reveal>
          <For each={props.train().top}>
            {(top) => (
              <span data-part="contributor">
                <strong>{top.name}</strong> {contribution(top.type, top.total)}
              </span>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}

/** Twitch counts bits in bits and every other contribution in points. */
function contribution(type: string, total: number): string {
  return type === "bits" ? `${count(total)} bits` : `${count(total)} pts`;
}
