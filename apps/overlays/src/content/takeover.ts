/** What a takeover says: a title, a line under it, and a tone for the cover. */
import type { Takeover, TakeoverType } from "@landale/shared";

export interface TakeoverView {
  type: TakeoverType;
  kicker: string | null;
  title: string | null;
  subtitle: string | null;
}

export function describeTakeover(takeover: Pick<Takeover, "type" | "message">): TakeoverView {
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
