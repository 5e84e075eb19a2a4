/**
 * The Rainwave integration: polls Rainwave's `info` API every `intervalMs` while enabled and
 * configured, and records `rainwave.update` through ingest only when what the streamer hears
 * changes (a new song, tuning in or out, another station). A failed request keeps the last song
 * (Rainwave being away is not the streamer tuning out) and retries with doubling waits; switching
 * off records "not listening", so the overlays drop the song at once. One request at a time; a
 * change of station or switch discards the answer of the request it overtook. The switch and the
 * station the streamer chose are kept across restarts (`./settings`).
 */
import type { Logger } from "@landale/logger";
import {
  RAINWAVE_STATION_NAMES,
  type RainwaveProblem,
  type RainwaveStation,
  type RainwaveStatus,
  type RainwaveUpdate,
} from "@landale/shared";
import type { Ingest } from "../events/ingest";
import type { Scheduler } from "../scheduler";
import {
  type RainwaveCredentials,
  type RainwaveInfo,
  RainwaveRequestError,
  toUpdate,
} from "./client";
import { rainwaveNotConfigured } from "./failures";
import type { KeptSettings } from "./settings";

export interface RainwaveTimings {
  intervalMs: number;
  timeoutMs: number;
  /** The longest wait between failed requests. */
  backoffMaxMs: number;
}

export const DEFAULT_RAINWAVE_TIMINGS: RainwaveTimings = {
  intervalMs: 10_000,
  timeoutMs: 5_000,
  backoffMaxMs: 300_000,
};

export interface RainwaveService {
  status(): RainwaveStatus;
  setEnabled(enabled: boolean): Promise<RainwaveStatus>;
  setStation(station: RainwaveStation): Promise<RainwaveStatus>;
  onChange(listener: (status: RainwaveStatus) => void): () => void;
  stop(): Promise<void>;
}

export interface RainwaveServiceDeps {
  credentials: RainwaveCredentials | null;
  /** The station polled unless the streamer chose another (`settings.saved`). */
  station: RainwaveStation;
  settings: KeptSettings;
  ingest: Ingest;
  logger: Logger;
  scheduler: Scheduler;
  timings: RainwaveTimings;
  fetchInfo(credentials: RainwaveCredentials, station: RainwaveStation): Promise<RainwaveInfo>;
}

const ACTIONS: Readonly<Record<RainwaveRequestError["code"], string>> = {
  rainwave_timeout: "Check rainwave.cc is up; the hub keeps trying.",
  rainwave_unreachable: "Check the network and RAINWAVE_API_URL; the hub keeps trying.",
  rainwave_refused: "Rainwave refused the request; the hub keeps trying.",
  rainwave_auth_failed: "Check RAINWAVE_USER_ID and RAINWAVE_API_KEY (rainwave.cc/keys).",
  rainwave_unexpected_answer: "Check RAINWAVE_API_URL points at Rainwave's api4.",
};

function problemOf(err: unknown): RainwaveProblem {
  if (err instanceof RainwaveRequestError) {
    return { code: err.code, message: err.message, action: ACTIONS[err.code] };
  }
  return { code: "rainwave_failed", message: String(err), action: "The hub keeps trying." };
}

export function createRainwaveService(deps: RainwaveServiceDeps): RainwaveService {
  const { credentials, settings, ingest, logger, scheduler, timings } = deps;
  const listeners = new Set<(status: RainwaveStatus) => void>();
  /** The streamer's switch, kept across restarts; polling also needs the credentials. */
  let switchedOn = settings.saved?.enabled ?? true;
  let enabled = credentials !== null && switchedOn;
  let station = settings.saved?.station ?? deps.station;
  let nowPlaying: RainwaveUpdate | null = null;
  /** What was last recorded, compared as JSON: only a change is recorded. */
  let recorded: string | null = null;
  let lastPolledAt: string | null = null;
  let failures = 0;
  let problem: RainwaveProblem | null = null;
  let timer: unknown = null;
  let inFlight: Promise<void> | null = null;
  let generation = 0;
  let stopped = false;
  let publishing = false;

  const status = (): RainwaveStatus => ({
    state:
      credentials === null
        ? "unconfigured"
        : !enabled
          ? "disabled"
          : failures > 0
            ? "failing"
            : "polling",
    enabled,
    configured: credentials !== null,
    station,
    station_name: RAINWAVE_STATION_NAMES[station] ?? `Station ${station}`,
    now_playing: nowPlaying,
    last_polled_at: lastPolledAt,
    failures,
    problem,
  });

  const changed = () => {
    if (publishing || stopped) return;
    publishing = true;
    queueMicrotask(() => {
      publishing = false;
      if (stopped) return;
      const now = status();
      for (const listener of listeners) listener(now);
    });
  };

  const record = async (update: RainwaveUpdate): Promise<void> => {
    const key = JSON.stringify(update);
    if (key === recorded) return;
    try {
      await ingest(
        { type: "rainwave.update", data: update },
        { source: "rainwave", correlationId: Bun.randomUUIDv7() },
      );
      recorded = key;
    } catch (err) {
      // Left unrecorded: the next poll tries again.
      logger.warn(
        { err: err instanceof Error ? err.message : err },
        "rainwave.update not recorded",
      );
    }
  };

  const schedule = (ms: number) => {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = scheduler.setTimeout(() => {
      timer = null;
      poll();
    }, ms);
  };

  const nextWait = () =>
    failures === 0
      ? timings.intervalMs
      : Math.min(timings.intervalMs * 2 ** failures, timings.backoffMaxMs);

  const poll = () => {
    if (stopped || credentials === null || !enabled || inFlight !== null) return;
    const gen = generation;
    const polled = station;
    inFlight = (async () => {
      try {
        const info = await deps.fetchInfo(credentials, polled);
        if (gen !== generation || stopped) return;
        const update = toUpdate(info, polled);
        lastPolledAt = new Date().toISOString();
        if (failures > 0) logger.info({ failures }, "Rainwave answers again");
        failures = 0;
        problem = null;
        nowPlaying = update;
        await record(update);
      } catch (err) {
        if (gen !== generation || stopped) return;
        failures += 1;
        problem = problemOf(err);
        logger.warn(
          { code: problem.code, reason: problem.message, failures },
          "Rainwave request failed",
        );
      } finally {
        inFlight = null;
        changed();
        if (!stopped && enabled) schedule(gen === generation ? nextWait() : 0);
      }
    })();
  };

  /** Polls now: what was asked for changed, so an answer in flight is stale. */
  const restart = () => {
    generation += 1;
    failures = 0;
    problem = null;
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
    changed();
    // With a request in flight, its `finally` schedules the next one at once.
    if (inFlight === null) poll();
  };

  if (credentials === null) {
    logger.info("Rainwave is off: RAINWAVE_USER_ID and RAINWAVE_API_KEY are not set");
  } else if (!enabled) {
    logger.info("Rainwave is switched off in the dashboard");
  } else {
    poll();
  }

  return {
    status,
    async setEnabled(next) {
      if (credentials === null) throw rainwaveNotConfigured();
      if (next !== enabled) {
        enabled = switchedOn = next;
        settings.keep({ enabled: switchedOn, station });
        if (enabled) restart();
        else {
          generation += 1;
          if (timer !== null) scheduler.clearTimeout(timer);
          timer = null;
          failures = 0;
          problem = null;
          const off: RainwaveUpdate = {
            station,
            listening: false,
            title: null,
            artists: [],
            album: null,
            art_url: null,
            started_at: null,
            ends_at: null,
          };
          nowPlaying = null;
          if (recorded !== null) await record(off);
          changed();
        }
      }
      return status();
    },
    async setStation(next) {
      if (next !== station) {
        station = next;
        settings.keep({ enabled: switchedOn, station });
        nowPlaying = null;
        if (enabled && credentials !== null) restart();
        else changed();
      }
      return status();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
      listeners.clear();
      await inFlight;
      await settings.stop();
    },
  };
}
