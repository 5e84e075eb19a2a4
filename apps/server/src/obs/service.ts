/**
 * The OBS integration, composed: the connection (kept up forever, `./connection`), the status kept
 * from OBS's events (`./status`), and what OBS says recorded as obs.* events through ingest, one
 * at a time in arrival order, so they are stored and fanned out like any other. Every change of
 * the status is published as one coalesced `integration_status`. Nothing here waits on OBS
 * outside a request the caller made: start-up, ingest and the other requests never do.
 */
import type { Logger } from "@landale/logger";
import type { ObsStats, ObsStatus } from "@landale/shared";
import type { Ingest } from "../events/ingest";
import type { Scheduler } from "../scheduler";
import type { HubAddress } from "./browser-sources";
import { type ObsCommands, obsCommands } from "./commands";
import type { ConnectionChange, ObsConnection, ObsConnectionDeps } from "./connection";
import { createObsRecorder } from "./recorder";
import { readPreviewScene, readSnapshot, readStats } from "./requests";
import {
  isStreamerProblem,
  NO_REPORTS,
  type ObsTimings,
  reportFailure,
  worthRecording,
} from "./retry";
import { applySnapshot } from "./snapshot";
import {
  applyEvent,
  applyPreview,
  applyTimecodes,
  initialCore,
  type ObsCatalogueEvent,
  type ObsCore,
  previewUnknown,
} from "./status";

export interface ObsService extends ObsCommands {
  status(): ObsStatus;
  /** OBS's stats now; the running outputs' timecodes in the status are refreshed with them. */
  stats(): Promise<ObsStats>;
  onChange(listener: (status: ObsStatus) => void): () => void;
  stop(): Promise<void>;
}

export interface ObsServiceDeps {
  url: string;
  hub: HubAddress;
  ingest: Ingest;
  logger: Logger;
  timings: Pick<ObsTimings, "failureReportMs" | "retryMaxMs">;
  scheduler: Scheduler;
  startConnection(handlers: Pick<ObsConnectionDeps, "onChange" | "onEvent">): ObsConnection;
}

/** A snapshot overtaken by OBS's events is read again, this many times at most. */
const SNAPSHOT_TRIES = 3;

/** A problem only the streamer can fix makes the state `disconnected` while it lasts. */
const blocking = isStreamerProblem;

export function createObsService(deps: ObsServiceDeps): ObsService {
  const { ingest, logger, scheduler, timings } = deps;
  const listeners = new Set<(status: ObsStatus) => void>();
  let core: ObsCore = initialCore(deps.url);
  let reports = NO_REPORTS;
  /** Whether the hub reached OBS since it started. */
  let connectedBefore = false;
  let stopped = false;
  let publishing = false;
  /** Counts connections, so a snapshot read for an earlier one is never applied. */
  let generation = 0;
  let eventsDuringLoad = 0;
  let snapshotTimer: unknown = null;

  const changed = () => {
    if (publishing || stopped) return;
    publishing = true;
    // Several changes in one turn (a snapshot and its events) make one push.
    queueMicrotask(() => {
      publishing = false;
      if (stopped) return;
      for (const listener of listeners) listener(core.status);
    });
  };
  const update = (next: ObsCore) => {
    if (next === core) return;
    core = next;
    changed();
  };
  const patch = (fields: Partial<ObsStatus>) =>
    update({ ...core, status: { ...core.status, ...fields } });

  const recorder = createObsRecorder({ ingest, logger, scheduler });
  const record = recorder.record;

  const established = (change: Extract<ConnectionChange, { kind: "connected" }>, state = {}) =>
    ({
      type: "obs.connection.established",
      data: {
        ...(change.obsVersion === null ? {} : { obs_version: change.obsVersion }),
        ...(change.websocketVersion === null ? {} : { websocket_version: change.websocketVersion }),
        ...state,
      },
    }) satisfies ObsCatalogueEvent;

  /** Reads OBS's state for connection `gen`; `told` once its connection event is recorded. */
  const load = async (
    gen: number,
    change: Extract<ConnectionChange, { kind: "connected" }>,
    tries: number,
    told: boolean,
  ): Promise<void> => {
    eventsDuringLoad = 0;
    try {
      const snapshot = await readSnapshot(connection);
      if (gen !== generation || stopped) return;
      // OBS's events overtook the read: what it says is older than the status; read it again.
      if (eventsDuringLoad > 0 && tries < SNAPSHOT_TRIES) return load(gen, change, tries + 1, told);
      const step = applySnapshot(core, snapshot, scheduler.now());
      update(step.core);
      // obs-websocket before 5.3 (OBS 29) names no OBS version in Hello: take GetVersion's.
      if (change.obsVersion === null && snapshot.obsVersion !== null) {
        change = { ...change, obsVersion: snapshot.obsVersion };
        patch({ obs_version: snapshot.obsVersion });
      }
      const state = { scene_name: snapshot.program, stream_active: snapshot.stream.active };
      record(told ? step.events : [established(change, state), ...step.events]);
    } catch (err) {
      if (gen !== generation || stopped) return;
      logger.warn(
        { err: err instanceof Error ? err.message : err },
        "OBS state not read; trying again",
      );
      if (!told) record([established(change)]);
      snapshotTimer = scheduler.setTimeout(() => {
        snapshotTimer = null;
        void load(gen, change, 1, true);
      }, timings.retryMaxMs);
    }
  };

  /** obs-websocket 5.1 turns studio mode on without naming the preview scene: ask OBS for it. */
  const readPreview = async (gen: number) => {
    try {
      const name = await readPreviewScene(connection);
      if (gen === generation && !stopped) update(applyPreview(core, name));
    } catch (err) {
      // Studio mode went off meanwhile (506), or OBS went away: its next event or snapshot says.
      logger.debug({ err: err instanceof Error ? err.message : err }, "OBS preview not read");
    }
  };

  const cancelSnapshot = () => {
    if (snapshotTimer !== null) scheduler.clearTimeout(snapshotTimer);
    snapshotTimer = null;
  };

  const onChange = (change: ConnectionChange) => {
    if (stopped) return;
    switch (change.kind) {
      case "connecting":
        patch({
          state: blocking(core.status.problem) ? "disconnected" : "connecting",
          attempts: change.attempt - 1,
        });
        return;
      case "connected": {
        generation++;
        reports = NO_REPORTS;
        connectedBefore = true;
        patch({
          state: "connected",
          connected_at: new Date().toISOString(),
          attempts: 0,
          problem: null,
          obs_version: change.obsVersion,
          websocket_version: change.websocketVersion,
        });
        // OBS 29's obs-websocket names no OBS version in Hello (read later): log what is known.
        logger.info(
          {
            url: deps.url,
            obs_websocket: change.websocketVersion,
            ...(change.obsVersion === null ? {} : { obs: change.obsVersion }),
          },
          "connected to OBS",
        );
        void load(generation, change, 1, false);
        return;
      }
      case "lost": {
        generation++;
        cancelSnapshot();
        const code = change.code === null || change.code < 0 ? null : change.code;
        const said = `${code === null ? "" : ` (${code})`}${change.reason ? `: ${change.reason}` : ""}`;
        patch({
          state: "connecting",
          connected_at: null,
          // A start under way is OBS's to finish; the reconnect's snapshot reads where it got.
          stream: { ...core.status.stream, starting: false },
          problem: {
            code: "obs_connection_lost",
            message: `OBS closed the connection${said}`,
            action: "Landale reconnects by itself; start OBS again if it was closed.",
          },
        });
        logger.warn({ code, reason: change.reason }, "OBS connection lost");
        record([
          {
            type: "obs.connection.lost",
            data: { reason: change.reason || "closed", ...(code === null ? {} : { code }) },
          },
        ]);
        return;
      }
      case "failed": {
        const decision = worthRecording(connectedBefore, change.problem)
          ? reportFailure(reports, change.problem.code, scheduler.now(), timings.failureReportMs)
          : { report: false, reports };
        reports = decision.reports;
        patch({
          state: blocking(change.problem) ? "disconnected" : "connecting",
          problem: change.problem,
          attempts: change.attempt,
        });
        const fields = {
          attempt: change.attempt,
          problem: change.problem.code,
          reason: change.reason,
          retryInMs: change.retryInMs,
        };
        if (!decision.report) {
          logger.debug(fields, "OBS connection failed");
          return;
        }
        logger.warn(fields, "OBS connection failed");
        record([
          {
            type: "obs.connection.failed",
            data: { reason: change.problem.message, attempt: change.attempt },
          },
        ]);
        return;
      }
    }
  };

  const connection = deps.startConnection({
    onChange,
    onEvent(incoming) {
      if (stopped) return;
      eventsDuringLoad++;
      if (incoming.name === "ExitStarted") logger.info("OBS is quitting");
      const step = applyEvent(core, incoming, scheduler.now(), new Date());
      update(step.core);
      record(step.events);
      if (incoming.name === "StudioModeStateChanged" && previewUnknown(core)) {
        void readPreview(generation);
      }
    },
  });

  return {
    ...obsCommands(connection, deps.hub),
    status: () => core.status,
    async stats() {
      const read = await readStats(connection, new Date());
      update(applyTimecodes(core, read.stream, read.record));
      return read.stats;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      cancelSnapshot();
      await connection.stop();
      await recorder.stop();
      listeners.clear();
    },
  };
}
