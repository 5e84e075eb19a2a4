/**
 * The alert stage's motion: the big alert rises and settles in the middle of the screen, then
 * lifts away; the hype train drops in from the top and, while a big alert has the stage, steps
 * back (smaller, faded) rather than leaving.
 */
import { MOTION, SPACE } from "../../design/tokens";
import { DEFAULT_TIMING, type LayerMotion, type PageMotion } from "../../orchestrator/motion";

const banner: LayerMotion = {
  before: { autoAlpha: 0, y: -SPACE[6], scale: 1 },
  active: { autoAlpha: 1, y: 0, scale: 1 },
  interrupted: { autoAlpha: 0.3, y: -SPACE[2], scale: 0.92 },
  after: { autoAlpha: 0, y: -SPACE[6], scale: 1 },
  timing: DEFAULT_TIMING,
  reveal: {
    from: { autoAlpha: 0, y: -SPACE[1] },
    to: { autoAlpha: 1, y: 0 },
    stagger: MOTION.stagger,
  },
};

export const ALERTS_MOTION: PageMotion = {
  foreground: {
    before: { autoAlpha: 0, y: SPACE[6], scale: 0.9 },
    active: { autoAlpha: 1, y: 0, scale: 1 },
    interrupted: { autoAlpha: 0, y: SPACE[3], scale: 0.95 },
    after: { autoAlpha: 0, y: -SPACE[4], scale: 1.04 },
    timing: {
      ...DEFAULT_TIMING,
      enter: { duration: 0.8, ease: "back.out(1.4)" },
      exit: { duration: 0.5, ease: MOTION.easeIn },
    },
    reveal: {
      from: { autoAlpha: 0, y: SPACE[3] },
      to: { autoAlpha: 1, y: 0 },
      stagger: MOTION.stagger * 2,
    },
  },
  midground: banner,
  background: banner,
};
