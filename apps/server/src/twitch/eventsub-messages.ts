/**
 * The EventSub WebSocket server's messages (dev.twitch.tv "WebSocket Messages"): every frame is
 * `{metadata, payload}`; `metadata.message_type` says which payload it carries. Parsed with zod
 * into one tagged union, so a frame that does not match is a value the client counts, not a throw.
 */
import { z } from "zod";

/** A message id becomes part of the event id (`twitch:<id>`), which allows these characters. */
const MessageId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/);

const Metadata = z.object({
  message_id: MessageId,
  message_type: z.string().min(1).max(64),
  message_timestamp: z.string().min(1).max(64),
  subscription_type: z.string().max(128).optional(),
  subscription_version: z.string().max(16).optional(),
});

const Session = z.object({
  id: z.string().min(1).max(256),
  status: z.string().max(64),
  connected_at: z.string().max(64),
  keepalive_timeout_seconds: z.int().positive().max(3600).nullable(),
  reconnect_url: z
    .string()
    .regex(/^wss?:\/\//)
    .max(2048)
    .nullable(),
});

const Subscription = z.looseObject({
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(128),
  version: z.string().min(1).max(16),
  status: z.string().max(128),
});
export type EventSubSubscription = z.infer<typeof Subscription>;

const Frame = z.object({ metadata: Metadata, payload: z.record(z.string(), z.unknown()) });
const Welcome = z.object({
  session: Session.extend({ keepalive_timeout_seconds: z.int().positive().max(3600) }),
});
const Reconnect = z.object({
  session: Session.extend({ reconnect_url: Session.shape.reconnect_url.unwrap() }),
});
const Notification = z.object({
  subscription: Subscription,
  event: z.record(z.string(), z.unknown()),
});
const Revocation = z.object({ subscription: Subscription });

export type EventSubSession = z.infer<typeof Session>;

interface Common {
  messageId: string;
  timestamp: string;
}

export type EventSubMessage =
  | (Common & { kind: "welcome"; session: EventSubSession & { keepalive_timeout_seconds: number } })
  | (Common & { kind: "keepalive" })
  | (Common & { kind: "reconnect"; session: EventSubSession & { reconnect_url: string } })
  | (Common & {
      kind: "notification";
      subscription: EventSubSubscription;
      event: Record<string, unknown>;
    })
  | (Common & { kind: "revocation"; subscription: EventSubSubscription })
  /** A well-formed frame of a type this client does not know; ignored. */
  | (Common & { kind: "other"; type: string });

export type ParsedFrame = { ok: true; message: EventSubMessage } | { ok: false; error: string };

const fail = (what: string, error: z.ZodError): ParsedFrame => ({
  ok: false,
  error: `${what}: ${z.prettifyError(error)}`,
});

/** One text frame from the server, parsed; never throws. */
export function parseFrame(data: unknown): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(
      typeof data === "string" ? data : new TextDecoder().decode(data as Uint8Array),
    );
  } catch {
    return { ok: false, error: "not JSON" };
  }
  const frame = Frame.safeParse(json);
  if (!frame.success) return fail("frame", frame.error);
  const { metadata, payload } = frame.data;
  const common = { messageId: metadata.message_id, timestamp: metadata.message_timestamp };
  switch (metadata.message_type) {
    case "session_welcome": {
      const parsed = Welcome.safeParse(payload);
      if (!parsed.success) return fail("session_welcome", parsed.error);
      return { ok: true, message: { ...common, kind: "welcome", session: parsed.data.session } };
    }
    case "session_keepalive":
      return { ok: true, message: { ...common, kind: "keepalive" } };
    case "session_reconnect": {
      const parsed = Reconnect.safeParse(payload);
      if (!parsed.success) return fail("session_reconnect", parsed.error);
      return { ok: true, message: { ...common, kind: "reconnect", session: parsed.data.session } };
    }
    case "notification": {
      const parsed = Notification.safeParse(payload);
      if (!parsed.success) return fail("notification", parsed.error);
      return { ok: true, message: { ...common, kind: "notification", ...parsed.data } };
    }
    case "revocation": {
      const parsed = Revocation.safeParse(payload);
      if (!parsed.success) return fail("revocation", parsed.error);
      return { ok: true, message: { ...common, kind: "revocation", ...parsed.data } };
    }
    default:
      return { ok: true, message: { ...common, kind: "other", type: metadata.message_type } };
  }
}

/** Twitch's close codes, named for the log. */
export const EVENTSUB_CLOSE_REASONS: Readonly<Record<number, string>> = {
  4000: "internal server error",
  4001: "client sent inbound traffic",
  4002: "client failed ping-pong",
  4003: "connection unused",
  4004: "reconnect grace time expired",
  4005: "network timeout",
  4006: "network error",
  4007: "invalid reconnect",
};
