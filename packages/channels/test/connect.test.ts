/** The handshake: vsn negotiation, origin check, authentication, subprotocols, and idle sockets. */
import { describe, expect, it } from "bun:test";
import { handshake, RawClient, replyOf, useHarness } from "./support";

const h = useHarness();

/** The `authToken` subprotocol as Phoenix 1.8's client builds it, in base64url. */
function authTokenProtocol(token: string): string {
  return `base64url.bearer.phx.${Buffer.from(token).toString("base64url")}`;
}

const authenticate = ({ token }: { token: string | null }) =>
  token === "good" || token === "???>>>" ? { user: "streamer", token } : null;

describe("the handshake", () => {
  it("refuses an unsupported vsn with HTTP 403", async () => {
    const server = h.server();

    const response = await handshake(server.url("3.0.0"));
    const attempt = RawClient.connect(server.url("3.0.0"));

    expect(response.status).toBe(403);
    expect(await response.text()).toContain("3.0.0");
    await expect(attempt).rejects.toThrow("403");
    expect(server.channels.stats().connections).toBe(0);
  });

  it("answers a request that is no WebSocket upgrade with HTTP 400", async () => {
    const server = h.server();

    const response = await fetch(server.url("2.0.0").replace(/^ws/, "http"));

    expect(response.status).toBe(400);
  });

  it("refuses an origin the checkOrigin hook rejects with HTTP 403", async () => {
    const seen: (string | null)[] = [];
    const server = h.server({
      checkOrigin: (origin) => {
        seen.push(origin);
        return origin === "https://overlay.example";
      },
    });

    const refused = await handshake(server.url("2.0.0"), { Origin: "https://evil.example" });
    const allowed = await h.raw(server.url("2.0.0"), {
      headers: { Origin: "https://overlay.example" },
    });

    expect(refused.status).toBe(403);
    expect(seen).toEqual(["https://evil.example", "https://overlay.example"]);
    expect(replyOf(await allowed.join("room:lobby")).status).toBe("ok");
  });

  it("hands authenticate the ?token= param, and the channels what it returned", async () => {
    const server = h.server({ authenticate });
    const client = await h.raw(server.url("2.0.0", { token: "good", scene: "intro" }));
    await client.join("room:lobby");

    const whoami = await client.request("room:lobby", "whoami");

    expect(replyOf(whoami).response).toEqual({
      assigns: { user: "streamer", token: "good" },
      params: { scene: "intro" },
    });
  });

  it("hands authenticate the upgrade request, headers and all", async () => {
    const server = h.server({
      authenticate: ({ request }) => ({ app: request.headers.get("x-application") }),
    });
    const client = await h.raw(server.url("2.0.0"), { headers: { "X-Application": "Landale" } });
    await client.join("room:lobby");

    const whoami = await client.request("room:lobby", "whoami");

    expect(replyOf(whoami).response).toMatchObject({ assigns: { app: "Landale" } });
  });

  it("refuses a connection authenticate rejects with HTTP 403", async () => {
    const server = h.server({ authenticate });

    const wrong = await handshake(server.url("2.0.0", { token: "bad" }));
    const missing = await handshake(server.url("2.0.0"));
    const attempt = RawClient.connect(server.url("2.0.0", { token: "bad" }));

    expect([wrong.status, missing.status]).toEqual([403, 403]);
    await expect(attempt).rejects.toThrow("403");
  });

  it("takes the token from the authToken subprotocol and answers with the phoenix subprotocol", async () => {
    const server = h.server({ authenticate });
    // Offered first, the token would be what Bun echoes unless the server picks "phoenix".
    const client = await h.raw(server.url("2.0.0"), {
      protocols: [authTokenProtocol("???>>>"), "phoenix"],
    });
    await client.join("room:lobby");

    const whoami = await client.request("room:lobby", "whoami");

    expect(client.ws.protocol).toBe("phoenix");
    expect(replyOf(whoami).response).toMatchObject({ assigns: { token: "???>>>" } });
  });

  it("refuses an authToken subprotocol authenticate rejects with HTTP 403", async () => {
    const server = h.server({ authenticate });

    const response = await handshake(server.url("2.0.0"), {
      "Sec-WebSocket-Protocol": `phoenix, ${authTokenProtocol("bad")}`,
    });

    expect(response.status).toBe(403);
  });
});

describe("idle sockets", () => {
  const idleTimeoutMs = 300;

  it("are closed when they send nothing for idleTimeoutMs", async () => {
    const server = h.server({ idleTimeoutMs });
    const silent = await h.raw(server.url("2.0.0"));

    const closed = await silent.closedByServer();

    expect(closed).toEqual({ code: 1000, reason: "idle timeout" });
    expect(server.channels.stats().connections).toBe(0);
  });

  it("stay open past idleTimeoutMs while they heartbeat", async () => {
    const server = h.server({ idleTimeoutMs });
    const beating = await h.raw(server.url("2.0.0"));
    const beat = setInterval(() => beating.heartbeat().catch(() => {}), idleTimeoutMs / 3);
    try {
      // Two silent sockets opened one after the other each live at least idleTimeoutMs, so once
      // the second is closed the heartbeating one has outlived the timeout twice over.
      const first = await h.raw(server.url("2.0.0"));
      await first.closedByServer();
      const second = await h.raw(server.url("2.0.0"));
      await second.closedByServer();

      expect(beating.isOpen).toBe(true);
      expect(replyOf(await beating.heartbeat()).status).toBe("ok");
      expect(server.channels.stats().connections).toBe(1);
    } finally {
      clearInterval(beat);
    }
  });
});
