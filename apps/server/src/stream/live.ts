/**
 * What the stream engine knows of OBS — its program scene, whether it streams — and of Twitch's
 * stream being online, and what follows from them: whether the stream is live and whether the
 * omnibar shows. Pure; the reducer applies committed events to it.
 *
 * "Live" is OBS's streaming output while the hub is connected to OBS: the overlays are composited
 * there, and OBS knows at once (Twitch says `stream.offline` a while after OBS stops, and nothing
 * when OBS streams elsewhere). While OBS is not connected, Twitch's `stream.online`/`offline` decide.
 */
import type { OmnibarVisibility, StreamObs, TypedEventEnvelope } from "@landale/shared";
import { z } from "zod";
import type { EngineConfig } from "./config";

export const LiveTracking = z.object({
  /**
   * From `obs.connection.established` (or any other word from OBS: a scene or stream event) until
   * `obs.connection.lost`/`failed`, or a restart.
   */
  connected: z.boolean(),
  /** The last program scene OBS reported; kept while OBS is away. */
  scene: z.string().nullable(),
  /** OBS's streaming output, as last reported. */
  streaming: z.boolean(),
  /** Twitch's `stream.online` / `stream.offline`, as last received. */
  twitch_live: z.boolean(),
});
export type LiveTracking = z.infer<typeof LiveTracking>;

export function initialLiveTracking(): LiveTracking {
  return { connected: false, scene: null, streaming: false, twitch_live: false };
}

/** Takes in one committed event; events of other types leave it as it is. */
export function trackLive(live: LiveTracking, event: TypedEventEnvelope): void {
  switch (event.type) {
    case "obs.connection.established":
      live.connected = true;
      // OBS's state at connect, when the integration sent it: what changed while apart.
      if (event.data.scene_name !== undefined) live.scene = event.data.scene_name;
      if (event.data.stream_active !== undefined) live.streaming = event.data.stream_active;
      return;
    case "obs.connection.lost":
    case "obs.connection.failed":
      live.connected = false;
      return;
    case "obs.scene.changed":
      live.connected = true;
      live.scene = event.data.scene_name;
      return;
    case "obs.stream.started":
    case "obs.stream.stopped":
      live.connected = true;
      live.streaming = event.type === "obs.stream.started";
      return;
    case "stream.online":
    case "stream.offline":
      live.twitch_live = event.type === "stream.online";
      return;
    default:
      return;
  }
}

/**
 * A state read back after a restart: its OBS connection was the previous process's, so OBS counts
 * as not connected until it says so again. The scene and both streaming flags stay as last known.
 */
export function restartLive(live: LiveTracking): void {
  live.connected = false;
}

export function obsViewOf(live: LiveTracking): StreamObs {
  return {
    connected: live.connected,
    scene: live.scene,
    live: live.connected ? live.streaming : live.twitch_live,
  };
}

/** Hidden on a listed scene (whole name, any case), also while OBS is away: the scene it was on. */
export function omnibarOf(live: LiveTracking, config: EngineConfig): OmnibarVisibility {
  const scene = live.scene?.toLowerCase();
  const hidden =
    scene !== undefined && config.omnibarHiddenScenes.some((name) => name.toLowerCase() === scene);
  return { hidden, reason: hidden ? "scene" : null };
}
