/**
 * A part of a page that the hub shows or hides as a whole (the omnibar on a BRB scene), moved by
 * one GSAP tween at a time between two poses. A new `set` kills the running tween (kill, never
 * revert) and starts from where the element was caught, so a hide turned back midway shows again
 * without a jump. The first `set` puts the element in place at once: a page loaded while hidden
 * does not animate out. The tween ends with its owner.
 */
import { gsap } from "gsap";
import { type Accessor, createSignal, onCleanup, untrack } from "solid-js";
import { MOTION } from "../design/tokens";
import { poseOf } from "./animator";
import type { Pose, Timing } from "./motion";

export type PresenceState = "shown" | "hiding" | "hidden" | "showing";

export interface PresenceMotion {
  shown: Pose;
  hidden: Pose;
  show: Timing;
  hide: Timing;
}

export interface Presence {
  /** What the hub wants now; called from socket handlers, like the stage's `sync`. */
  set(hidden: boolean): void;
  state: Accessor<PresenceState>;
  /** The ref callback of the element shown and hidden. */
  bind(element: HTMLElement): void;
}

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

export function createPresence(motion: PresenceMotion): Presence {
  const [state, setState] = createSignal<PresenceState>("shown");
  let element: HTMLElement | undefined;
  let tween: gsap.core.Tween | null = null;
  let first = true;
  let disposed = false;

  const stop = () => {
    tween?.kill();
    tween = null;
  };
  onCleanup(() => {
    disposed = true;
    stop();
  });

  return {
    state,
    bind(bound) {
      element = bound;
    },
    set(hidden) {
      if (disposed) return;
      const instant = first;
      first = false;
      const now = untrack(state);
      const moving: PresenceState = hidden ? "hiding" : "showing";
      const resting: PresenceState = hidden ? "hidden" : "shown";
      if (now === moving || now === resting) return;
      stop();
      // Reduced motion keeps the element where it shows and only fades it.
      const reduce = window.matchMedia(REDUCED_MOTION).matches;
      const pose = hidden ? motion.hidden : motion.shown;
      const target = reduce ? { ...motion.shown, autoAlpha: pose.autoAlpha } : pose;
      if (instant || element === undefined) {
        if (element !== undefined) gsap.set(element, target);
        setState(resting);
        return;
      }
      const timing = hidden ? motion.hide : motion.show;
      setState(moving);
      const running = gsap.fromTo(element, poseOf(element, target), {
        ...target,
        duration: reduce ? Math.min(timing.duration, MOTION.fade) : timing.duration,
        ease: reduce ? "none" : timing.ease,
        onComplete: () => {
          if (tween !== running) return;
          tween = null;
          setState(resting);
        },
      });
      tween = running;
    },
  };
}
