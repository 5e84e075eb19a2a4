/**
 * `POST /api/events`: one event or an array, all or nothing. Answers 202 `{accepted: [{id, seq}]}`
 * once the events are committed; `x-correlation-id` is carried along. (Bodies over 1 MB are
 * refused for all of `/api` in `app.ts`.)
 */
import { CorrelationId } from "@landale/shared";
import { Hono } from "hono";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";

export function eventRoutes(ingest: Ingest): Hono {
  const routes = new Hono();
  routes.post("/", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError(400, "invalid_json", "the body is not valid JSON");
    }
    const correlationId = correlationIdOf(c.req.header("x-correlation-id"));
    const accepted = await ingest(body, { source: "api", correlationId });
    return c.json({ accepted }, 202);
  });
  return routes;
}

/** The caller's correlation id when it is a valid one, else a new one. */
export function correlationIdOf(header: string | undefined): string {
  return header !== undefined && CorrelationId.safeParse(header).success
    ? header
    : Bun.randomUUIDv7();
}
