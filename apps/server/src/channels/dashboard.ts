/**
 * `dashboard:main`: the control panel's own topic. It pushes `health_update` (the `HubHealth` of
 * `GET /api/health`) on join and every few seconds while anyone is joined. Integration commands
 * (`obs:*`, `twitch:*`, `worker:*`) arrive with those integrations; until then they are answered
 * `unhandled_event`. Control scope only.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import type { HubHealth } from "@landale/shared";
import type { Principal } from "../auth";
import { answersPing } from "./ping";

export const DASHBOARD_TOPIC = "dashboard:main";
export const HEALTH_UPDATE = "health_update";
export const HEALTH_PUSH_MS = 5_000;

export function createDashboardChannel(health: () => HubHealth): ChannelHandler<Principal> {
  return answersPing({
    join(_topic, _payload, ctx) {
      if (ctx.assigns.scope !== "control") {
        return error({ code: "forbidden", message: `${DASHBOARD_TOPIC} needs the control scope` });
      }
      return ok({});
    },
    afterJoin: (ctx) => ctx.push(HEALTH_UPDATE, health()),
  });
}
