/**
 * What a page reads from its own URL: the hub's socket (same origin as the page, as the hub
 * serves it; `?hub=` points a page elsewhere during development), the token (`?token=`, passed
 * as the socket's `token` param) and debug mode (`?debug`).
 */

export interface PageConfig {
  /** The socket URL without `/websocket`, as `createClient` takes it. */
  socketUrl: string;
  params: Record<string, string>;
  debug: boolean;
}

export interface PageLocation {
  protocol: string;
  host: string;
  search: string;
}

const SOCKET_PATH = "/socket";

export function pageConfigFrom(location: PageLocation): PageConfig {
  const query = new URLSearchParams(location.search);
  const token = query.get("token");
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return {
    socketUrl: hubSocketUrl(query.get("hub")) ?? `${scheme}//${location.host}${SOCKET_PATH}`,
    params: token === null || token === "" ? {} : { token },
    debug: isOn(query.get("debug")),
  };
}

/** `?hub=` as a socket URL: `ws(s)://` or `http(s)://` host, with or without `/socket`. */
function hubSocketUrl(hub: string | null): string | null {
  if (hub === null || hub === "") return null;
  let url: URL;
  try {
    url = new URL(hub);
  } catch {
    return null;
  }
  const schemes: Record<string, string> = {
    "ws:": "ws:",
    "wss:": "wss:",
    "http:": "ws:",
    "https:": "wss:",
  };
  const scheme = schemes[url.protocol];
  if (scheme === undefined) return null;
  return `${scheme}//${url.host}${SOCKET_PATH}`;
}

/** `?debug`, `?debug=1`, `?debug=true` turn it on; `?debug=0` and `?debug=false` do not. */
function isOn(value: string | null): boolean {
  return value !== null && value !== "0" && value.toLowerCase() !== "false";
}
