import { describe, expect, it } from "bun:test";
import {
  type AuthOptions,
  authenticateToken,
  hostName,
  isAllowedHost,
  isAllowedOrigin,
} from "./auth";

const options = (overrides: Partial<AuthOptions> = {}): AuthOptions => ({
  token: null,
  overlayToken: null,
  allowedOrigins: [],
  host: "127.0.0.1",
  allowedHosts: [],
  ...overrides,
});

const request = (host: string | null) =>
  new Request("http://127.0.0.1:7175/socket/websocket", {
    headers: host === null ? {} : { host },
  });

describe("authenticateToken", () => {
  it("gives everyone control without a token, and tells the two tokens apart with one", () => {
    expect(authenticateToken(options(), null)).toEqual({ scope: "control" });
    const tokens = options({ token: "control-0123456789", overlayToken: "overlay-0123456789" });
    expect(authenticateToken(tokens, null)).toBeNull();
    expect(authenticateToken(tokens, "control-0123456789")).toEqual({ scope: "control" });
    expect(authenticateToken(tokens, "overlay-0123456789")).toEqual({ scope: "overlay" });
    expect(authenticateToken(tokens, "control-012345678")).toBeNull();
  });

  it("gives the worker token the worker scope, on a tokenless hub too", () => {
    const worker = "worker-0123456789";
    const tokens = options({ token: "control-0123456789", workerToken: worker });
    expect(authenticateToken(tokens, worker)).toEqual({ scope: "worker" });
    expect(authenticateToken(tokens, `${worker}x`)).toBeNull();
    expect(authenticateToken(tokens, "control-0123456789")).toEqual({ scope: "control" });
    const open = options({ workerToken: worker });
    expect(authenticateToken(open, worker)).toEqual({ scope: "worker" });
    expect(authenticateToken(open, null)).toEqual({ scope: "control" });
  });
});

describe("hostName", () => {
  it.each([
    ["127.0.0.1:7175", "127.0.0.1"],
    ["LocalHost", "localhost"],
    ["[::1]:7175", "::1"],
    ["[::1]", "::1"],
    ["mybox.tailnet.ts.net:443", "mybox.tailnet.ts.net"],
  ])("reads %p as %p", (header, name) => {
    expect(hostName(header)).toBe(name);
  });

  it.each([
    "",
    "evil.example@127.0.0.1",
    "127.0.0.1:7175/path",
    "127.0.0.1 :7175",
    "::1",
    "[::1",
    "localhost:port",
    "local host",
  ])("refuses %p", (header) => {
    expect(hostName(header)).toBeNull();
  });
});

describe("isAllowedHost", () => {
  it("answers to loopback names and the bind address, with or without a port", () => {
    for (const host of ["127.0.0.1", "127.0.0.1:7175", "localhost:7175", "[::1]:7175", "[::1]"]) {
      expect(isAllowedHost(options(), host)).toBe(true);
    }
    expect(isAllowedHost(options({ host: "100.64.0.7" }), "100.64.0.7:7175")).toBe(true);
    expect(isAllowedHost(options({ host: "fd7a::7" }), "[FD7A::7]:7175")).toBe(true);
  });

  it("refuses any other name: a DNS-rebinding page sends its own", () => {
    expect(isAllowedHost(options(), "evil.example:7175")).toBe(false);
    expect(isAllowedHost(options(), "127.0.0.1.evil.example")).toBe(false);
    expect(isAllowedHost(options(), "localhost.evil.example:7175")).toBe(false);
    expect(isAllowedHost(options(), "192.168.1.5:7175")).toBe(false);
    expect(isAllowedHost(options(), null)).toBe(false);
  });

  it("answers to listed names in any case", () => {
    const listed = options({ allowedHosts: ["mybox.tailnet.ts.net"] });
    expect(isAllowedHost(listed, "MYBOX.tailnet.ts.net:7175")).toBe(true);
    expect(isAllowedHost(listed, "otherbox.tailnet.ts.net:7175")).toBe(false);
  });

  it("answers to any IP literal when bound to every address, but to no unlisted name", () => {
    for (const host of ["0.0.0.0", "::"]) {
      expect(isAllowedHost(options({ host }), "192.168.1.5:7175")).toBe(true);
      expect(isAllowedHost(options({ host }), "[fd7a::7]:7175")).toBe(true);
      expect(isAllowedHost(options({ host }), "evil.example:7175")).toBe(false);
    }
  });
});

describe("isAllowedOrigin", () => {
  it("admits clients without an Origin: OBS, workers, scripts", () => {
    expect(isAllowedOrigin(options(), null, request("127.0.0.1:7175"))).toBe(true);
  });

  it("admits the hub's own origin, as the Host header names it", () => {
    const own = request("127.0.0.1:7175");
    expect(isAllowedOrigin(options(), "http://127.0.0.1:7175", own)).toBe(true);
    expect(isAllowedOrigin(options(), "https://127.0.0.1:7175", own)).toBe(true);
    expect(isAllowedOrigin(options(), "http://127.0.0.1:7176", own)).toBe(false);
    expect(isAllowedOrigin(options(), "http://localhost:7175", own)).toBe(false);
    expect(isAllowedOrigin(options(), "http://localhost", request("localhost:80"))).toBe(true);
    expect(isAllowedOrigin(options(), "http://[::1]:7175", request("[::1]:7175"))).toBe(true);
  });

  it("never derives the hub's own origin from a Host header that does not name the hub", () => {
    const rebound = request("evil.example:7175");
    expect(isAllowedOrigin(options(), "http://evil.example:7175", rebound)).toBe(false);
    expect(isAllowedOrigin(options(), "http://127.0.0.1:7175", request(null))).toBe(false);
  });

  it("admits listed origins, and `null` only when listed itself", () => {
    const own = request("127.0.0.1:7175");
    const listed = options({ allowedOrigins: ["https://deck.example"] });
    expect(isAllowedOrigin(listed, "https://deck.example", own)).toBe(true);
    expect(isAllowedOrigin(listed, "https://evil.example", own)).toBe(false);
    expect(isAllowedOrigin(options({ allowedOrigins: ["*"] }), "https://any.example", own)).toBe(
      true,
    );
    expect(isAllowedOrigin(options({ allowedOrigins: ["*"] }), "null", own)).toBe(false);
    expect(isAllowedOrigin(options({ allowedOrigins: ["null"] }), "null", own)).toBe(true);
  });

  it("refuses origins that are not http(s) or not serialized as browsers send them", () => {
    const own = request("127.0.0.1:7175");
    expect(isAllowedOrigin(options(), "file://", own)).toBe(false);
    expect(isAllowedOrigin(options(), "http://127.0.0.1:7175/", own)).toBe(false);
    expect(isAllowedOrigin(options(), "not a url", own)).toBe(false);
  });
});
