/**
 * How a page's layers move: for each layer, the pose it rests in for each phase and the timing
 * of each animation. Poses are explicit values (no GSAP `from`/`to` guessing the other end), and
 * `reduced` turns any motion into an opacity-only one for `prefers-reduced-motion`.
 */
import { MOTION } from "../design/tokens";
import type { Animation, Layer } from "./machine";

/** The properties a layer's element is animated on; transforms are GPU-cheap in OBS. */
export interface Pose {
  autoAlpha: number;
  x?: number;
  y?: number;
  scale?: number;
}

export interface Timing {
  duration: number;
  ease: string;
}

export interface LayerMotion {
  /** Where an entering layer starts. */
  before: Pose;
  /** On stage. */
  active: Pose;
  /** Yielding to a higher layer. */
  interrupted: Pose;
  /** Where an exit ends. */
  after: Pose;
  timing: Record<Animation, Timing>;
  /** Children marked `data-reveal` follow the enter, one after another. */
  reveal?: { from: Pose; to: Pose; stagger: number };
}

export type PageMotion = Record<Layer, LayerMotion>;

export const DEFAULT_TIMING: Record<Animation, Timing> = {
  enter: { duration: MOTION.enter, ease: MOTION.easeOut },
  exit: { duration: MOTION.exit, ease: MOTION.easeIn },
  interrupt: { duration: MOTION.interrupt, ease: MOTION.easeInOut },
  resume: { duration: MOTION.resume, ease: MOTION.easeOut },
};

/** The pose an animation heads for. */
export function targetOf(motion: LayerMotion, animation: Animation): Pose {
  switch (animation) {
    case "enter":
    case "resume":
      return motion.active;
    case "exit":
      return motion.after;
    case "interrupt":
      return motion.interrupted;
  }
}

/**
 * The same motion with every movement taken out: each pose keeps its opacity and sits where
 * `active` sits, and nothing lasts longer than a short fade.
 */
export function reduced(motion: LayerMotion): LayerMotion {
  const still = (pose: Pose): Pose => ({ ...motion.active, autoAlpha: pose.autoAlpha });
  const fade = (timing: Timing): Timing => ({
    duration: Math.min(timing.duration, MOTION.fade),
    ease: "none",
  });
  return {
    before: still(motion.before),
    active: motion.active,
    interrupted: still(motion.interrupted),
    after: still(motion.after),
    timing: {
      enter: fade(motion.timing.enter),
      exit: fade(motion.timing.exit),
      interrupt: fade(motion.timing.interrupt),
      resume: fade(motion.timing.resume),
    },
  };
}

/** The property names of a pose, as GSAP reads them back from an element. */
export function poseKeys(pose: Pose): (keyof Pose)[] {
  return Object.keys(pose) as (keyof Pose)[];
}
