/**
 * Who may connect, and with which scope. With no `LANDALE_TOKEN` the hub is loopback-only and
 * everyone has the control scope; with one, a socket or request must present the control token
 * or the overlay token. Origins are checked against the hub's own and an allow-list.
 */
import { timingSafeEqual } from "node:crypto";

export type Scope = "overlay" | "control" | "worker";

export interface Principal {
  scope: Scope;
}

export interface AuthOptions {
  token: string | null;
  overlayToken: string | null;
  allowedOrigins: string[];
}

/** The principal a token stands for, or null when it stands for none. */
export function authenticateToken(options: AuthOptions, token: string | null): Principal | null {
  if (options.token === null) return { scope: "control" };
  if (token === null) return null;
  if (sameSecret(token, options.token)) return { scope: "control" };
  if (options.overlayToken !== null && sameSecret(token, options.overlayToken)) {
    return { scope: "overlay" };
  }
  return null;
}

/**
 * Clients without an Origin (OBS, workers, scripts) and pages served by the hub itself may connect;
 * other browser pages only from an allowed origin.
 */
export function isAllowedOrigin(
  options: AuthOptions,
  origin: string | null,
  request: Request,
): boolean {
  if (origin === null) return true;
  if (options.allowedOrigins.includes("*") || options.allowedOrigins.includes(origin)) return true;
  const host = request.headers.get("host");
  return host !== null && (origin === `http://${host}` || origin === `https://${host}`);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
