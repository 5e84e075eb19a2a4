/**
 * The hub's HTTP surface (Hono): liveness and readiness, then the API by feature, each mounted with
 * `app.route()` behind the origin, token and content-type checks. An app built without its API is
 * the start-up app: API calls and socket upgrades answer 503 `starting`. A method a path does not
 * take answers 405 with `Allow`; one `onError` turns every error into the error body.
 */
import type { Logger } from "@landale/logger";
import { MAX_BODY_BYTES } from "@landale/shared";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AuthOptions } from "../auth";
import { AppError } from "../errors";
import { SOCKET_PATH } from "../server";
import { apiScopes, requireJsonWrites, requireOrigin, requireScope } from "./auth";

/** The methods routes are registered with, in the order `Allow` lists them. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

export type Lifecycle = "starting" | "ready" | "stopping";

export interface HttpAppOptions {
  logger: Logger;
  /** Where the hub is in its life: only "ready" answers 200 on `/ready`. */
  lifecycle: () => Lifecycle;
  auth: AuthOptions;
  /**
   * Feature routes mounted under `/api`, e.g. `{ "/events": eventRoutes }`. Without them the hub
   * is starting: `/api/*` and the socket path answer 503 `starting`.
   */
  api?: Record<string, Hono>;
  /** Built front-ends mounted at their path, e.g. `{ "/overlays": staticSite(…) }`; no token needed. */
  sites?: Record<string, Hono>;
}

export function createHttpApp({ logger, lifecycle, auth, api, sites = {} }: HttpAppOptions): Hono {
  const app = new Hono();
  if (api === undefined) app.use(startingUp());

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", (c) => {
    const status = lifecycle();
    return c.json({ status }, status === "ready" ? 200 : 503);
  });

  app.use("/api/*", requireOrigin(auth));
  app.use("/api/*", requireScope(auth, apiScopes));
  app.use(allowedMethods(app));
  app.use("/api/*", requireJsonWrites());
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        const err = new AppError(413, "body_too_large", `the body exceeds ${MAX_BODY_BYTES} bytes`);
        // The rest of the body is never read, so the connection cannot be reused.
        return c.json(err.body(), err.status, { connection: "close" });
      },
    }),
  );
  for (const [path, routes] of Object.entries(api ?? {})) app.route(`/api${path}`, routes);
  for (const [path, routes] of Object.entries(sites)) app.route(path, routes);

  app.notFound((c) => {
    const err = new AppError(404, "not_found", `no route for ${c.req.method} ${c.req.path}`);
    return c.json(err.body(), err.status);
  });
  app.onError((err, c) => {
    if (err instanceof AppError) {
      // A 503 is always worth retrying (starting, back-pressure, a full disk, shutting down).
      const headers: Record<string, string> = err.status === 503 ? { "retry-after": "1" } : {};
      return c.json(err.body(), err.status, headers);
    }
    logger.error({ err, path: c.req.path }, "request failed");
    const internal = new AppError(500, "internal", "internal server error");
    return c.json(internal.body(), internal.status);
  });
  return app;
}

/**
 * Before the database is ready, API calls and socket upgrades answer 503 `starting` (with
 * `retry-after`, from `onError`); pages are served from the first moment, as an OBS source loaded
 * during start-up would not retry a 404.
 */
function startingUp(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === SOCKET_PATH || c.req.path.startsWith("/api/")) {
      throw new AppError(503, "starting", "the hub is starting; retry shortly");
    }
    return next();
  };
}

/**
 * Answers 405 with `Allow` when no route takes the request's method but some take the path; a
 * path no route takes goes on to the 404. Reads the routes at request time, so it sees routes
 * registered after it.
 */
function allowedMethods(app: Hono): MiddlewareHandler {
  // Middleware is registered as "ALL"; only a route with a method of its own takes a request.
  // Hono answers HEAD with the GET route.
  const takes = (method: string, path: string) =>
    app.router
      .match(method === "HEAD" ? "GET" : method, path)[0]
      .some(([[, route]]) => route.method !== "ALL");
  return async (c, next) => {
    const path = c.req.path;
    if (takes(c.req.method, path)) return next();
    const allowed = METHODS.filter((method) => takes(method, path));
    if (allowed.length === 0) return next();
    const allow = allowed.join(", ");
    const err = new AppError(
      405,
      "method_not_allowed",
      `${c.req.method} is not allowed on ${path}; use ${allow}`,
    );
    return c.json(err.body(), err.status, { allow });
  };
}
