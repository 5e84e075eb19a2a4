/** A Twitch status for tests: signed out, EventSub stopped, nothing counted, with `change` on top. */
import { TwitchStatus } from "./twitch";

export function sampleTwitchStatus(
  change: Partial<TwitchStatus> = {},
  eventsub: Partial<TwitchStatus["eventsub"]> = {},
): TwitchStatus {
  return TwitchStatus.parse({
    state: "signed_out",
    user: null,
    scopes: [],
    missing_scopes: [],
    expires_at: null,
    validated_at: null,
    device: null,
    problem: null,
    ...change,
    eventsub: {
      state: "stopped",
      session_id: null,
      connected_at: null,
      keepalive_seconds: null,
      subscriptions: [],
      notifications: 0,
      refused: 0,
      duplicates: 0,
      reconnects: 0,
      ...change.eventsub,
      ...eventsub,
    },
  });
}
