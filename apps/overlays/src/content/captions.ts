/**
 * The captions on screen: a bounded list, newest last. A transcription joins it (the same id
 * again replaces its line), the oldest leaves past the bound, and a line leaves when its fade
 * has run its course. Long segments keep their end, which is what was just said.
 */
import type { Transcription } from "@landale/shared";

export const CAPTION_LIMITS = {
  /** Lines on screen at most. */
  lines: 3,
  /** Characters a line keeps, from its end. */
  chars: 160,
  /** How long a line stays, fading as it ages, in ms. */
  lifeMs: 9_000,
} as const;

export interface Caption {
  id: string;
  text: string;
}

export function addCaption(
  captions: readonly Caption[],
  transcription: Pick<Transcription, "id" | "text">,
  limits: { lines: number; chars: number } = CAPTION_LIMITS,
): Caption[] {
  const text = tail(transcription.text.replace(/\s+/g, " ").trim(), limits.chars);
  if (text === "") return [...captions];
  const kept = captions.filter((caption) => caption.id !== transcription.id);
  return [...kept, { id: transcription.id, text }].slice(-limits.lines);
}

export function removeCaption(captions: readonly Caption[], id: string): Caption[] {
  return captions.filter((caption) => caption.id !== id);
}

/** The last `max` characters, cut at a word where one is near, with an ellipsis in front. */
export function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(text.length - max + 1);
  const space = cut.indexOf(" ");
  const start = space !== -1 && space < 24 ? space + 1 : 0;
  return `…${cut.slice(start)}`;
}
