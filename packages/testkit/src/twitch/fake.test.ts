/** The whole fake Twitch on one server: a revoked grant seen from every protocol, and its controls. */
import { afterEach, describe, expect, test } from "bun:test";
import { type FakeTwitch, startFakeTwitch } from "./fake";
import {
  CLIENT_ID,
  helix,
  oauthError,
  pollDevice,
  refresh,
  requestDevice,
  TokenAnswer,
  validate,
} from "./fake-client";

const WAIT_MS = 20_000;

interface Message {
  metadata: { message_type: string };
  payload: { session?: { id: string }; subscription?: { id: string; status: string } };
}

/** A WebSocket client that keeps every message and resolves waits on the message itself. */
function connect(url: string) {
  const ws = new WebSocket(url);
  const messages: Message[] = [];
  const waiters = new Set<() => void>();
  ws.onmessage = (event) => {
    messages.push(JSON.parse(String(event.data)) as Message);
    for (const waiter of waiters) waiter();
  };
  const next = (type: string, n = 1): Promise<Message> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = messages.filter((m) => m.metadata.message_type === type)[n - 1];
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${type} #${n}`));
      }, WAIT_MS);
      waiters.add(check);
      check();
    });
  return { ws, messages, next };
}

let twitch: FakeTwitch | null = null;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close();
  await twitch?.stop();
  twitch = null;
});

async function subscribed(server: FakeTwitch, token: string) {
  const client = connect(server.eventSubUrl);
  sockets.push(client.ws);
  const sessionId = (await client.next("session_welcome")).payload.session?.id ?? "";
  const created = await helix(server, "/eventsub/subscriptions", token, {
    method: "POST",
    body: {
      type: "channel.update",
      version: "2",
      condition: { broadcaster_user_id: server.user.id },
      transport: { method: "websocket", session_id: sessionId },
    },
  });
  return { client, sessionId, created };
}

describe("startFakeTwitch", () => {
  test("a revoked grant fails validate, Helix and refresh, and revokes its subscriptions", async () => {
    const server = startFakeTwitch({ clientId: CLIENT_ID });
    twitch = server;
    const device = await requestDevice(server);
    server.approveDevice(device.user_code);
    const tokens = TokenAnswer.parse(await (await pollDevice(server, device.device_code)).json());
    const { client, sessionId, created } = await subscribed(server, tokens.access_token);
    expect(created.status).toBe(202);
    const [subscription] = server.subscriptions(sessionId);

    server.revokeGrant();

    expect(await oauthError(await validate(server, tokens.access_token))).toEqual({
      status: 401,
      message: "invalid access token",
    });
    expect((await helix(server, "/users", tokens.access_token)).status).toBe(401);
    expect(await oauthError(await refresh(server, tokens.refresh_token))).toEqual({
      status: 400,
      message: "Invalid refresh token",
    });
    const revocation = await client.next("revocation");
    expect(revocation.payload.subscription).toMatchObject({
      id: subscription?.id,
      status: "authorization_revoked",
    });
    expect(server.subscriptions(sessionId)[0]?.status).toBe("authorization_revoked");
  });

  test("revokeGrant({subscriptions: false}) leaves the subscriptions enabled", async () => {
    const server = startFakeTwitch({ clientId: CLIENT_ID });
    twitch = server;
    const { sessionId, created } = await subscribed(server, server.issueToken().access_token);
    expect(created.status).toBe(202);
    server.revokeGrant({ subscriptions: false });
    expect(server.subscriptions(sessionId).map((sub) => sub.status)).toEqual(["enabled"]);
  });

  test("creating a subscription needs a token the fake issued", async () => {
    const server = startFakeTwitch({ clientId: CLIENT_ID });
    twitch = server;
    const { sessionId, created } = await subscribed(server, "made-up");
    expect(created.status).toBe(401);
    expect(server.subscriptions(sessionId)).toEqual([]);
  });

  test("the request log keeps method, path and time, without id-service query strings", async () => {
    const server = startFakeTwitch({ clientId: CLIENT_ID });
    twitch = server;
    const token = server.issueToken().access_token;
    const before = Date.now();
    await helix(server, `/channels?broadcaster_id=${server.user.id}`, token);
    await validate(server, token);
    await fetch(`${server.authUrl}/validate?token=secret`);
    expect(server.requests()).toEqual([
      {
        method: "GET",
        path: `/helix/channels?broadcaster_id=${server.user.id}`,
        at: expect.any(Number),
      },
      { method: "GET", path: "/oauth2/validate", at: expect.any(Number) },
      { method: "GET", path: "/oauth2/validate", at: expect.any(Number) },
    ]);
    expect(server.requests()[0]?.at).toBeGreaterThanOrEqual(before);
  });

  test("stop() closes the sockets and frees the port", async () => {
    const server = startFakeTwitch({ clientId: CLIENT_ID });
    const client = connect(server.eventSubUrl);
    await client.next("session_welcome");
    const closed = new Promise<number>((resolve) => {
      client.ws.onclose = (event) => resolve(event.code);
    });
    await server.stop();
    expect(await closed).toBeNumber();
    await expect(fetch(`${server.authUrl}/validate`)).rejects.toThrow();
  });
});
