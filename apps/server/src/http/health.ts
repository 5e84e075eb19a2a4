/** `GET /api/health`: the database, the event pipeline and the sockets, in one `HubHealth`. */
import type { HubHealth } from "@landale/shared";
import { Hono } from "hono";

export function healthRoutes(health: () => HubHealth): Hono {
  return new Hono().get("/", (c) => c.json(health()));
}
