/**
 * The hallucination filter: Whisper-family models answer silence and noise with stock phrases
 * learnt from subtitles ("Thank you.", "[BLANK_AUDIO]"). A result whose whole text is one of them,
 * or only bracketed annotations ("[MUSIC]", "(wind blowing)"), is dropped; a phrase inside real
 * speech is kept. Matching ignores case, punctuation, symbols and spacing.
 */

export const DEFAULT_HALLUCINATIONS: readonly string[] = [
  "[BLANK_AUDIO]",
  "(silence)",
  "[silence]",
  "you",
  "Thank you.",
  "Thank you very much.",
  "Thanks for watching!",
  "Thank you for watching!",
  "Thank you for watching. Please subscribe.",
  "Please subscribe to my channel.",
  "Subtitles by the Amara.org community",
];

/** Text made only of annotations such as "[MUSIC]", "(laughs)", "*sigh*" or "♪". */
const ONLY_ANNOTATIONS = /^(?:\s|\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪)*$/u;

export type FilterVerdict = "speech" | "empty" | "hallucination";

export interface HallucinationFilter {
  judge(text: string): FilterVerdict;
}

export function normalizeForMatch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function createHallucinationFilter(
  phrases: readonly string[] = DEFAULT_HALLUCINATIONS,
): HallucinationFilter {
  const known = new Set(phrases.map(normalizeForMatch).filter((phrase) => phrase !== ""));
  return {
    judge(text) {
      const normalized = normalizeForMatch(text);
      if (normalized === "") return "empty";
      if (known.has(normalized) || ONLY_ANNOTATIONS.test(text)) return "hallucination";
      return "speech";
    },
  };
}
