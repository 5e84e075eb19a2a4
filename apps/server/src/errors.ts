/**
 * Typed errors with a `code` and the HTTP status they answer with. REST bodies and channel error
 * replies both carry `body()`, the one error shape `{code, message, details?}`.
 */
import type { ErrorBody } from "@landale/shared";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  body(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
