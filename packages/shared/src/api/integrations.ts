/** `integration_status` on `dashboard:main`: one integration's status, pushed on join and on change. */
import { z } from "zod";
import { ObsStatus } from "./obs";
import { RainwaveStatus } from "./rainwave";
import { TwitchStatus } from "./twitch";

export const IntegrationStatus = z.discriminatedUnion("integration", [
  z.object({ integration: z.literal("twitch"), status: TwitchStatus }),
  z.object({ integration: z.literal("obs"), status: ObsStatus }),
  z.object({ integration: z.literal("rainwave"), status: RainwaveStatus }),
]);
export type IntegrationStatus = z.infer<typeof IntegrationStatus>;
