/**
 * What the EventSub client does with the messages that carry events, whichever connection they
 * came on: a notification or revocation already handled (Twitch redelivers when unsure) is counted
 * as a duplicate and dropped, by message id (the last 10,000 remembered); a notification goes to
 * the hub through the ordered delivery line; a revocation is reported.
 */
import type { Logger } from "@landale/logger";
import { createDeliveryQueue, type EventSubNotification } from "./eventsub-delivery";
import type { EventSubMessage, EventSubSubscription } from "./eventsub-messages";
import { SeenMessageIds } from "./eventsub-webhook";

/** A revoked subscription as Twitch sent it; the hub records it as the webhook does. */
export interface EventSubRevocation {
  messageId: string;
  timestamp: string;
  subscription: EventSubSubscription;
}

export type EventMessage = Extract<EventSubMessage, { kind: "notification" | "revocation" }>;

export interface EventSubInboxCounts {
  /** Notifications the hub committed. */
  notifications: number;
  /** Notifications the hub refused for the event itself (the catalogue's 422), not stored. */
  refused: number;
  duplicates: number;
  failed: number;
  overflowed: number;
  queued: number;
}

export interface EventSubInbox {
  take(message: EventMessage): void;
  counts(): EventSubInboxCounts;
  stop(): Promise<void>;
}

export interface EventSubInboxOptions {
  deliver(notification: EventSubNotification): Promise<void>;
  onRevocation(revocation: EventSubRevocation): void;
  logger: Logger;
}

export function createEventSubInbox(options: EventSubInboxOptions): EventSubInbox {
  const { logger } = options;
  const seen = new SeenMessageIds();
  const queue = createDeliveryQueue({ deliver: options.deliver, logger });
  let duplicates = 0;

  return {
    take(message) {
      if (seen.has(message.messageId)) {
        duplicates += 1;
        return;
      }
      seen.add(message.messageId);
      const { messageId, timestamp, subscription } = message;
      if (message.kind === "notification") {
        queue.push({
          messageId,
          type: subscription.type,
          version: subscription.version,
          subscriptionId: subscription.id,
          timestamp,
          event: message.event,
        });
        return;
      }
      logger.warn(
        { type: subscription.type, id: subscription.id, status: subscription.status },
        "Twitch revoked an EventSub subscription",
      );
      options.onRevocation({ messageId, timestamp, subscription });
    },
    counts() {
      const { delivered, refused, failed, overflowed, queued } = queue.counts();
      return { notifications: delivered, refused, duplicates, failed, overflowed, queued };
    },
    stop: () => queue.stop(),
  };
}
