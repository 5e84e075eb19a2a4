/**
 * Bounds on ingest requests in flight, checked before the body is read: past one a request is
 * answered 503 `backpressure` unread, so a flood costs neither memory nor parsing. One bounds
 * their number (the pending-events bound alone cannot tell when the event loop is too busy to get
 * there), the other their bytes (`events/admission.ts`).
 */
import { MAX_BODY_BYTES } from "@landale/shared";
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../errors";
import type { ByteAdmission } from "../events/admission";

export interface InFlightLimit extends MiddlewareHandler {
  /** Requests refused because the bound was reached. */
  refused(): number;
}

export const OVER_BUDGET_MESSAGE = "the hub holds too many bytes of events; retry shortly";

export function limitInFlight(max: number, what: string): InFlightLimit {
  let inFlight = 0;
  let refused = 0;
  const middleware: MiddlewareHandler = async (c, next) => {
    if (inFlight >= max) {
      refused++;
      return refuseUnread(c, `${inFlight} ${what} are in flight; retry shortly`);
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

/**
 * Reserves the request's declared size (`declaredBytes`) before its body is read, and releases it
 * when the request is answered. Refusals are counted by `admission`.
 */
export function admitByBytes(admission: ByteAdmission): MiddlewareHandler {
  return async (c, next) => {
    const reservation = admission.reserve(declaredBytes(c.req.header("content-length")));
    if (reservation === null) return refuseUnread(c, OVER_BUDGET_MESSAGE);
    try {
      await next();
    } finally {
      reservation.release();
    }
  };
}

/**
 * The body's size as declared; without a usable `Content-Length` (a chunked body), the most the
 * body limit in `app.ts` lets through.
 */
export function declaredBytes(contentLength: string | undefined): number {
  return contentLength !== undefined && /^\d{1,15}$/.test(contentLength)
    ? Number(contentLength)
    : MAX_BODY_BYTES;
}

/** 503 `backpressure` without reading the body. */
export function refuseUnread(c: Context, message: string): Response {
  const err = new AppError(503, "backpressure", message);
  // The body is never read, so the connection cannot be reused.
  return c.json(err.body(), err.status, { connection: "close", "retry-after": "1" });
}
