/**
 * Who may connect, and with which scope. With no `LANDALE_TOKEN` the hub is loopback-only and
 * everyone has the control scope; with one, a socket or request must present the control token
 * or the overlay token. The worker token (`LANDALE_WORKER_TOKEN`) always stands for the worker
 * scope — ingest, transcriptions, stream contexts and reads, no control — with or without a
 * control token. The Host header must name the hub (the DNS-rebinding defence), and a
 * browser page's Origin must be the hub's own or an allowed one.
 */
import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

export type Scope = "overlay" | "control" | "worker";

export interface Principal {
  scope: Scope;
}

export interface AuthOptions {
  token: string | null;
  overlayToken: string | null;
  /** Origins besides the hub's own that browser pages may call from; `*` any, `null` sandboxed pages. */
  allowedOrigins: string[];
  /** The bind address: the hub answers to it as a Host. */
  host: string;
  /** Host names besides loopback and the bind address (e.g. a Tailscale name), lowercased. */
  allowedHosts: string[];
  /** The workers' token; absent or null, no token has the worker scope. */
  workerToken?: string | null;
}

/** The principal a token stands for, or null when it stands for none. */
export function authenticateToken(options: AuthOptions, token: string | null): Principal | null {
  // First: a worker keeps its narrow scope on a tokenless hub too, where anyone else has control.
  if (token !== null && options.workerToken != null && sameSecret(token, options.workerToken)) {
    return { scope: "worker" };
  }
  if (options.token === null) return { scope: "control" };
  if (token === null) return null;
  if (sameSecret(token, options.token)) return { scope: "control" };
  if (options.overlayToken !== null && sameSecret(token, options.overlayToken)) {
    return { scope: "overlay" };
  }
  return null;
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "::1", "localhost"]);
const WILDCARD_ADDRESSES = new Set(["0.0.0.0", "::"]);
/** `name[:port]` or `[ipv6][:port]`: no user info, path or spaces ever reaches the name check. */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+))(?::\d{1,5})?$/i;

/** The name a Host header carries (lowercased, IPv6 without brackets), or null when malformed. */
export function hostName(header: string): string | null {
  const match = HOST_HEADER.exec(header);
  if (match === null) return null;
  return (match[1] ?? match[2] ?? "").toLowerCase();
}

/** A bind address or listed name as a Host header would carry it: lowercased, no brackets. */
export function normalizeHostName(name: string): string {
  return name.toLowerCase().replace(/^\[(.*)\]$/, "$1");
}

/**
 * Whether the Host header names this hub: a loopback name, the bind address or an allowed name,
 * any port. A hub bound to every address also answers to any IP literal (the machine's addresses
 * come and go; a DNS-rebinding page always sends its own domain name, never an IP).
 */
export function isAllowedHost(
  options: Pick<AuthOptions, "host" | "allowedHosts">,
  header: string | null,
): boolean {
  if (header === null) return false;
  const name = hostName(header);
  if (name === null) return false;
  const bind = normalizeHostName(options.host);
  if (LOOPBACK_NAMES.has(name) || name === bind || options.allowedHosts.includes(name)) return true;
  return WILDCARD_ADDRESSES.has(bind) && isIP(name) !== 0;
}

/**
 * Clients without an Origin (OBS pages load from the hub itself, and workers, scripts and curl send
 * none) and pages served by the hub itself may call; other pages only from an allowed origin.
 * `null` (sandboxed frames, `file:` pages) only when listed as such: `*` does not cover it.
 */
export function isAllowedOrigin(
  options: AuthOptions,
  origin: string | null,
  request: Request,
): boolean {
  if (origin === null) return true;
  if (origin === "null") return options.allowedOrigins.includes("null");
  if (options.allowedOrigins.includes("*") || options.allowedOrigins.includes(origin)) return true;
  return isOwnOrigin(options, origin, request.headers.get("host"));
}

/** The hub's own origin comes from the Host header only once that names the hub. */
function isOwnOrigin(options: AuthOptions, origin: string, host: string | null): boolean {
  if (host === null || !isAllowedHost(options, host)) return false;
  try {
    const page = new URL(origin);
    if (page.protocol !== "http:" && page.protocol !== "https:") return false;
    // Through `URL` both sides drop a default port and lowercase the name alike.
    return page.origin === origin && page.host === new URL(`${page.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
