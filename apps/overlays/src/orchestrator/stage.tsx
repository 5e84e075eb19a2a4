/**
 * The orchestrator inside a page: holds the machine's state in a signal, feeds it the hub's
 * content (`sync`) and the animator's reports, runs the commands it returns on the layers'
 * elements, and renders each layer's content keyed by its id. Everything it starts — tweens, the
 * reduced-motion listener — ends with its owner.
 *
 * `sync` is called from socket handlers, never from inside a reactive computation: the machine's
 * new content must be in the DOM before its animation starts, and Solid applies a signal written
 * outside a computation at once.
 */
import {
  type Accessor,
  createMemo,
  createSignal,
  type JSX,
  onCleanup,
  Show,
  untrack,
} from "solid-js";
import { useDebugRegistry } from "../debug/hook";
import { createAnimator } from "./animator";
import {
  type Identified,
  type Input,
  initialState,
  type Layer,
  type LayerSlot,
  type MachineState,
  type Phase,
  phases,
  step,
} from "./machine";
import { type PageMotion, reduced } from "./motion";

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

export interface StageOptions {
  motion: PageMotion;
  /** Put what is on stage at the first sync in place at once, without animating it in. */
  instantFirstSync?: boolean;
}

export interface Stage<C extends Identified> {
  /** The content the hub wants on each layer now (null hides the layer). */
  sync(layers: Readonly<Record<Layer, C | null>>): void;
  slot(layer: Layer): LayerSlot<C>;
  phases(): Record<Layer, Phase>;
  /** The ref callback of a layer's element. */
  bind(layer: Layer): (element: HTMLElement) => void;
}

export function createStage<C extends Identified>(options: StageOptions): Stage<C> {
  const [machine, setMachine] = createSignal<MachineState<C>>(initialState<C>());
  const elements: Partial<Record<Layer, HTMLElement>> = {};

  const media = window.matchMedia(REDUCED_MOTION);
  let reduce = media.matches;
  const onMediaChange = (event: MediaQueryListEvent) => {
    reduce = event.matches;
  };
  media.addEventListener("change", onMediaChange);

  const animator = createAnimator(
    (layer) => (reduce ? reduced(options.motion[layer]) : options.motion[layer]),
    (layer, done, run) => dispatch({ type: done, layer, run }),
  );

  // Reports can arrive while a step's commands are still being started (an instant animation
  // reports at once): they wait their turn here, so the machine sees one input at a time.
  const inbox: Input<C>[] = [];
  let draining = false;
  let instant = options.instantFirstSync === true;
  let disposed = false;

  function dispatch(input: Input<C>): void {
    if (disposed) return;
    inbox.push(input);
    if (draining) return;
    draining = true;
    try {
      for (let next = inbox.shift(); next !== undefined; next = inbox.shift()) {
        const result = step(untrack(machine), next);
        if (result.state === untrack(machine)) continue;
        setMachine(() => result.state);
        for (const command of result.commands) {
          animator.run(command, elements[command.layer], instant);
        }
      }
    } finally {
      draining = false;
      instant = false;
    }
  }

  onCleanup(() => {
    disposed = true;
    inbox.length = 0;
    animator.dispose();
    media.removeEventListener("change", onMediaChange);
  });

  const stage: Stage<C> = {
    sync: (layers) => dispatch({ type: "sync", layers }),
    slot: (layer) => machine()[layer],
    phases: () => phases(machine()),
    bind: (layer) => (element) => {
      elements[layer] = element;
    },
  };
  useDebugRegistry()?.layers(stage.phases);
  return stage;
}

export interface StageLayerProps<C extends Identified> {
  stage: Stage<C>;
  layer: Layer;
  /** Renders the layer's content; called once per content id, with the latest content. */
  children: (content: Accessor<C>) => JSX.Element;
  /** Styling hooks of the content: `data-kind`, `data-type`. */
  kind?: (content: C) => string | undefined;
  type?: (content: C) => string | undefined;
}

/**
 * One layer's element (`data-layer`, `data-state`, `data-kind`, `data-type`), rendering the
 * content the machine has on it. Content with a new id gets a new subtree; new data for the same
 * id updates the subtree in place.
 */
export function StageLayer<C extends Identified>(props: StageLayerProps<C>): JSX.Element {
  const slot = createMemo(() => props.stage.slot(props.layer));
  const id = createMemo(() => slot().content?.id ?? null);
  const latest = createMemo<C | null>((previous) => slot().content ?? previous, null);
  const content = () => latest() as C;
  return (
    <section
      data-layer={props.layer}
      data-state={slot().phase}
      data-kind={slot().content === null ? undefined : props.kind?.(content())}
      data-type={slot().content === null ? undefined : props.type?.(content())}
      ref={props.stage.bind(props.layer)}
    >
      <Show when={id()} keyed>
        {(_id) => props.children(content)}
      </Show>
    </section>
  );
}
