/**
 * The hub's HTTP surface (Hono): liveness and readiness now; the API, overlays and dashboard are
 * mounted here by feature as they arrive. One `onError` turns every error into the error body.
 */
import type { Logger } from "@landale/logger";
import { Hono } from "hono";
import { errorResponse, HttpError } from "./errors";

export interface HttpAppOptions {
  logger: Logger;
  /** Where the hub is in its life: only "ready" answers 200 on `/ready`. */
  lifecycle: () => Lifecycle;
}

export type Lifecycle = "starting" | "ready" | "stopping";

export function createHttpApp({ logger, lifecycle }: HttpAppOptions): Hono {
  const app = new Hono();

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", (c) => {
    const status = lifecycle();
    return c.json({ status }, status === "ready" ? 200 : 503);
  });

  app.notFound((c) =>
    errorResponse(c, new HttpError(404, "not_found", `no route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((err, c) => {
    if (err instanceof HttpError) return errorResponse(c, err);
    logger.error({ err, path: c.req.path }, "request failed");
    return errorResponse(c, new HttpError(500, "internal", "internal server error"));
  });
  return app;
}
