/**
 * Where the omnibar's layers stand on screen, in words for the layer view: a layer on top shows
 * only while the omnibar does (OBS's program scene may hide it) and no takeover covers it.
 */
import type { OmnibarVisibility } from "@landale/shared";

export type LayerStanding = "on_screen" | "omnibar_hidden" | "covered" | "waiting";

export function layerStanding(layer: {
  onTop: boolean;
  covered: boolean;
  omnibarHidden: boolean;
}): LayerStanding {
  if (layer.covered) return "covered";
  if (!layer.onTop) return "waiting";
  return layer.omnibarHidden ? "omnibar_hidden" : "on_screen";
}

export const STANDING_BADGES: Record<LayerStanding, { label: string; accent: string }> = {
  on_screen: { label: "On screen", accent: "ok" },
  omnibar_hidden: { label: "Omnibar hidden", accent: "warning" },
  covered: { label: "Under takeover", accent: "danger" },
  waiting: { label: "Waiting under a higher layer", accent: "neutral" },
};

/** Whether the omnibar shows, and why not: `scene` is OBS's program scene as the hub knows it. */
export function omnibarText(omnibar: OmnibarVisibility, scene: string | null): string {
  if (!omnibar.hidden) return "shown";
  if (omnibar.reason === "scene") {
    return scene === null ? "hidden on this scene" : `hidden on the scene ${scene}`;
  }
  return "hidden";
}
