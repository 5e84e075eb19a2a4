/**
 * `GET /api/health`: the database, the event pipeline and the sockets, in one `HubHealth`.
 * `GET /api/health/quarantine`: the events the database refused while the spool drained.
 */
import type { HubHealth, QuarantineList } from "@landale/shared";
import { Hono } from "hono";
import type { Quarantine } from "../events/quarantine";

export function healthRoutes(health: () => HubHealth, quarantine: Quarantine): Hono {
  return new Hono()
    .get("/", (c) => c.json(health()))
    .get("/quarantine", (c) =>
      c.json({ total: quarantine.count, events: quarantine.recent() } satisfies QuarantineList),
    );
}
