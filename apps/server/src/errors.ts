/**
 * Typed HTTP errors. Each carries a `code` and a status; `onError` turns any of them into the one
 * error body `{code, message, details?}` and anything else into a 500 that reveals nothing.
 */
import type { ErrorBody } from "@landale/shared";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HttpError";
  }

  body(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function errorResponse(c: Context, err: HttpError): Response {
  return c.json(err.body(), err.status);
}
