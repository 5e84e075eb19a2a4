/**
 * The GSAP edge of the orchestrator: runs the machine's animation commands on the layers'
 * elements and reports `entered`/`exited` back. One timeline per layer at most; a new command
 * kills the running one (kill, never revert: the element stays where it was caught) and starts
 * from the values the element has now, so an interrupted enter turns around without a jump.
 * Every tween is `fromTo` with explicit values. `dispose()` kills everything still running.
 */
import { gsap } from "gsap";
import { type Command, type Layer, REPORTING } from "./machine";
import { type LayerMotion, type Pose, poseKeys, targetOf } from "./motion";

export type Report = (layer: Layer, done: "entered" | "exited", run: number) => void;

export interface Animator {
  /** Starts `command` on `element`; `instant` puts it at its end pose at once and reports. */
  run(command: Command, element: HTMLElement | undefined, instant: boolean): void;
  /** Timelines this animator has running. */
  running(): number;
  dispose(): void;
}

const REVEAL = "[data-reveal]";

export function createAnimator(motionOf: (layer: Layer) => LayerMotion, report: Report): Animator {
  const timelines = new Map<Layer, gsap.core.Timeline>();
  let disposed = false;

  const stop = (layer: Layer) => {
    timelines.get(layer)?.kill();
    timelines.delete(layer);
  };

  return {
    run(command, element, instant) {
      if (disposed) return;
      const { layer, animation, run } = command;
      stop(layer);
      const done = REPORTING[animation];
      const finish = () => {
        if (done !== null && !disposed) report(layer, done, run);
      };
      // A layer not in the DOM has nothing to animate, but the machine must still move on.
      if (element === undefined) return finish();

      const motion = motionOf(layer);
      const target = targetOf(motion, animation);
      const children = [...element.querySelectorAll<HTMLElement>(REVEAL)];
      if (instant) {
        gsap.set(element, target);
        if (children.length > 0) gsap.set(children, motion.reveal?.to ?? { clearProps: "all" });
        return finish();
      }

      const timing = motion.timing[animation];
      const timeline = gsap.timeline({
        onComplete: () => {
          if (timelines.get(layer) === timeline) timelines.delete(layer);
          finish();
        },
      });
      const from = animation === "enter" ? motion.before : poseOf(element, target);
      timeline.fromTo(
        element,
        from,
        { ...target, duration: timing.duration, ease: timing.ease },
        0,
      );

      if (children.length > 0 && (animation === "enter" || animation === "resume")) {
        const { reveal } = motion;
        if (reveal === undefined) {
          timeline.set(children, { clearProps: "opacity,visibility,transform" }, 0);
        } else {
          const start = animation === "enter" ? reveal.from : currentOf(reveal.to);
          timeline.fromTo(
            children,
            start,
            {
              ...reveal.to,
              duration: timing.duration * 0.8,
              ease: timing.ease,
              stagger: animation === "enter" ? reveal.stagger : 0,
            },
            animation === "enter" ? timing.duration * 0.25 : 0,
          );
        }
      }
      timelines.set(layer, timeline);
    },
    running: () => timelines.size,
    dispose() {
      disposed = true;
      for (const layer of [...timelines.keys()]) stop(layer);
    },
  };
}

/** The element's values now, for each property of `target`: where a caught tween left it. */
export function poseOf(element: HTMLElement, target: Pose): Pose {
  const values: Pose = { autoAlpha: Number(gsap.getProperty(element, "opacity")) };
  for (const key of poseKeys(target)) {
    if (key !== "autoAlpha") values[key] = Number(gsap.getProperty(element, key));
  }
  return values;
}

/** Per-element `from` values read when the tween starts, for a group of children. */
function currentOf(target: Pose): gsap.TweenVars {
  const vars: gsap.TweenVars = {
    autoAlpha: (_index: number, element: Element) => Number(gsap.getProperty(element, "opacity")),
  };
  for (const key of poseKeys(target)) {
    if (key !== "autoAlpha") {
      vars[key] = (_index: number, element: Element) => Number(gsap.getProperty(element, key));
    }
  }
  return vars;
}
