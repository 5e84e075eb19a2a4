/**
 * Hands EventSub notifications to the hub in arrival order. Nothing acknowledges a WebSocket
 * notification to Twitch and nothing redelivers it, so they are pipelined rather than dropped:
 * `deliver` is called for each in the order pushed (the hub's ingest hands them to the batcher in
 * that order), up to `maxInFlight` at once, and a failed one is retried a few times with backoff
 * (the hub stores `twitch:<message_id>` once, so a retry cannot duplicate). A refusal for the
 * event itself (a 4xx `status`, e.g. 422 from the catalogue) is not retried, and is counted as
 * `refused` (neither delivered nor failed: the hub has said why already). The client cannot stop
 * reading its socket, so the waiting line has a generous bound (10,000); past it a notification is
 * counted as `overflowed` and logged as an error, as the only alternative is unbounded memory.
 */
import type { Logger } from "@landale/logger";

/** What the client hands the hub, which ingests it as `twitch:<messageId>`. */
export interface EventSubNotification {
  messageId: string;
  type: string;
  version: string;
  subscriptionId: string;
  /** Twitch's `message_timestamp`. */
  timestamp: string;
  event: Record<string, unknown>;
}

export const MAX_QUEUED_NOTIFICATIONS = 10_000;
export const MAX_DELIVERIES_IN_FLIGHT = 64;
/** Waits before each retry of a failed delivery; then it is given up (counted as failed). */
export const DELIVERY_RETRY_DELAYS_MS = [250, 1_000, 4_000, 10_000] as const;

export interface DeliveryCounts {
  delivered: number;
  /** Refused by the hub for the event itself (the catalogue's 422): not retried, not stored. */
  refused: number;
  failed: number;
  overflowed: number;
  queued: number;
  inFlight: number;
}

export interface DeliveryQueue {
  /** False when the notification was not taken (stopped, or the line is full). */
  push(notification: EventSubNotification): boolean;
  counts(): DeliveryCounts;
  /** Drops what has not started (logged), abandons retries, waits for deliveries under way. */
  stop(): Promise<void>;
}

export interface DeliveryQueueOptions {
  deliver(notification: EventSubNotification): Promise<void>;
  logger: Logger;
  maxQueued?: number;
  maxInFlight?: number;
  retryDelaysMs?: readonly number[];
}

/** A refusal of the event itself: retrying cannot change the answer. */
function isPermanent(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 429;
}

export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const { deliver, logger } = options;
  const maxQueued = options.maxQueued ?? MAX_QUEUED_NOTIFICATIONS;
  const maxInFlight = options.maxInFlight ?? MAX_DELIVERIES_IN_FLIGHT;
  const retryDelays = options.retryDelaysMs ?? DELIVERY_RETRY_DELAYS_MS;
  const waiting: EventSubNotification[] = [];
  const running = new Set<Promise<void>>();
  /** Retry waits under way, each with the function that ends it early (false: give up). */
  const pauses = new Map<ReturnType<typeof setTimeout>, (go: boolean) => void>();
  const counts = { delivered: 0, refused: 0, failed: 0, overflowed: 0 };
  let stopped = false;

  const pause = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        pauses.delete(timer);
        resolve(true);
      }, ms);
      pauses.set(timer, resolve);
    });

  const deliverOne = async (notification: EventSubNotification) => {
    const { messageId, type } = notification;
    for (let attempt = 0; ; attempt++) {
      try {
        await deliver(notification);
        counts.delivered += 1;
        return;
      } catch (err) {
        if (isPermanent(err)) {
          counts.refused += 1;
          // The hub logged why (the catalogue's fields); this is only the count.
          logger.debug({ messageId, type }, "EventSub notification refused by the hub");
          return;
        }
        const delay = retryDelays[attempt];
        if (stopped || delay === undefined) {
          counts.failed += 1;
          logger.error({ err, messageId, type }, "EventSub notification not stored");
          return;
        }
        logger.warn(
          { err, messageId, type, retryInMs: delay },
          "EventSub notification not stored yet; retrying",
        );
        if (!(await pause(delay))) {
          counts.failed += 1;
          logger.error({ messageId, type }, "EventSub notification abandoned: the client stopped");
          return;
        }
      }
    }
  };

  const pump = () => {
    while (!stopped && running.size < maxInFlight) {
      const next = waiting.shift();
      if (next === undefined) return;
      const run: Promise<void> = deliverOne(next).finally(() => {
        running.delete(run);
        pump();
      });
      running.add(run);
    }
  };

  return {
    push(notification) {
      if (stopped) return false;
      if (waiting.length >= maxQueued) {
        counts.overflowed += 1;
        logger.error(
          {
            messageId: notification.messageId,
            type: notification.type,
            overflowed: counts.overflowed,
          },
          "EventSub notification dropped: too many waiting for the hub",
        );
        return false;
      }
      waiting.push(notification);
      pump();
      return true;
    },
    counts: () => ({ ...counts, queued: waiting.length, inFlight: running.size }),
    async stop() {
      stopped = true;
      if (waiting.length > 0) {
        logger.error(
          { dropped: waiting.length },
          "EventSub notifications not delivered: the client stopped",
        );
        counts.failed += waiting.length;
        waiting.length = 0;
      }
      for (const [timer, end] of pauses) {
        clearTimeout(timer);
        end(false);
      }
      pauses.clear();
      await Promise.allSettled([...running]);
    },
  };
}
