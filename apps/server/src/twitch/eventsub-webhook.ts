/**
 * EventSub webhook checks, pure: Twitch's message headers, its HMAC-SHA256 signature (compared in
 * constant time), the 10-minute freshness rule, and a bounded memory of message ids already handled.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** Twitch's rule: refuse a message whose timestamp is further than this from now. */
export const MAX_MESSAGE_AGE_MS = 10 * 60 * 1000;
/** Message ids remembered to ignore Twitch's redeliveries; older ones are forgotten (counted). */
export const MAX_SEEN_MESSAGE_IDS = 10_000;

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/** The headers Twitch sends with every EventSub webhook message. */
export const EventSubHeaders = z.object({
  "twitch-eventsub-message-id": z
    .string()
    // It becomes part of the event id (`twitch:<id>`), which allows these characters.
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, "must be 1-100 characters of A-Z a-z 0-9 . _ : -"),
  "twitch-eventsub-message-timestamp": z.string().min(1).max(64),
  "twitch-eventsub-message-signature": z.string().min(1).max(128),
  "twitch-eventsub-message-type": z.string().min(1).max(64),
});
export type EventSubHeaders = z.infer<typeof EventSubHeaders>;

/** Twitch's message body: which subscription, and the event, challenge or revocation it carries. */
export const EventSubMessage = z.object({
  subscription: z.looseObject({
    id: z.string().min(1).max(128),
    type: z.string().min(1).max(128),
    version: z.string().max(16).optional(),
    status: z.string().max(128).optional(),
  }),
  event: z.record(z.string(), z.unknown()).optional(),
  challenge: z.string().min(1).max(1024).optional(),
});
export type EventSubMessage = z.infer<typeof EventSubMessage>;

/** `sha256=` + hex HMAC-SHA256 over message id + timestamp + body, as Twitch (and its CLI) signs. */
export function signEventSub(
  secret: string,
  messageId: string,
  timestamp: string,
  body: Uint8Array,
): string {
  const hmac = createHmac("sha256", secret);
  hmac.update(messageId);
  hmac.update(timestamp);
  hmac.update(body);
  return `sha256=${hmac.digest("hex")}`;
}

/** Whether `signature` is Twitch's for this message; a malformed one is simply not. */
export function verifyEventSub(
  secret: string,
  headers: Pick<
    EventSubHeaders,
    | "twitch-eventsub-message-id"
    | "twitch-eventsub-message-timestamp"
    | "twitch-eventsub-message-signature"
  >,
  body: Uint8Array,
): boolean {
  const given = SIGNATURE.exec(headers["twitch-eventsub-message-signature"].toLowerCase())?.[1];
  if (given === undefined) return false;
  const expected = signEventSub(
    secret,
    headers["twitch-eventsub-message-id"],
    headers["twitch-eventsub-message-timestamp"],
    body,
  ).slice("sha256=".length);
  return timingSafeEqual(Buffer.from(given, "hex"), Buffer.from(expected, "hex"));
}

/** Whether the timestamp is a time within 10 minutes of `now` (either way: clocks drift). */
export function isFresh(timestamp: string, now: number): boolean {
  const at = Date.parse(timestamp);
  return Number.isFinite(at) && Math.abs(now - at) <= MAX_MESSAGE_AGE_MS;
}

/** Message ids already handled, the newest `max` of them; `forgotten` counts those dropped. */
export class SeenMessageIds {
  #ids = new Set<string>();
  #forgotten = 0;

  constructor(private readonly max = MAX_SEEN_MESSAGE_IDS) {}

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    if (this.#ids.has(id)) return;
    this.#ids.add(id);
    if (this.#ids.size > this.max) {
      // A Set iterates in insertion order: the first is the oldest.
      const oldest = this.#ids.values().next().value as string;
      this.#ids.delete(oldest);
      this.#forgotten += 1;
    }
  }

  get size(): number {
    return this.#ids.size;
  }

  get forgotten(): number {
    return this.#forgotten;
  }
}
