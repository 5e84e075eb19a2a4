/**
 * `dashboard:main`: the control panel's own topic (control scope). It pushes `health_update` (the
 * `HubHealth` of `GET /api/health`) on join and every few seconds while anyone is joined,
 * `integration_status` for each integration on join and whenever it changes, and `obs_stats`
 * while OBS is connected (`./dashboard-obs`). It takes the integrations' commands: `twitch:*`
 * (`./dashboard-twitch`, REST mirror `/api/twitch/*`) and `obs:*` (`./dashboard-obs`, REST mirror
 * `/api/obs/*`), `rainwave:*` (`./dashboard-rainwave`, REST mirror `/api/rainwave/*`), the
 * `ironmon:*` queries (`./dashboard-ironmon`, REST mirror `/api/ironmon/*`), and `worker:*` with
 * `services_status` pushed on join and on change (`./dashboard-workers`).
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import {
  DASHBOARD,
  type HubHealth,
  IRONMON_COMMANDS,
  type IronmonCommandName,
  OBS_COMMANDS,
  type ObsCommandName,
  PUSH,
  RAINWAVE_COMMANDS,
  type RainwaveCommandName,
  TWITCH_COMMANDS,
  type TwitchCommandName,
  WORKER_COMMANDS,
} from "@landale/shared";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { AppError } from "../errors";
import type { IronmonService } from "../ironmon/service";
import type { ObsService } from "../obs/service";
import type { RainwaveService } from "../rainwave/service";
import type { TwitchService } from "../twitch/service";
import type { WorkerSupervisor } from "../workers/supervisor";
import { ironmonCommand } from "./dashboard-ironmon";
import { obsCommand, obsIntegrationStatus, startObsStatusPush } from "./dashboard-obs";
import {
  rainwaveCommand,
  rainwaveIntegrationStatus,
  startRainwaveStatusPush,
} from "./dashboard-rainwave";
import { startTwitchStatusPush, twitchCommand, twitchIntegrationStatus } from "./dashboard-twitch";
import { isWorkerCommand, servicesStatus, workerCommand } from "./dashboard-workers";
import { answersPing } from "./ping";

export const HEALTH_PUSH_MS = 5_000;

export interface Integrations {
  twitch: TwitchService;
  obs: ObsService;
  rainwave: RainwaveService;
  ironmon: IronmonService;
  /** The supervised workers; null when the hub runs none. */
  workers: WorkerSupervisor | null;
}

const COMMANDS: readonly string[] = [
  ...TWITCH_COMMANDS,
  ...OBS_COMMANDS,
  ...RAINWAVE_COMMANDS,
  ...IRONMON_COMMANDS,
  ...WORKER_COMMANDS,
];

function isTwitchCommand(event: string): event is TwitchCommandName {
  return (TWITCH_COMMANDS as readonly string[]).includes(event);
}

function isRainwaveCommand(event: string): event is RainwaveCommandName {
  return (RAINWAVE_COMMANDS as readonly string[]).includes(event);
}

function isIronmonCommand(event: string): event is IronmonCommandName {
  return (IRONMON_COMMANDS as readonly string[]).includes(event);
}

function runCommand(integrations: Integrations, event: string, payload: unknown): Promise<object> {
  if (isWorkerCommand(event)) return workerCommand(integrations.workers, event, payload);
  if (isRainwaveCommand(event)) return rainwaveCommand(integrations.rainwave, event, payload);
  if (isIronmonCommand(event)) return ironmonCommand(integrations.ironmon, event, payload);
  return isTwitchCommand(event)
    ? twitchCommand(integrations.twitch, event, payload)
    : obsCommand(integrations.obs, event as ObsCommandName, payload);
}

export function createDashboardChannel(
  health: () => HubHealth,
  integrations: Integrations,
): ChannelHandler<Principal> {
  return answersPing({
    join(_topic, _payload, ctx) {
      if (ctx.assigns.scope !== "control") {
        return error({ code: "forbidden", message: `${DASHBOARD.name} needs the control scope` });
      }
      return ok({});
    },
    afterJoin(ctx) {
      ctx.push(PUSH.healthUpdate, health());
      ctx.push(PUSH.integrationStatus, twitchIntegrationStatus(integrations.twitch));
      ctx.push(PUSH.integrationStatus, obsIntegrationStatus(integrations.obs));
      ctx.push(PUSH.integrationStatus, rainwaveIntegrationStatus(integrations.rainwave));
      ctx.push(PUSH.servicesStatus, servicesStatus(integrations.workers));
    },
    handleIn(event, payload, ctx) {
      if (!COMMANDS.includes(event)) {
        return error({
          code: "unhandled_event",
          message: `${DASHBOARD.name} takes ${COMMANDS.join(", ")} and ping`,
        });
      }
      const reply = ctx.deferReply();
      // A payload the schema refuses throws inside the promise chain, answered like the
      // integrations' refusals; a command waiting on OBS or Twitch never holds up the next push.
      Promise.resolve()
        .then((): Promise<object> => runCommand(integrations, event, payload ?? {}))
        .then(
          (answer) => reply(ok(answer as Record<string, unknown>)),
          (err: unknown) =>
            reply(
              error(
                err instanceof AppError
                  ? err.body()
                  : { code: "internal", message: `${event} failed` },
              ),
            ),
        );
      return undefined;
    },
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

/** Pushes each integration's status whenever it changes, until the returned function is called. */
export function startIntegrationPush(broadcast: Broadcast, integrations: Integrations): () => void {
  const stops = [
    startTwitchStatusPush(broadcast, integrations.twitch),
    startObsStatusPush(broadcast, integrations.obs),
    startRainwaveStatusPush(broadcast, integrations.rainwave),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
