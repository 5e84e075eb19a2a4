/**
 * `POST /api/events`: one event or an array, all or nothing. Answers 202 `{accepted: [{id, seq}]}`
 * once the events are committed; `x-correlation-id` is carried along. (Bodies over 1 MB are
 * refused for all of `/api` in `app.ts`.)
 */
import { CorrelationId } from "@landale/shared";
import { Hono } from "hono";
import type { Ingest } from "../events/ingest";
import { jsonBody } from "./body";
import { type InFlightLimit, limitInFlight } from "./in-flight";

/** Requests being read, validated or waiting for their commit, at most. */
export const MAX_INGEST_REQUESTS = 256;

export function eventRoutes(
  ingest: Ingest,
  maxInFlight = MAX_INGEST_REQUESTS,
): Hono & Pick<InFlightLimit, "refused"> {
  const limit = limitInFlight(maxInFlight, "ingest requests");
  const routes = new Hono().post("/", limit, async (c) => {
    const body = await jsonBody(c.req.raw);
    const correlationId = correlationIdOf(c.req.header("x-correlation-id"));
    const accepted = await ingest(body, { source: "api", correlationId });
    return c.json({ accepted }, 202);
  });
  return Object.assign(routes, { refused: limit.refused });
}

/** The caller's correlation id when it is a valid one, else a new one. */
export function correlationIdOf(header: string | undefined): string {
  return header !== undefined && CorrelationId.safeParse(header).success
    ? header
    : Bun.randomUUIDv7();
}
