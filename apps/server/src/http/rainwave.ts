/**
 * `/api/rainwave/*` (control scope): the REST mirror of the `rainwave:*` commands on
 * `dashboard:main` — the status, switching the poller on or off, and the station. Bodies and
 * answers are the shapes in `@landale/shared` (`api/rainwave.ts`).
 */
import { RainwaveSetEnabled, RainwaveSetStation } from "@landale/shared";
import { Hono } from "hono";
import { invalidInput } from "../errors";
import type { RainwaveService } from "../rainwave/service";
import { jsonBody } from "./body";

export function rainwaveRoutes(rainwave: RainwaveService): Hono {
  return new Hono()
    .get("/status", (c) => c.json(rainwave.status()))
    .post("/enabled", async (c) => {
      const input = RainwaveSetEnabled.safeParse(await jsonBody(c.req.raw));
      if (!input.success) throw invalidInput(400, "invalid_enabled", input.error);
      return c.json(await rainwave.setEnabled(input.data.enabled));
    })
    .post("/station", async (c) => {
      const input = RainwaveSetStation.safeParse(await jsonBody(c.req.raw));
      if (!input.success) throw invalidInput(400, "invalid_station", input.error);
      return c.json(await rainwave.setStation(input.data.station));
    });
}
