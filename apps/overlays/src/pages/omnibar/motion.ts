/**
 * The omnibar's motion: content rises into the bar and leaves upward, so the ticker rolls; a
 * layer yielding to a higher one sinks out of the bar, and the alert card slides up over it. On a
 * scene that hides it, the whole bar sinks away and fades; it rises back when the scene changes.
 */
import { MOTION, SPACE } from "../../design/tokens";
import { DEFAULT_TIMING, type LayerMotion, type PageMotion } from "../../orchestrator/motion";
import type { PresenceMotion } from "../../orchestrator/presence";

const bar: LayerMotion = {
  before: { autoAlpha: 0, y: SPACE[2] },
  active: { autoAlpha: 1, y: 0 },
  interrupted: { autoAlpha: 0, y: SPACE[3] },
  after: { autoAlpha: 0, y: -SPACE[2] },
  timing: DEFAULT_TIMING,
  reveal: {
    from: { autoAlpha: 0, y: SPACE[1] },
    to: { autoAlpha: 1, y: 0 },
    stagger: MOTION.stagger,
  },
};

export const OMNIBAR_MOTION: PageMotion = {
  foreground: {
    before: { autoAlpha: 0, y: SPACE[4], scale: 0.98 },
    active: { autoAlpha: 1, y: 0, scale: 1 },
    interrupted: { autoAlpha: 0, y: SPACE[3], scale: 0.98 },
    after: { autoAlpha: 0, y: SPACE[3], scale: 0.98 },
    timing: DEFAULT_TIMING,
    reveal: {
      from: { autoAlpha: 0, x: -SPACE[2] },
      to: { autoAlpha: 1, x: 0 },
      stagger: MOTION.stagger,
    },
  },
  midground: bar,
  background: bar,
};

export const OMNIBAR_PRESENCE: PresenceMotion = {
  shown: { autoAlpha: 1, y: 0 },
  hidden: { autoAlpha: 0, y: SPACE[6] },
  show: { duration: MOTION.enter, ease: MOTION.easeOut },
  hide: { duration: MOTION.exit, ease: MOTION.easeIn },
};
