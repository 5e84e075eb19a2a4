/**
 * What an EventSub message becomes in the hub, whichever transport brought it (webhook or
 * WebSocket): a notification is an event of its subscription type with Twitch's `event` as data;
 * a revocation is a `system.error` naming the subscription and Twitch's reason. The id is
 * `twitch:<message id>`, so a redelivery — over either transport, before or after a restart — is
 * stored once (events are idempotent by id).
 */
import type { IngestContext } from "../events/ingest";
import { correlationIdOf } from "../http/events";

export interface EventSubInput {
  id: string;
  type: string;
  source: "twitch";
  data: unknown;
}

export function eventIdOf(messageId: string): string {
  return `twitch:${messageId}`;
}

export function eventSubContext(messageId: string): IngestContext {
  return { source: "twitch", correlationId: correlationIdOf(messageId) };
}

export function notificationEvent(messageId: string, type: string, event: unknown): EventSubInput {
  return { id: eventIdOf(messageId), type, source: "twitch", data: event };
}

export function revocationEvent(
  messageId: string,
  subscription: { id: string; type: string; status?: string | undefined },
): EventSubInput {
  const reason = subscription.status ?? "unknown";
  return {
    id: eventIdOf(messageId),
    type: "system.error",
    source: "twitch",
    data: {
      component: "twitch-eventsub",
      code: "eventsub_revoked",
      message: `Twitch revoked the ${subscription.type} subscription ${subscription.id}: ${reason}`,
    },
  };
}
