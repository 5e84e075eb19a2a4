/**
 * The `obs:*` commands of `dashboard:main` (the REST mirror is `/api/obs/*`); the OBS
 * integration's status as `integration_status`, pushed whenever it changes; and OBS's stats as
 * `obs_stats` every few seconds — asked of OBS only while someone is joined to `dashboard:main`
 * and OBS is connected, and never stored.
 */
import type { Logger } from "@landale/logger";
import {
  DASHBOARD,
  type IntegrationStatus,
  type ObsCommandName,
  ObsSceneName,
  ObsStudioMode,
  PUSH,
} from "@landale/shared";
import type { Broadcast } from "../broadcast";
import type { ObsService } from "../obs/service";
import type { Scheduler } from "../scheduler";
import { commandPayload } from "./payload";

export const OBS_STATS_PUSH_MS = 5_000;

export function obsCommand(
  obs: ObsService,
  command: ObsCommandName,
  payload: unknown,
): Promise<object> {
  switch (command) {
    case "obs:get_status":
      return Promise.resolve(obs.status());
    case "obs:scenes":
      return obs.scenes();
    case "obs:stats":
      return obs.stats();
    case "obs:set_current_scene":
      return obs.setProgramScene(commandPayload(ObsSceneName, payload).scene_name);
    case "obs:set_preview_scene":
      return obs.setPreviewScene(commandPayload(ObsSceneName, payload).scene_name);
    case "obs:set_studio_mode":
      return obs.setStudioMode(commandPayload(ObsStudioMode, payload).enabled);
    case "obs:start_streaming":
      return obs.stream("start");
    case "obs:stop_streaming":
      return obs.stream("stop");
    case "obs:toggle_streaming":
      return obs.stream("toggle");
    case "obs:start_recording":
      return obs.record("start");
    case "obs:stop_recording":
      return obs.record("stop");
    case "obs:toggle_recording":
      return obs.record("toggle");
    case "obs:pause_recording":
      return obs.pauseRecord(true);
    case "obs:resume_recording":
      return obs.pauseRecord(false);
    case "obs:refresh_browser_sources":
      return obs.refreshBrowserSources();
  }
}

export function obsIntegrationStatus(obs: ObsService): IntegrationStatus {
  return { integration: "obs", status: obs.status() };
}

/** Pushes the OBS integration's status whenever it changes, until the returned function is called. */
export function startObsStatusPush(broadcast: Broadcast, obs: ObsService): () => void {
  return obs.onChange((status) =>
    broadcast(DASHBOARD.name, PUSH.integrationStatus, {
      integration: "obs",
      status,
    } satisfies IntegrationStatus),
  );
}

export interface ObsStatsPushDeps {
  broadcast: Broadcast;
  /** Channels joined to a topic (the channel server's count). */
  subscribers(topic: string): number;
  obs: Pick<ObsService, "stats" | "status">;
  scheduler: Scheduler;
  logger: Logger;
  intervalMs?: number;
}

/** Pushes OBS's stats every `intervalMs` while anyone watches, until the returned function is called. */
export function startObsStatsPush(deps: ObsStatsPushDeps): () => void {
  const { scheduler, obs } = deps;
  const intervalMs = deps.intervalMs ?? OBS_STATS_PUSH_MS;
  let timer: unknown = null;
  let asking = false;
  let stopped = false;

  const tick = () => {
    timer = scheduler.setTimeout(tick, intervalMs);
    // Nobody to show them to, OBS away, or the last answer still awaited (OBS stuck): skip.
    if (asking || deps.subscribers(DASHBOARD.name) === 0) return;
    if (obs.status().state !== "connected") return;
    asking = true;
    obs
      .stats()
      .then(
        (stats) => {
          if (!stopped) deps.broadcast(DASHBOARD.name, PUSH.obsStats, stats);
        },
        (err: unknown) => deps.logger.debug({ err }, "OBS stats not read"),
      )
      .finally(() => {
        asking = false;
      });
  };
  timer = scheduler.setTimeout(tick, intervalMs);
  return () => {
    stopped = true;
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
  };
}
