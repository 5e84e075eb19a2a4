/** Bearer-token checks for the API: the same tokens and scopes as sockets (`../auth`). */
import type { MiddlewareHandler } from "hono";
import { type AuthOptions, authenticateToken, type Scope } from "../auth";
import { AppError } from "../errors";

const BEARER = /^Bearer\s+(.+)$/i;

export function requireScope(auth: AuthOptions, scope: Scope): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = header === undefined ? null : (BEARER.exec(header)?.[1] ?? null);
    const principal = authenticateToken(auth, token);
    if (principal === null) {
      throw new AppError(
        401,
        "unauthorized",
        "send the control token as Authorization: Bearer <token>",
      );
    }
    if (principal.scope !== scope) {
      throw new AppError(
        403,
        "forbidden",
        `this needs the ${scope} scope; the token has ${principal.scope}`,
      );
    }
    await next();
  };
}
