/**
 * The tracker's messages, recorded in the order they came: each becomes an `ironmon.<type>` event
 * through ingest, many to one submission; a `seed` or `checkpoint` ends its submission, and once it
 * is stored the run tracking acts on it (store first) and its run events are ingested after it.
 * The queue is bounded (drops counted); ingest refusing for back-pressure or start-up is waited
 * out; a submission refused for its content is retried one event at a time, so one bad event
 * loses only itself.
 */
import type { Logger } from "@landale/logger";
import { type EventInput, type IronmonMessage, MAX_EVENTS_PER_INPUT } from "@landale/shared";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";
import type { Scheduler } from "../scheduler";

export const MAX_QUEUED_MESSAGES = 10_000;
const RECORD_RETRY_MS = 250;

/** What the run tracking makes of a seed or checkpoint: the run events to record after it. */
export type RunStep = (message: IronmonMessage) => Promise<EventInput[]>;

export interface IronmonRecorder {
  record(message: IronmonMessage): void;
  stats(): { queued: number; dropped: number; failed: number };
  /** Resolves when everything queued so far is recorded (tests, shutdown). */
  idle(): Promise<void>;
  /** Records what is queued without waiting out refusals, then leaves nothing running. */
  stop(): Promise<void>;
}

const endsSubmission = (message: IronmonMessage) =>
  message.type === "seed" || message.type === "checkpoint" || message.type === "init";

export function toIronmonEvent(message: IronmonMessage): EventInput {
  return { type: `ironmon.${message.type}`, source: "tcp", data: message.data };
}

export function createIronmonRecorder(deps: {
  ingest: Ingest;
  runStep: RunStep;
  logger: Logger;
  scheduler: Scheduler;
  maxQueued?: number;
}): IronmonRecorder {
  const { ingest, runStep, logger, scheduler } = deps;
  const maxQueued = deps.maxQueued ?? MAX_QUEUED_MESSAGES;
  const queue: IronmonMessage[] = [];
  let dropped = 0;
  let failed = 0;
  let stopping = false;
  let draining: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = scheduler.setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        scheduler.clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  /** Stores the events; false when they were refused for good (counted and logged). */
  const store = async (events: EventInput[]): Promise<boolean> => {
    for (;;) {
      try {
        await ingest(events, { source: "tcp", correlationId: Bun.randomUUIDv7() });
        return true;
      } catch (err) {
        if (err instanceof AppError && err.status === 503 && !stopping) {
          await pause(RECORD_RETRY_MS);
          continue;
        }
        if (err instanceof AppError && err.status === 422 && events.length > 1) {
          let all = true;
          for (const event of events) all = (await store([event])) && all;
          return all;
        }
        failed += events.length;
        logger.warn({ types: events.map((e) => e.type), err }, "IronMON events not recorded");
        return false;
      }
    }
  };

  const drainOnce = async () => {
    const batch: IronmonMessage[] = [];
    while (batch.length < MAX_EVENTS_PER_INPUT) {
      const message = queue.shift();
      if (message === undefined) break;
      batch.push(message);
      if (endsSubmission(message)) break;
    }
    await store(batch.map(toIronmonEvent));
    const last = batch[batch.length - 1];
    if (last === undefined || !endsSubmission(last)) return;
    // The run tracking acts even if the telemetry event was refused: the run is the record.
    let runEvents: EventInput[] = [];
    try {
      runEvents = await runStep(last);
    } catch (err) {
      failed++;
      logger.error({ type: last.type, err }, "IronMON run tracking failed");
    }
    if (runEvents.length > 0) await store(runEvents);
  };

  const drain = async () => {
    while (queue.length > 0) await drainOnce();
  };
  const pump = () => {
    draining ??= drain().finally(() => {
      draining = null;
      if (queue.length > 0) pump();
    });
  };

  return {
    record(message) {
      if (queue.length >= maxQueued) {
        dropped++;
        if (dropped === 1 || dropped % 1000 === 0) {
          logger.warn({ dropped }, "IronMON messages dropped: too many waiting to be stored");
        }
        return;
      }
      queue.push(message);
      pump();
    },
    stats: () => ({ queued: queue.length, dropped, failed }),
    async idle() {
      while (draining !== null) await draining;
    },
    async stop() {
      stopping = true;
      wake?.();
      while (draining !== null) await draining;
    },
  };
}
