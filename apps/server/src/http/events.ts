/**
 * `POST /api/events`: one event or an array, all or nothing. Answers 202 `{accepted: [{id, seq}]}`
 * once the events are committed; `x-correlation-id` is carried along. (Bodies over 1 MB are
 * refused for all of `/api` in `app.ts`.)
 */
import { CorrelationId } from "@landale/shared";
import { Hono } from "hono";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";

/** Requests being read, validated or waiting for their commit, at most. */
export const MAX_INGEST_REQUESTS = 256;

export interface IngestRequests {
  /** Requests refused because `MAX_INGEST_REQUESTS` were in flight. */
  refused(): number;
}

export function eventRoutes(
  ingest: Ingest,
  maxInFlight = MAX_INGEST_REQUESTS,
): Hono & IngestRequests {
  const routes = new Hono();
  let inFlight = 0;
  let refused = 0;
  routes.post("/", async (c) => {
    // Refused before the body is read: past the bound, a flood costs neither memory nor parsing
    // (the pending-events bound alone cannot tell when the event loop is too busy to get there).
    if (inFlight >= maxInFlight) {
      refused++;
      const err = new AppError(
        503,
        "backpressure",
        `${inFlight} ingest requests are in flight; retry shortly`,
      );
      return c.json(err.body(), err.status, { connection: "close", "retry-after": "1" });
    }
    inFlight++;
    try {
      return await accept(c.req.raw, c.req.header("x-correlation-id"));
    } finally {
      inFlight--;
    }
  });

  async function accept(
    request: Request,
    correlationHeader: string | undefined,
  ): Promise<Response> {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      throw new AppError(400, "invalid_json", "the body is not valid JSON");
    }
    const correlationId = correlationIdOf(correlationHeader);
    const accepted = await ingest(body, { source: "api", correlationId });
    return Response.json({ accepted }, { status: 202 });
  }

  return Object.assign(routes, { refused: () => refused });
}

/** The caller's correlation id when it is a valid one, else a new one. */
export function correlationIdOf(header: string | undefined): string {
  return header !== undefined && CorrelationId.safeParse(header).success
    ? header
    : Bun.randomUUIDv7();
}
