/** The whole fake Twitch on one server: a revoked grant seen from every protocol, and its controls. */
import { afterEach, describe, expect, test } from "bun:test";
import { type FakeTwitch, startFakeTwitch } from "./fake";
import {
  CLIENT_ID,
  helix,
  oauthError,
  pollDevice,
  postForm,
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

/** A WebSocket session with a subscription of each of `types` created on it. */
async function subscribed(server: FakeTwitch, token: string, types = ["channel.update"]) {
  const client = connect(server.eventSubUrl);
  sockets.push(client.ws);
  const sessionId = (await client.next("session_welcome")).payload.session?.id ?? "";
  let created: Response | null = null;
  for (const type of types) {
    created = await helix(server, "/eventsub/subscriptions", token, {
      method: "POST",
      body: {
        type,
        version: type === "channel.update" ? "2" : "1",
        condition: { broadcaster_user_id: server.user.id },
        transport: { method: "websocket", session_id: sessionId },
      },
    });
  }
  return { client, sessionId, created: created as Response };
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

  test("the request log keeps method, path, time, credentials and what was sent", async () => {
    const server = startFakeTwitch({ clientId: CLIENT_ID });
    twitch = server;
    const token = server.issueToken().access_token;
    const before = Date.now();
    const channel = `/channels?broadcaster_id=${server.user.id}`;
    await helix(server, channel, token, { method: "PATCH", body: { title: "Logged" } });
    await validate(server, token);
    await postForm(`${server.authUrl}/revoke?client_id=${CLIENT_ID}`, { token });
    const sent = { at: expect.any(Number), clientId: null, body: null };
    expect(server.requests()).toEqual([
      {
        method: "PATCH",
        path: `/helix${channel}`,
        at: expect.any(Number),
        authorization: `Bearer ${token}`,
        clientId: CLIENT_ID,
        form: null,
        body: { title: "Logged" },
      },
      {
        ...sent,
        method: "GET",
        path: "/oauth2/validate",
        authorization: `OAuth ${token}`,
        form: {},
      },
      // An id-service query string is no part of the path: its fields are in the form.
      {
        ...sent,
        method: "POST",
        path: "/oauth2/revoke",
        authorization: null,
        form: { client_id: CLIENT_ID, token },
      },
    ]);
    expect(server.requests()[0]?.at).toBeGreaterThanOrEqual(before);
  });

  test("lists subscriptions a page at a time, following the cursor", async () => {
    const server = startFakeTwitch({ clientId: CLIENT_ID, subscriptionsPerPage: 2 });
    twitch = server;
    const token = server.issueToken().access_token;
    const { sessionId } = await subscribed(server, token, ["stream.online", "stream.offline"]);
    await subscribed(server, token, ["channel.update"]);
    const page = async (after?: string) => {
      const query = after === undefined ? "" : `?after=${after}`;
      const response = await helix(server, `/eventsub/subscriptions${query}`, token);
      return (await response.json()) as {
        data: { type: string }[];
        total: number;
        pagination: { cursor?: string };
      };
    };
    const first = await page();
    expect(first.data.map((sub) => sub.type)).toEqual(["stream.online", "stream.offline"]);
    expect(first.total).toBe(3);
    expect(first.pagination.cursor).toBeString();
    const second = await page(first.pagination.cursor);
    expect(second.data.map((sub) => sub.type)).toEqual(["channel.update"]);
    expect(second.pagination).toEqual({});
    expect(server.subscriptions(sessionId)).toHaveLength(2);
    const bad = await helix(server, "/eventsub/subscriptions?after=nonsense", token);
    expect(bad.status).toBe(400);
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
