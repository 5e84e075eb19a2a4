/** The EventSub WebSocket messages' parts, in Twitch's documented shapes. */
import type { FakeSession, FakeSubscription } from "./eventsub-types";
import { timestamp } from "./wire";

/** Twitch clamps a requested keepalive_timeout_seconds to this range. */
const KEEPALIVE_RANGE = { min: 10, max: 600 } as const;

export function metadata(type: string, sub?: FakeSubscription) {
  return {
    message_id: crypto.randomUUID(),
    message_type: type,
    message_timestamp: timestamp(),
    ...(sub ? { subscription_type: sub.type, subscription_version: sub.version } : {}),
  };
}

/** `payload.session` of a welcome (no reconnect_url) or of a session_reconnect. */
export function sessionPayload(info: FakeSession, reconnectUrl: string | null) {
  return {
    session: {
      id: info.id,
      status: info.status === "reconnecting" ? "reconnecting" : "connected",
      connected_at: info.connectedAt,
      keepalive_timeout_seconds: reconnectUrl === null ? info.keepaliveSeconds : null,
      reconnect_url: reconnectUrl,
    },
  };
}

/** The keepalive a connection asked for with `?keepalive_timeout_seconds=`, else the default. */
export function requestedKeepalive(url: URL, fallback: number): number {
  const asked = Number(url.searchParams.get("keepalive_timeout_seconds"));
  if (!url.searchParams.has("keepalive_timeout_seconds") || !Number.isFinite(asked))
    return fallback;
  return Math.min(KEEPALIVE_RANGE.max, Math.max(KEEPALIVE_RANGE.min, Math.round(asked)));
}
