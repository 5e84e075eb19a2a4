/**
 * Which of OBS's browser sources show this hub's pages, by their `settings.url`: the hub's own
 * address (a loopback name or the bind address, at the hub's port), or one of its allowed host
 * names at any port (a Tailscale name is often served on 443 in front of the hub). A refresh
 * presses only those, never a source showing someone else's page.
 */
import { type AuthOptions, hostName, isAllowedHost, normalizeHostName } from "../auth";

export interface HubAddress extends Pick<AuthOptions, "host" | "allowedHosts"> {
  /** The port the hub listens on (the real one, when configured as 0). */
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443 };

export function servedByHub(url: unknown, hub: HubAddress): boolean {
  if (typeof url !== "string" || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  const defaultPort = DEFAULT_PORTS[parsed.protocol];
  if (defaultPort === undefined) return false;
  const name = hostName(parsed.host);
  if (name === null) return false;
  if (hub.allowedHosts.includes(normalizeHostName(name))) return true;
  const port = parsed.port === "" ? defaultPort : Number(parsed.port);
  return port === hub.port && isAllowedHost(hub, parsed.host);
}
