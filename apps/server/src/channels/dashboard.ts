/**
 * `dashboard:main`: the control panel's own topic. It pushes `health_update` (the `HubHealth` of
 * `GET /api/health`) on join and every few seconds while anyone is joined. Integration commands
 * (`obs:*`, `twitch:*`, `worker:*`) arrive with those integrations; until then they are answered
 * `unhandled_event`. Control scope only.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import { DASHBOARD, type HubHealth, PUSH } from "@landale/shared";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { answersPing } from "./ping";

export const HEALTH_PUSH_MS = 5_000;

export function createDashboardChannel(health: () => HubHealth): ChannelHandler<Principal> {
  return answersPing({
    join(_topic, _payload, ctx) {
      if (ctx.assigns.scope !== "control") {
        return error({ code: "forbidden", message: `${DASHBOARD.name} needs the control scope` });
      }
      return ok({});
    },
    afterJoin: (ctx) => ctx.push(PUSH.healthUpdate, health()),
  });
}

/** Pushes the health every `HEALTH_PUSH_MS` until the returned function is called. */
export function startHealthPush(broadcast: Broadcast, health: () => HubHealth): () => void {
  // Broadcasting to a topic nobody joined costs nothing: no encoding, no publish.
  const timer = setInterval(
    () => broadcast(DASHBOARD.name, PUSH.healthUpdate, health()),
    HEALTH_PUSH_MS,
  );
  return () => clearInterval(timer);
}
