/** What a takeover says: a title, a line under it, a tone for the cover, and how large its title is. */
import type { Takeover, TakeoverType } from "@landale/shared";

export interface TakeoverView {
  type: TakeoverType;
  kicker: string | null;
  title: string | null;
  subtitle: string | null;
  /** The title's size: a message may be 500 characters, and the cover must hold it on 1080 lines. */
  titleSize: TitleSize;
}

export type TitleSize = "large" | "medium" | "small" | "smallest";

/**
 * The longest title each size holds on the cover (1,560 px wide at 96, 72, 48 and 36 px, with
 * room to spare in height); past the last, the smallest.
 */
const TITLE_SIZES: readonly [TitleSize, number][] = [
  ["large", 40],
  ["medium", 120],
  ["small", 250],
];

export function titleSizeOf(title: string | null): TitleSize {
  const length = title?.length ?? 0;
  return TITLE_SIZES.find(([, most]) => length <= most)?.[0] ?? "smallest";
}

export function describeTakeover(takeover: Pick<Takeover, "type" | "message">): TakeoverView {
  const words = wordsOf(takeover);
  return { ...words, titleSize: titleSizeOf(words.title) };
}

function wordsOf(takeover: Pick<Takeover, "type" | "message">): Omit<TakeoverView, "titleSize"> {
  const message = takeover.message?.trim() || null;
  switch (takeover.type) {
    case "technical-difficulties":
      return {
        type: takeover.type,
        kicker: "Off air",
        title: "Technical difficulties",
        subtitle: message ?? "We're on it — back in a moment.",
      };
    case "please-stand-by":
      return {
        type: takeover.type,
        kicker: "Stand by",
        title: "Please stand by",
        subtitle: message ?? "The stream will continue shortly.",
      };
    case "screen-cover":
      // Covers the screen; says as little as possible.
      return { type: takeover.type, kicker: null, title: message, subtitle: null };
    case "custom":
      return { type: takeover.type, kicker: null, title: message ?? "", subtitle: null };
  }
}
