/**
 * The connection to obs-websocket, kept up for as long as the hub runs: obs-websocket-js speaks
 * the protocol (Hello, the password challenge, Identify with the event categories, requests);
 * this shell bounds it. Every attempt gives up after `connectTimeoutMs`; a failed one or a drop is
 * retried (`./retry`) forever; every request is answered within `requestTimeoutMs` — by OBS, or
 * with `obs_timeout` — and at once with `obs_not_connected` when the connection closes under it
 * (obs-websocket-js itself never settles a request that gets no answer). Nothing here awaits OBS
 * on the caller's behalf beyond those bounds.
 */
import type { Logger } from "@landale/logger";
import type { ObsProblem } from "@landale/shared";
import { OBSWebSocket, OBSWebSocketError } from "obs-websocket-js/json";
import type { AppError } from "../errors";
import type { Scheduler } from "../scheduler";
import { obsBusy, obsNotConnected, obsRefused, obsTimeout } from "./failures";
import {
  HelloVersions,
  OBS_EVENT_NAMES,
  OBS_EVENT_SUBSCRIPTIONS,
  OBS_EVENTS,
  OBS_RPC_VERSION,
  type ObsIncoming,
} from "./protocol";
import { type ConnectFailure, type ObsTimings, problemFor, retryDelay } from "./retry";

/** Requests OBS may leave unanswered at once (each holds a listener inside obs-websocket-js). */
export const MAX_UNANSWERED = 64;
/** How long a stop waits for OBS to close the socket before leaving it to close by itself. */
const CLOSE_WAIT_MS = 2_000;

export type ConnectionChange =
  | { kind: "connecting"; attempt: number }
  | { kind: "connected"; obsVersion: string | null; websocketVersion: string | null }
  | { kind: "lost"; code: number | null; reason: string }
  | { kind: "failed"; attempt: number; problem: ObsProblem; reason: string; retryInMs: number };

export interface ObsConnectionDeps {
  url: string;
  password: string | null;
  requestTimeoutMs: number;
  timings: ObsTimings;
  scheduler: Scheduler;
  logger: Logger;
  onChange(change: ConnectionChange): void;
  onEvent(incoming: ObsIncoming): void;
  random?: () => number;
}

/** One request of a batch, and OBS's answer to it. */
export interface BatchRequest {
  requestType: string;
  requestData?: Record<string, unknown>;
}
export interface BatchResult {
  requestType: string;
  requestStatus: { result: boolean; code: number; comment?: string };
  responseData?: unknown;
}

export interface ObsConnection {
  connected(): boolean;
  request(requestType: string, requestData?: Record<string, unknown>): Promise<unknown>;
  /** Several requests in one message, answered together (each with its own status). */
  batch(requests: BatchRequest[]): Promise<BatchResult[]>;
  stop(): Promise<void>;
}

interface Live {
  client: OBSWebSocket;
  unanswered: number;
  pending: Set<(err: AppError) => void>;
}

type Attempt =
  | { ok: true; obsVersion: string | null; websocketVersion: string | null }
  | { ok: false; failure: ConnectFailure };

function failureOf(err: unknown): ConnectFailure {
  if (err instanceof OBSWebSocketError) return { code: err.code, reason: err.message };
  return { code: null, reason: err instanceof Error ? err.message : String(err) };
}

export function startObsConnection(deps: ObsConnectionDeps): ObsConnection {
  const { scheduler, timings, logger } = deps;
  let stopped = false;
  let live: Live | null = null;
  let lastProblem: ObsProblem | null = null;
  /** Ends whatever the loop is waiting on (an attempt, a connection, a retry wait) on stop. */
  let interrupt: (() => void) | null = null;

  const wait = <T>(start: (settle: (value: T) => void) => () => void, onStop: T): Promise<T> =>
    new Promise<T>((resolve) => {
      let done = false;
      let cleanup = () => {};
      const settle = (value: T) => {
        if (done) return;
        done = true;
        interrupt = null;
        cleanup();
        resolve(value);
      };
      interrupt = () => settle(onStop);
      const release = start(settle);
      // Settled while starting (or stopped before): release at once what start set up.
      if (stopped) settle(onStop);
      if (done) release();
      else cleanup = release;
    });

  const sleep = (ms: number) =>
    wait<void>((settle) => {
      const timer = scheduler.setTimeout(() => settle(), ms);
      return () => scheduler.clearTimeout(timer);
    }, undefined);

  const abandon = (client: OBSWebSocket) => {
    client.removeAllListeners();
    client.disconnect().catch(() => {});
  };

  const attempt = (client: OBSWebSocket) =>
    wait<Attempt | null>((settle) => {
      const timer = scheduler.setTimeout(
        () => settle({ ok: false, failure: { code: null, reason: "timed out", timedOut: true } }),
        timings.connectTimeoutMs,
      );
      client
        .connect(deps.url, deps.password ?? undefined, {
          rpcVersion: OBS_RPC_VERSION,
          eventSubscriptions: OBS_EVENT_SUBSCRIPTIONS,
        })
        .then(
          (hello) => {
            const versions = HelloVersions.safeParse(hello);
            settle({
              ok: true,
              obsVersion: versions.data?.obsStudioVersion ?? null,
              websocketVersion: versions.data?.obsWebSocketVersion ?? null,
            });
          },
          (err: unknown) => settle({ ok: false, failure: failureOf(err) }),
        );
      return () => scheduler.clearTimeout(timer);
    }, null);

  const closed = (client: OBSWebSocket) =>
    wait<{ code: number | null; reason: string } | null>((settle) => {
      const onClose = (err: OBSWebSocketError) => settle({ code: err.code, reason: err.message });
      client.once("ConnectionClosed", onClose);
      // It may have closed before the listener was there.
      if (!client.identified) settle({ code: null, reason: "closed while identifying" });
      return () => client.off("ConnectionClosed", onClose);
    }, null);

  const listen = (client: OBSWebSocket) => {
    for (const name of OBS_EVENT_NAMES) {
      (client as unknown as { on(name: string, listener: (data: unknown) => void): void }).on(
        name,
        (data) => {
          const parsed = OBS_EVENTS[name].safeParse(data ?? {});
          if (!parsed.success) {
            logger.warn(
              { event: name, issues: parsed.error.issues.length },
              "OBS event not understood",
            );
            return;
          }
          deps.onEvent({ name, data: parsed.data } as ObsIncoming);
        },
      );
    }
  };

  const end = async (current: Live, why: string) => {
    for (const fail of [...current.pending]) fail(obsNotConnected(lastProblem, why));
    current.pending.clear();
    current.client.removeAllListeners();
    // Not cut short by a stop: the stop is what waits here, for OBS to see the socket close.
    await new Promise<void>((resolve) => {
      const timer = scheduler.setTimeout(resolve, CLOSE_WAIT_MS);
      const closed = () => {
        scheduler.clearTimeout(timer);
        resolve();
      };
      current.client.disconnect().then(closed, closed);
    });
  };

  const run = async () => {
    let failures = 0;
    while (!stopped) {
      deps.onChange({ kind: "connecting", attempt: failures + 1 });
      const client = new OBSWebSocket();
      listen(client);
      const outcome = await attempt(client);
      if (outcome === null || !outcome.ok) {
        abandon(client);
        if (outcome === null) break;
        failures++;
        lastProblem = problemFor(outcome.failure, {
          url: deps.url,
          hasPassword: deps.password !== null,
          connectTimeoutMs: timings.connectTimeoutMs,
        });
        const retryInMs = retryDelay(failures, outcome.failure, timings, deps.random);
        deps.onChange({
          kind: "failed",
          attempt: failures,
          problem: lastProblem,
          reason: outcome.failure.reason,
          retryInMs,
        });
        await sleep(retryInMs);
        continue;
      }
      failures = 0;
      lastProblem = null;
      const current: Live = { client, unanswered: 0, pending: new Set() };
      live = current;
      deps.onChange({
        kind: "connected",
        obsVersion: outcome.obsVersion,
        websocketVersion: outcome.websocketVersion,
      });
      const close = await closed(client);
      live = null;
      await end(
        current,
        close === null ? "the hub is stopping" : "OBS closed the connection before answering",
      );
      if (close === null) break;
      deps.onChange({ kind: "lost", ...close });
      await sleep(retryDelay(1, close, timings, deps.random));
    }
  };
  const running = run().catch((err: unknown) =>
    logger.error({ err }, "OBS connection loop failed"),
  );

  const refusedOrGone = (requestType: string, err: unknown): AppError =>
    err instanceof OBSWebSocketError && err.code >= 100
      ? obsRefused(requestType, err.code, err.message)
      : obsNotConnected(lastProblem, err instanceof Error ? err.message : String(err));

  const send = <T>(requestType: string, call: (client: OBSWebSocket) => Promise<T>): Promise<T> => {
    const current = live;
    if (current === null) return Promise.reject(obsNotConnected(lastProblem));
    if (current.unanswered >= MAX_UNANSWERED) return Promise.reject(obsBusy(current.unanswered));
    current.unanswered++;
    const answered = call(current.client);
    // Counted until OBS answers, even after the caller stopped waiting: OBS still owes it.
    answered.then(
      () => current.unanswered--,
      () => current.unanswered--,
    );
    return new Promise<T>((resolve, reject) => {
      const fail = (err: AppError) => {
        finish();
        reject(err);
      };
      const timer = scheduler.setTimeout(
        () => fail(obsTimeout(requestType, deps.requestTimeoutMs)),
        deps.requestTimeoutMs,
      );
      const finish = () => {
        scheduler.clearTimeout(timer);
        current.pending.delete(fail);
      };
      current.pending.add(fail);
      answered.then(
        (value) => {
          finish();
          resolve(value);
        },
        (err: unknown) => fail(refusedOrGone(requestType, err)),
      );
    });
  };

  return {
    connected: () => live !== null,
    request: (requestType, requestData) =>
      send(requestType, (client) =>
        (client.call as (type: string, data?: object) => Promise<unknown>)(
          requestType,
          requestData,
        ),
      ),
    batch: (requests) =>
      send("RequestBatch", (client) =>
        (client.callBatch as (requests: BatchRequest[]) => Promise<BatchResult[]>)(requests),
      ),
    async stop() {
      stopped = true;
      interrupt?.();
      await running;
    },
  };
}
