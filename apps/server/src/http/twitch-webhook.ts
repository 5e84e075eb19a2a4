/**
 * `POST /api/twitch/eventsub`: Twitch's EventSub webhook callback. Twitch's signature is its
 * authentication (no bearer token: `apiScopes` exempts the path); the checks are in
 * `../twitch/eventsub-webhook`. Answers: the challenge as text/plain 200; 204 for a notification
 * stored (or a message id already handled) and for a revocation recorded; 403 for a missing or
 * wrong signature or a timestamp more than 10 minutes off. Mounted only with a secret configured.
 */
import type { Logger } from "@landale/logger";
import { Hono } from "hono";
import { AppError, invalidInput } from "../errors";
import type { ByteAdmission } from "../events/admission";
import type { Ingest } from "../events/ingest";
import { eventSubContext, notificationEvent, revocationEvent } from "../twitch/events";
import {
  EventSubHeaders,
  EventSubMessage,
  isFresh,
  SeenMessageIds,
  verifyEventSub,
} from "../twitch/eventsub-webhook";
import { MAX_INGEST_REQUESTS } from "./events";
import { admitByBytes, limitInFlight } from "./in-flight";

export interface EventSubWebhookRoutes extends Hono {
  /** Requests refused because too many were in flight (those over the byte budget: `admission`). */
  refused(): number;
}

export function eventSubWebhookRoutes(
  secret: string,
  ingest: Ingest,
  admission: ByteAdmission,
  logger: Logger,
  now: () => number = Date.now,
): EventSubWebhookRoutes {
  const seen = new SeenMessageIds();
  const limit = limitInFlight(MAX_INGEST_REQUESTS, "EventSub webhook requests");
  const routes = new Hono().post("/", limit, admitByBytes(admission), async (c) => {
    const headers = EventSubHeaders.safeParse({
      "twitch-eventsub-message-id": c.req.header("twitch-eventsub-message-id"),
      "twitch-eventsub-message-timestamp": c.req.header("twitch-eventsub-message-timestamp"),
      "twitch-eventsub-message-signature": c.req.header("twitch-eventsub-message-signature"),
      "twitch-eventsub-message-type": c.req.header("twitch-eventsub-message-type"),
    });
    if (!headers.success) {
      throw invalidInput(
        403,
        "invalid_signature",
        headers.error,
        "not a signed EventSub message: ",
      );
    }
    const messageId = headers.data["twitch-eventsub-message-id"];
    // The signature covers the exact bytes Twitch sent: read them, never a re-encoded JSON.
    const body = new Uint8Array(await c.req.raw.arrayBuffer());
    if (!verifyEventSub(secret, headers.data, body)) {
      throw new AppError(
        403,
        "invalid_signature",
        "Twitch-Eventsub-Message-Signature does not match: check TWITCH_EVENTSUB_SECRET is the secret the subscription was created with",
      );
    }
    if (!isFresh(headers.data["twitch-eventsub-message-timestamp"], now())) {
      throw new AppError(
        403,
        "stale_message",
        "Twitch-Eventsub-Message-Timestamp is more than 10 minutes from the hub's clock",
      );
    }
    if (seen.has(messageId)) return c.body(null, 204);

    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new AppError(400, "invalid_json", "the body is not valid JSON");
    }
    const message = EventSubMessage.safeParse(json);
    if (!message.success) throw invalidInput(400, "invalid_message", message.error);
    const { subscription, event, challenge } = message.data;
    const type = headers.data["twitch-eventsub-message-type"];
    const context = eventSubContext(messageId);

    switch (type) {
      case "webhook_callback_verification": {
        if (challenge === undefined) {
          throw new AppError(400, "invalid_message", "challenge: a verification carries one");
        }
        logger.info({ subscription: subscription.type }, "EventSub webhook subscription verified");
        seen.add(messageId);
        return c.text(challenge, 200);
      }
      case "notification": {
        if (event === undefined) {
          throw new AppError(400, "invalid_message", "event: a notification carries one");
        }
        try {
          await ingest(notificationEvent(messageId, subscription.type, event), context);
        } catch (err) {
          // Twitch shows the operator nothing: say here what it will keep retrying.
          if (err instanceof AppError && err.status === 422) {
            logger.warn(
              { subscription: subscription.type, messageId, details: err.details },
              "EventSub notification refused by the catalogue",
            );
          }
          throw err;
        }
        seen.add(messageId);
        return c.body(null, 204);
      }
      case "revocation": {
        const reason = subscription.status ?? "unknown";
        logger.warn(
          { subscription: subscription.type, id: subscription.id, reason },
          "Twitch revoked an EventSub subscription",
        );
        await ingest(revocationEvent(messageId, subscription), context);
        seen.add(messageId);
        return c.body(null, 204);
      }
      default:
        throw new AppError(
          400,
          "unknown_message_type",
          `Twitch-Eventsub-Message-Type "${type}" is not notification, webhook_callback_verification or revocation`,
        );
    }
  });
  return Object.assign(routes, { refused: limit.refused });
}
