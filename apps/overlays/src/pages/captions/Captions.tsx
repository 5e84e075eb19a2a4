/**
 * `/overlays/captions`: live captions from `transcription:live`. The last few lines show, newest
 * at the bottom and brightest; each line fades as it ages (one GSAP timeline per line, killed
 * with the line) and leaves the list when its fade ends, so an idle page holds nothing.
 */
import { useSubscription } from "@landale/client/solid";
import { PUSH, TRANSCRIPTION_LIVE } from "@landale/shared";
import { gsap } from "gsap";
import { createSignal, For, onCleanup, onMount } from "solid-js";
import { addCaption, CAPTION_LIMITS, type Caption, removeCaption } from "../../content/captions";
import { MOTION, SPACE } from "../../design/tokens";
import "./captions.css";

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

export function Captions() {
  const [captions, setCaptions] = createSignal<readonly Caption[]>([]);
  useSubscription(TRANSCRIPTION_LIVE, PUSH.newTranscription, (transcription) =>
    setCaptions((list) => addCaption(list, transcription)),
  );
  const remove = (id: string) => setCaptions((list) => removeCaption(list, id));

  return (
    <div data-captions>
      <For each={captions()}>
        {(caption, index) => (
          <CaptionLine
            caption={caption}
            newest={index() === captions().length - 1}
            onFaded={() => remove(caption.id)}
          />
        )}
      </For>
    </div>
  );
}

function CaptionLine(props: { caption: Caption; newest: boolean; onFaded: () => void }) {
  let element: HTMLParagraphElement | undefined;
  onMount(() => {
    if (element === undefined) return;
    const still = window.matchMedia(REDUCED_MOTION).matches;
    const timeline = gsap.timeline({ onComplete: props.onFaded });
    if (still) timeline.set(element, { autoAlpha: 1 });
    else {
      timeline.fromTo(
        element,
        { autoAlpha: 0, y: SPACE[2] },
        { autoAlpha: 1, y: 0, duration: MOTION.interrupt, ease: MOTION.easeOut },
      );
    }
    // Readable for most of its life, then gone: the fade is steep at the end.
    timeline.fromTo(
      element,
      { autoAlpha: 1 },
      { autoAlpha: 0, duration: CAPTION_LIMITS.lifeMs / 1000, ease: "power4.in" },
    );
    onCleanup(() => timeline.kill());
  });
  return (
    <p data-caption data-newest={props.newest ? "true" : "false"} ref={element}>
      {props.caption.text}
    </p>
  );
}
