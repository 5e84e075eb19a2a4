/**
 * The layer orchestrator: a pure state machine deciding what each layer shows and which
 * animation runs, from two inputs only — the content the hub wants on each layer (`sync`) and the
 * edge telling it an animation finished (`entered`, `exited`). No DOM, no GSAP, no clock.
 *
 * Each layer is `hidden → entering → active → interrupted → exiting`. Priorities are
 * foreground > midground > background, and one layer owns the stage at a time:
 * - a layer with content enters when no higher layer is on stage (entering, active or exiting);
 * - a higher layer coming on stage interrupts the lower ones (entering/active → interrupted);
 * - when the higher one has exited, the highest interrupted layer resumes (interrupted →
 *   entering → active) and the ones below it stay interrupted; a covered layer that was hidden
 *   with content waiting enters instead;
 * - new content (a new `id`) on a shown layer re-animates: the old content exits, then the new one
 *   enters (exit-then-enter rather than a cross-fade, so two pieces of content never overlap);
 *   the same `id` with new data updates in place without animating;
 * - whatever is asked during `exiting` is remembered and honoured once the exit finishes;
 * - every command carries a `run` number, and a completion whose run is not the layer's current
 *   one (a tween killed by an interruption) is ignored.
 */

export const LAYER_ORDER = ["foreground", "midground", "background"] as const;
export type Layer = (typeof LAYER_ORDER)[number];

export type Phase = "hidden" | "entering" | "active" | "interrupted" | "exiting";

/** Anything a layer can show: only its `id` matters here. */
export interface Identified {
  id: string;
}

export interface LayerSlot<C extends Identified> {
  phase: Phase;
  /** What the layer renders now; kept while it exits so it leaves with its own content. */
  content: C | null;
  /** What the hub wants on the layer; becomes `content` when the layer can show it. */
  wanted: C | null;
  /** The animation run in flight (or last run) for this layer. */
  run: number;
}

export type MachineState<C extends Identified> = Readonly<Record<Layer, LayerSlot<C>>>;

export type Animation = "enter" | "exit" | "interrupt" | "resume";

export interface Command {
  layer: Layer;
  animation: Animation;
  /** Echoed back by `entered`/`exited` so a stale completion can be told apart. */
  run: number;
}

export type Input<C extends Identified> =
  | { type: "sync"; layers: Readonly<Record<Layer, C | null>> }
  | { type: "entered"; layer: Layer; run: number }
  | { type: "exited"; layer: Layer; run: number };

export interface Step<C extends Identified> {
  state: MachineState<C>;
  commands: Command[];
}

/** Animations that finish on their own and report back; interrupts do not report. */
export const REPORTING: Readonly<Record<Animation, "entered" | "exited" | null>> = {
  enter: "entered",
  resume: "entered",
  exit: "exited",
  interrupt: null,
};

export function initialState<C extends Identified>(): MachineState<C> {
  const slot = (): LayerSlot<C> => ({ phase: "hidden", content: null, wanted: null, run: 0 });
  return { foreground: slot(), midground: slot(), background: slot() };
}

/** The next state and the animations to start, for one input. */
export function step<C extends Identified>(state: MachineState<C>, input: Input<C>): Step<C> {
  const slots = copy(state);
  switch (input.type) {
    case "sync":
      for (const layer of LAYER_ORDER) slots[layer].wanted = input.layers[layer];
      break;
    case "entered": {
      const slot = slots[input.layer];
      if (slot.phase !== "entering" || slot.run !== input.run) return { state, commands: [] };
      slot.phase = "active";
      break;
    }
    case "exited": {
      const slot = slots[input.layer];
      if (slot.phase !== "exiting" || slot.run !== input.run) return { state, commands: [] };
      slot.phase = "hidden";
      slot.content = null;
      break;
    }
  }
  const commands = reconcile(slots);
  return { state: slots, commands };
}

/** Whether a layer in this phase holds the stage, covering every layer below it. */
export function onStage(phase: Phase): boolean {
  return phase === "entering" || phase === "active" || phase === "exiting";
}

/** Top-down: each layer settles knowing whether a higher one holds the stage. */
function reconcile<C extends Identified>(slots: Record<Layer, LayerSlot<C>>): Command[] {
  const commands: Command[] = [];
  let covered = false;
  for (const layer of LAYER_ORDER) {
    const animation = settle(slots[layer], covered);
    if (animation !== null) {
      slots[layer].run++;
      commands.push({ layer, animation, run: slots[layer].run });
    }
    covered ||= onStage(slots[layer].phase);
  }
  return commands;
}

function settle<C extends Identified>(slot: LayerSlot<C>, covered: boolean): Animation | null {
  const { wanted } = slot;
  switch (slot.phase) {
    case "hidden":
      if (wanted === null || covered) return null;
      slot.content = wanted;
      slot.phase = "entering";
      return "enter";
    case "entering":
    case "active":
      if (wanted === null || wanted.id !== slot.content?.id) {
        slot.phase = "exiting";
        return "exit";
      }
      slot.content = wanted;
      if (!covered) return null;
      slot.phase = "interrupted";
      return "interrupt";
    case "interrupted":
      if (wanted === null || wanted.id !== slot.content?.id) {
        slot.phase = "exiting";
        return "exit";
      }
      slot.content = wanted;
      if (covered) return null;
      slot.phase = "entering";
      return "resume";
    case "exiting":
      // The exit finishes first; `exited` settles the layer again with what is wanted then.
      return null;
  }
}

function copy<C extends Identified>(state: MachineState<C>): Record<Layer, LayerSlot<C>> {
  return {
    foreground: { ...state.foreground },
    midground: { ...state.midground },
    background: { ...state.background },
  };
}

/** Each layer's phase, for the debug panel and the debug hook. */
export function phases<C extends Identified>(state: MachineState<C>): Record<Layer, Phase> {
  return {
    foreground: state.foreground.phase,
    midground: state.midground.phase,
    background: state.background.phase,
  };
}
