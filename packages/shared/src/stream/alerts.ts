/** Which events make an alert on stream. */
import type { KnownEventType } from "../events/catalogue";

/**
 * What viewers do that makes an alert on stream (docs/STREAM.md): the engine queues these, the
 * `events:interactions` filter carries them, the overlays and the dashboard show them.
 */
export const ALERT_TYPES = [
  "channel.follow",
  "channel.subscribe",
  "channel.subscription.message",
  "channel.subscription.gift",
  "channel.cheer",
  "channel.raid",
  "channel.channel_points_custom_reward_redemption.add",
] as const satisfies readonly KnownEventType[];
export type AlertType = (typeof ALERT_TYPES)[number];

const ALERTS: ReadonlySet<string> = new Set(ALERT_TYPES);

/** Whether events of this type make an alert. */
export function isAlertType(type: string): type is AlertType {
  return ALERTS.has(type);
}
