/**
 * `POST /api/events`: one event or an array, all or nothing. Answers 202 `{accepted: [{id, seq}]}`
 * once the events are committed; the body is at most 1 MB and `x-correlation-id` is carried along.
 */
import { CorrelationId, MAX_BODY_BYTES } from "@landale/shared";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors";
import type { Ingest } from "../events/ingest";

export function eventRoutes(ingest: Ingest): Hono {
  const routes = new Hono();
  routes.post(
    "/",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        const err = new AppError(413, "body_too_large", `the body exceeds ${MAX_BODY_BYTES} bytes`);
        // The rest of the body is never read, so the connection cannot be reused.
        return c.json(err.body(), err.status, { connection: "close" });
      },
    }),
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new AppError(400, "invalid_json", "the body is not valid JSON");
      }
      const accepted = await ingest(body, {
        source: "api",
        correlationId: correlationIdOf(c.req.header("x-correlation-id")),
      });
      return c.json({ accepted }, 202);
    },
  );
  return routes;
}

/** The caller's correlation id when it is a valid one, else a new one. */
export function correlationIdOf(header: string | undefined): string {
  return header !== undefined && CorrelationId.safeParse(header).success
    ? header
    : Bun.randomUUIDv7();
}
