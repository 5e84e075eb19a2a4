/**
 * A bound on requests in flight on a route: past it a request is answered 503 `backpressure`
 * before its body is read, so a flood costs neither memory nor parsing (the pending-events bound
 * alone cannot tell when the event loop is too busy to get there).
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors";

export interface InFlightLimit extends MiddlewareHandler {
  /** Requests refused because the bound was reached. */
  refused(): number;
}

export function limitInFlight(max: number, what: string): InFlightLimit {
  let inFlight = 0;
  let refused = 0;
  const middleware: MiddlewareHandler = async (c, next) => {
    if (inFlight >= max) {
      refused++;
      const err = new AppError(
        503,
        "backpressure",
        `${inFlight} ${what} are in flight; retry shortly`,
      );
      return c.json(err.body(), err.status, { connection: "close", "retry-after": "1" });
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
  return Object.assign(middleware, { refused: () => refused });
}
