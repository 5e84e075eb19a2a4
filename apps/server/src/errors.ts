/**
 * Typed errors with a `code` and the HTTP status they answer with. REST bodies and channel error
 * replies both carry `body()`, the one error shape `{code, message, details?}`; `invalidInput`
 * is the one way a schema's issues become such an error.
 */
import type { ErrorBody } from "@landale/shared";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

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

/** One thing wrong with an input: where (a dotted path, "" for the whole) and what. */
export interface Issue {
  path: string;
  message: string;
}

/** A zod error's issues with dotted paths. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/**
 * Input refused for what is wrong with it: the message names the first issue (and how many more
 * there are, after `prefix`), `details` lists them all.
 */
export function invalidInput(
  status: ContentfulStatusCode,
  code: string,
  issues: Issue[] | z.ZodError,
  prefix = "",
): AppError {
  const list = Array.isArray(issues) ? issues : issuesOf(issues);
  const [first] = list;
  const where = first === undefined || first.path === "" ? "" : `${first.path}: `;
  const more = list.length > 1 ? ` (and ${list.length - 1} more)` : "";
  return new AppError(status, code, `${prefix}${where}${first?.message ?? "invalid"}${more}`, list);
}
