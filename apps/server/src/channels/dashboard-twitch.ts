/**
 * The `twitch:*` commands of `dashboard:main` (the REST mirror is `/api/twitch/*`), and the
 * Twitch integration's status as `integration_status`, pushed whenever it changes.
 */
import {
  DASHBOARD,
  type IntegrationStatus,
  PUSH,
  TwitchCategorySearch,
  TwitchChannelUpdate,
  type TwitchCommandName,
} from "@landale/shared";
import type { Broadcast } from "../broadcast";
import type { TwitchService } from "../twitch/service";
import { commandPayload } from "./payload";

export function twitchCommand(
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
      return twitch.updateChannelInfo(commandPayload(TwitchChannelUpdate, payload));
    case "twitch:search_categories":
      return twitch
        .searchCategories(commandPayload(TwitchCategorySearch, payload).query)
        .then((categories) => ({ categories }));
  }
}

export function twitchIntegrationStatus(twitch: TwitchService): IntegrationStatus {
  return { integration: "twitch", status: twitch.status() };
}

/** Pushes the Twitch integration's status whenever it changes, until the returned function is called. */
export function startTwitchStatusPush(broadcast: Broadcast, twitch: TwitchService): () => void {
  return twitch.onChange((status) =>
    broadcast(DASHBOARD.name, PUSH.integrationStatus, {
      integration: "twitch",
      status,
    } satisfies IntegrationStatus),
  );
}
