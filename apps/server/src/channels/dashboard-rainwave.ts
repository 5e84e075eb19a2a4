/**
 * The `rainwave:*` commands of `dashboard:main` (the REST mirror is `/api/rainwave/*`) and the
 * Rainwave integration's status as `integration_status`, pushed whenever it changes.
 */
import {
  DASHBOARD,
  type IntegrationStatus,
  PUSH,
  type RainwaveCommandName,
  RainwaveSetEnabled,
  RainwaveSetStation,
} from "@landale/shared";
import type { Broadcast } from "../broadcast";
import type { RainwaveService } from "../rainwave/service";
import { commandPayload } from "./payload";

export function rainwaveCommand(
  rainwave: RainwaveService,
  command: RainwaveCommandName,
  payload: unknown,
): Promise<object> {
  switch (command) {
    case "rainwave:get_status":
      return Promise.resolve(rainwave.status());
    case "rainwave:set_enabled":
      return rainwave.setEnabled(commandPayload(RainwaveSetEnabled, payload).enabled);
    case "rainwave:set_station":
      return rainwave.setStation(commandPayload(RainwaveSetStation, payload).station);
  }
}

export function rainwaveIntegrationStatus(rainwave: RainwaveService): IntegrationStatus {
  return { integration: "rainwave", status: rainwave.status() };
}

/** Pushes the Rainwave integration's status whenever it changes, until the returned function is called. */
export function startRainwaveStatusPush(
  broadcast: Broadcast,
  rainwave: RainwaveService,
): () => void {
  return rainwave.onChange((status) =>
    broadcast(DASHBOARD.name, PUSH.integrationStatus, {
      integration: "rainwave",
      status,
    } satisfies IntegrationStatus),
  );
}
