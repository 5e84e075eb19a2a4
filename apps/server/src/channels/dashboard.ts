/**
 * `dashboard:main`: the control panel's own topic (control scope). It pushes `health_update` (the
 * `HubHealth` of `GET /api/health`) on join and every few seconds while anyone is joined, and
 * `integration_status` for each integration on join and whenever it changes. It takes the
 * integrations' commands: `twitch:*` (the REST mirror is `/api/twitch/*`); `obs:*` and
 * `worker:*` arrive with those integrations.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import {
  DASHBOARD,
  type HubHealth,
  type IntegrationStatus,
  PUSH,
  TWITCH_COMMANDS,
  TwitchCategorySearch,
  TwitchChannelUpdate,
  type TwitchCommandName,
} from "@landale/shared";
import type { z } from "zod";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { AppError, invalidInput } from "../errors";
import type { TwitchService } from "../twitch/service";
import { answersPing } from "./ping";

export const HEALTH_PUSH_MS = 5_000;

function parsed<T extends z.ZodType>(schema: T, payload: unknown): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) throw invalidInput(400, "invalid_payload", result.error);
  return result.data;
}

function twitchCommand(
  twitch: TwitchService,
  command: TwitchCommandName,
  payload: unknown,
): Promise<object> {
  switch (command) {
    case "twitch:status":
      return Promise.resolve(twitch.status());
    case "twitch:sign_in":
      return twitch.signIn();
    case "twitch:sign_out":
      return twitch.signOut();
    case "twitch:get_channel_info":
      return twitch.channelInfo();
    case "twitch:update_channel_info":
      return twitch.updateChannelInfo(parsed(TwitchChannelUpdate, payload));
    case "twitch:search_categories":
      return twitch
        .searchCategories(parsed(TwitchCategorySearch, payload).query)
        .then((categories) => ({ categories }));
  }
}

export function twitchIntegrationStatus(twitch: TwitchService): IntegrationStatus {
  return { integration: "twitch", status: twitch.status() };
}

export function createDashboardChannel(
  health: () => HubHealth,
  twitch: TwitchService,
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
      ctx.push(PUSH.integrationStatus, twitchIntegrationStatus(twitch));
    },
    handleIn(event, payload, ctx) {
      if (!(TWITCH_COMMANDS as readonly string[]).includes(event)) {
        return error({
          code: "unhandled_event",
          message: `${DASHBOARD.name} takes ${TWITCH_COMMANDS.join(", ")} and ping`,
        });
      }
      const reply = ctx.deferReply();
      // A payload the schema refuses throws inside the promise chain, answered like Twitch's refusals.
      Promise.resolve()
        .then(
          (): Promise<object> => twitchCommand(twitch, event as TwitchCommandName, payload ?? {}),
        )
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

/** Pushes the Twitch integration's status whenever it changes, until the returned function is called. */
export function startIntegrationPush(broadcast: Broadcast, twitch: TwitchService): () => void {
  return twitch.onChange((status) =>
    broadcast(DASHBOARD.name, PUSH.integrationStatus, {
      integration: "twitch",
      status,
    } satisfies IntegrationStatus),
  );
}
