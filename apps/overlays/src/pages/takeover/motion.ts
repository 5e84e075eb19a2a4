/** The takeover's motion: the cover fades over the whole screen, its words rise into place. */
import { MOTION, SPACE } from "../../design/tokens";
import { DEFAULT_TIMING, type LayerMotion, type PageMotion } from "../../orchestrator/motion";

const cover: LayerMotion = {
  before: { autoAlpha: 0, scale: 1.02 },
  active: { autoAlpha: 1, scale: 1 },
  interrupted: { autoAlpha: 0, scale: 1 },
  after: { autoAlpha: 0, scale: 1 },
  timing: { ...DEFAULT_TIMING, enter: { duration: 0.5, ease: MOTION.easeOut } },
  reveal: {
    from: { autoAlpha: 0, y: SPACE[2] },
    to: { autoAlpha: 1, y: 0 },
    stagger: MOTION.stagger * 2,
  },
};

export const TAKEOVER_MOTION: PageMotion = {
  foreground: cover,
  midground: cover,
  background: cover,
};
