/** The fake EventSub WebSocket server and subscriptions endpoint, driven by a plain WebSocket client. */
import { afterEach, describe, expect, test } from "bun:test";
import { z } from "zod";
import {
  EVENTSUB_CLOSE,
  type FakeEventSub,
  type FakeEventSubOptions,
  type FakeSubscription,
  startFakeEventSub,
} from "./eventsub";

/** Twitch's documented message shapes, strictly: an extra or missing field fails the test. */
const Session = z.strictObject({
  id: z.string().min(1),
  status: z.enum(["connected", "reconnecting"]),
  connected_at: z.string(),
  keepalive_timeout_seconds: z.number().int().nullable(),
  reconnect_url: z.string().nullable(),
});
const Subscription = z.strictObject({
  id: z.string().min(1),
  status: z.string(),
  type: z.string(),
  version: z.string(),
  condition: z.record(z.string(), z.string()),
  created_at: z.string(),
  transport: z.strictObject({
    method: z.literal("websocket"),
    session_id: z.string(),
    connected_at: z.string(),
  }),
  cost: z.number().int(),
});
const Message = z.strictObject({
  metadata: z.strictObject({
    message_id: z.string().min(1),
    message_type: z.enum([
      "session_welcome",
      "session_keepalive",
      "session_reconnect",
      "notification",
      "revocation",
    ]),
    message_timestamp: z.string(),
    subscription_type: z.string().optional(),
    subscription_version: z.string().optional(),
  }),
  payload: z.strictObject({
    session: Session.optional(),
    subscription: Subscription.optional(),
    event: z.record(z.string(), z.unknown()).optional(),
  }),
});
type Message = z.infer<typeof Message>;

function sessionOf(message: Message): z.infer<typeof Session> {
  if (!message.payload.session)
    throw new Error(`${message.metadata.message_type} without a session`);
  return message.payload.session;
}

function reconnectUrlOf(message: Message): string {
  const url = sessionOf(message).reconnect_url;
  if (url === null) throw new Error("no reconnect_url");
  return url;
}

interface Listing {
  data: FakeSubscription[];
  total: number;
  total_cost: number;
  max_total_cost: number;
}

interface HelixError {
  error: string;
  status: number;
  message: string;
}

const WAIT_MS = 20_000;

/** A WebSocket client that keeps every message and the close code, and can wait on either. */
class Client {
  readonly messages: Message[] = [];
  closeCode: number | null = null;
  /** The first message that did not match Twitch's documented shape; fails every wait. */
  malformed: Error | null = null;
  private readonly waiters = new Set<() => void>();
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.onmessage = (event) => {
      const parsed = Message.safeParse(JSON.parse(String(event.data)));
      if (parsed.success) this.messages.push(parsed.data);
      else this.malformed ??= new Error(`malformed message: ${z.prettifyError(parsed.error)}`);
      this.wake();
    };
    this.ws.onclose = (event) => {
      this.closeCode = event.code;
      this.wake();
    };
  }

  private wake() {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves once `ready()` holds, re-checked on every message and on close. */
  until<T>(ready: () => T | undefined | false, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.malformed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(this.malformed);
          return;
        }
        const value = ready();
        if (value !== undefined && value !== false) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, WAIT_MS);
      this.waiters.add(check);
      check();
    });
  }

  ofType(type: string): Message[] {
    return this.messages.filter((message) => message.metadata.message_type === type);
  }

  nth(type: string, n: number): Promise<Message> {
    return this.until(() => this.ofType(type)[n - 1], `${type} #${n}`);
  }

  closed(): Promise<number> {
    return this.until(() => this.closeCode ?? undefined, "close");
  }

  close() {
    this.ws.close();
  }
}

let fake: FakeEventSub | null = null;
const clients: Client[] = [];

function start(options: FakeEventSubOptions = {}): FakeEventSub {
  fake = startFakeEventSub(options);
  return fake;
}

function connect(url: string): Client {
  const client = new Client(url);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await fake?.stop();
  fake = null;
});

const AUTH = { Authorization: "Bearer token-1", "Client-Id": "client-1" };

async function subscribe(
  server: FakeEventSub,
  sessionId: string,
  type = "channel.follow",
  version = "2",
  headers: Record<string, string> = AUTH,
): Promise<Response> {
  return fetch(`${server.apiUrl}/eventsub/subscriptions`, {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({
      type,
      version,
      condition: { broadcaster_user_id: "1337", moderator_user_id: "1337" },
      transport: { method: "websocket", session_id: sessionId },
    }),
  });
}

async function welcomed(
  server: FakeEventSub,
  url = server.url,
): Promise<{ client: Client; sessionId: string }> {
  const client = connect(url);
  const welcome = await client.nth("session_welcome", 1);
  return { client, sessionId: sessionOf(welcome).id };
}

const FOLLOW = {
  user_id: "1234",
  user_login: "cool_user",
  user_name: "Cool_User",
  broadcaster_user_id: "1337",
  broadcaster_user_login: "cooler_user",
  broadcaster_user_name: "Cooler_User",
  followed_at: "2020-07-15T18:16:11.17106713Z",
};

describe("fake EventSub WebSocket", () => {
  test("the welcome carries the session id and keepalive_timeout_seconds", async () => {
    const server = start({ keepaliveSeconds: 30 });
    const client = connect(server.url);
    const welcome = await client.nth("session_welcome", 1);
    expect(welcome.metadata.message_type).toBe("session_welcome");
    expect(welcome.metadata.message_id).toBeString();
    expect(welcome.metadata.message_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(welcome.payload.session).toEqual({
      id: expect.any(String),
      status: "connected",
      connected_at: expect.any(String),
      keepalive_timeout_seconds: 30,
      reconnect_url: null,
    });
    expect(server.sessions().map((session) => session.id)).toEqual([sessionOf(welcome).id]);
  });

  test("a subscription created over HTTP receives notify() as a notification", async () => {
    const server = start();
    const { client, sessionId } = await welcomed(server);
    const response = await subscribe(server, sessionId);
    expect(response.status).toBe(202);
    const body = (await response.json()) as Listing;
    expect(body).toMatchObject({ total: 1, total_cost: 0, max_total_cost: 10 });
    const [subscription] = body.data;
    expect(subscription).toMatchObject({
      id: expect.any(String),
      status: "enabled",
      type: "channel.follow",
      version: "2",
      condition: { broadcaster_user_id: "1337", moderator_user_id: "1337" },
      transport: { method: "websocket", session_id: sessionId },
      cost: 0,
    });
    if (!subscription) throw new Error("no subscription");
    expect(server.subscriptions(sessionId)).toEqual([subscription]);

    const messageId = server.notify("channel.follow", FOLLOW);
    const notification = await client.nth("notification", 1);
    expect(notification.metadata).toEqual({
      message_id: messageId,
      message_type: "notification",
      message_timestamp: expect.any(String),
      subscription_type: "channel.follow",
      subscription_version: "2",
    });
    expect(notification.payload).toEqual({ subscription, event: FOLLOW });
    expect(server.notify("channel.follow", FOLLOW)).not.toBe(messageId);
    await client.nth("notification", 2);
  });

  test("keepalives arrive when nothing else is sent", async () => {
    const server = start({ keepaliveSeconds: 1 });
    const { client, sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    const keepalive = await client.nth("session_keepalive", 2);
    expect(keepalive.metadata).toEqual({
      message_id: expect.any(String),
      message_type: "session_keepalive",
      message_timestamp: expect.any(String),
    });
    expect(keepalive.payload).toEqual({});
  });

  test("a keepalive_timeout_seconds query is clamped to Twitch's 10–600", async () => {
    const server = start();
    const low = connect(`${server.url}?keepalive_timeout_seconds=2`);
    const high = connect(`${server.url}?keepalive_timeout_seconds=900`);
    expect((await low.nth("session_welcome", 1)).payload.session?.keepalive_timeout_seconds).toBe(
      10,
    );
    expect((await high.nth("session_welcome", 1)).payload.session?.keepalive_timeout_seconds).toBe(
      600,
    );
  });

  test("session_reconnect moves the subscriptions and loses or duplicates no notification", async () => {
    const server = start();
    const { client: old, sessionId: oldId } = await welcomed(server);
    expect((await subscribe(server, oldId)).status).toBe(202);
    const [subscription] = server.subscriptions(oldId);
    if (!subscription) throw new Error("no subscription");
    const sent: string[] = [];
    for (let i = 0; i < 100; i++)
      sent.push(server.notify("channel.follow", { ...FOLLOW, user_id: String(i) }));

    const reconnectUrl = server.reconnect();
    const reconnect = await old.nth("session_reconnect", 1);
    expect(reconnect.payload.session).toEqual({
      id: oldId,
      status: "reconnecting",
      connected_at: expect.any(String),
      keepalive_timeout_seconds: null,
      reconnect_url: reconnectUrl,
    });
    // Before the client follows the reconnect_url, notifications still go to the old connection.
    for (let i = 100; i < 150; i++)
      sent.push(server.notify("channel.follow", { ...FOLLOW, user_id: String(i) }));

    const { client: next, sessionId: newId } = await welcomed(server, reconnectUrlOf(reconnect));
    expect(newId).not.toBe(oldId);
    expect(server.subscriptions(newId)).toEqual([
      {
        ...subscription,
        transport: { method: "websocket", session_id: newId, connected_at: expect.any(String) },
      },
    ]);
    for (let i = 150; i < 200; i++)
      sent.push(server.notify("channel.follow", { ...FOLLOW, user_id: String(i) }));

    expect(await old.closed()).toBe(1000);
    await next.nth("notification", 50);
    const received = [...old.ofType("notification"), ...next.ofType("notification")];
    expect(received.map((message) => message.metadata.message_id).sort()).toEqual([...sent].sort());
    expect(new Set(received.map((message) => message.payload.event?.user_id)).size).toBe(200);
    expect(server.sessions().find((session) => session.id === oldId)?.status).toBe("closed");
  });

  test("a reconnect_url used twice is closed with 4007", async () => {
    const server = start();
    const { client: old, sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    server.reconnect();
    const url = reconnectUrlOf(await old.nth("session_reconnect", 1));
    await welcomed(server, url);
    expect(await connect(url).closed()).toBe(EVENTSUB_CLOSE.invalidReconnect);
  });

  test("the old connection is closed with 4004 when the client never follows the reconnect_url", async () => {
    const server = start({ reconnectGraceSeconds: 0.2 });
    const { client, sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    server.reconnect();
    expect(await client.closed()).toBe(EVENTSUB_CLOSE.reconnectGraceExpired);
    expect(server.subscriptions(sessionId)[0]?.status).toBe("websocket_disconnected");
  });

  test("a connection without a subscription is closed with 4003", async () => {
    const server = start({ unusedSeconds: 0.2 });
    const { client } = await welcomed(server);
    expect(await client.closed()).toBe(EVENTSUB_CLOSE.connectionUnused);
  });

  test("a message from the client closes the connection with 4001", async () => {
    const server = start();
    const { client } = await welcomed(server);
    client.ws.send("hello");
    expect(await client.closed()).toBe(EVENTSUB_CLOSE.clientSentInbound);
  });

  test("revoke() sends the revocation with the subscription's new status", async () => {
    const server = start();
    const { client, sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    const [subscription] = server.subscriptions(sessionId);
    if (!subscription) throw new Error("no subscription");
    server.revoke(subscription.id, "authorization_revoked");
    const revocation = await client.nth("revocation", 1);
    expect(revocation.metadata).toEqual({
      message_id: expect.any(String),
      message_type: "revocation",
      message_timestamp: expect.any(String),
      subscription_type: "channel.follow",
      subscription_version: "2",
    });
    expect(revocation.payload).toEqual({
      subscription: { ...subscription, status: "authorization_revoked" },
    });
    expect(() => server.notify("channel.follow", FOLLOW)).toThrow();
  });

  test("disconnect() closes with the given code and disables the session's subscriptions", async () => {
    const server = start();
    const { client, sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    server.disconnect(sessionId, EVENTSUB_CLOSE.networkError, "network error");
    expect(await client.closed()).toBe(EVENTSUB_CLOSE.networkError);
    expect(server.subscriptions(sessionId)[0]?.status).toBe("websocket_disconnected");
  });
  test("notify() resends under a used message id; sendRaw() sends a frame as it is", async () => {
    const server = start();
    const { client, sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    const first = server.notify("channel.follow", FOLLOW);
    expect(server.notify("channel.follow", FOLLOW, { messageId: first })).toBe(first);
    const [one, two] = [await client.nth("notification", 1), await client.nth("notification", 2)];
    expect([one.metadata.message_id, two.metadata.message_id]).toEqual([first, first]);
    const raw: string[] = [];
    client.ws.addEventListener("message", (event) => raw.push(String(event.data)));
    server.sendRaw(sessionId, JSON.stringify({ metadata: one.metadata, payload: one.payload }));
    await client.nth("notification", 3);
    expect(raw).toHaveLength(1);
  });

  test("with closeReplacedSession false the old connection is left for the client to close", async () => {
    const server = start({ closeReplacedSession: false, reconnectGraceSeconds: 0.2 });
    const { client: old, sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    server.reconnect();
    const { sessionId: newId } = await welcomed(
      server,
      reconnectUrlOf(await old.nth("session_reconnect", 1)),
    );
    expect(server.subscriptions(newId)).toHaveLength(1);
    // Not closed by the server on the switch: only the grace time ends it, with 4004.
    expect(await old.closed()).toBe(EVENTSUB_CLOSE.reconnectGraceExpired);
    expect(server.subscriptions(newId)[0]?.status).toBe("enabled");
  });
});

describe("fake Helix subscriptions endpoint", () => {
  test("answers 401 without a bearer token or Client-Id", async () => {
    const server = start();
    const { sessionId } = await welcomed(server);
    const noToken = await subscribe(server, sessionId, "channel.follow", "2", {
      "Client-Id": "client-1",
    });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: "Unauthorized", status: 401 });
    expect(
      (await subscribe(server, sessionId, "channel.follow", "2", { Authorization: "Bearer t" }))
        .status,
    ).toBe(401);
    expect((await fetch(`${server.apiUrl}/eventsub/subscriptions`)).status).toBe(401);
    expect(server.subscriptions()).toEqual([]);
  });

  test("refuses a token other than the configured one", async () => {
    const server = start({ accessToken: "right", clientId: "client-1" });
    const { sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId)).status).toBe(401);
    const headers = { Authorization: "Bearer right", "Client-Id": "client-1" };
    expect((await subscribe(server, sessionId, "channel.follow", "2", headers)).status).toBe(202);
  });

  test("answers 400 for an unknown session or a malformed body, 409 for a duplicate", async () => {
    const server = start();
    const { sessionId } = await welcomed(server);
    const unknown = await subscribe(server, "no-such-session");
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as HelixError).message).toContain("session");
    const malformed = await fetch(`${server.apiUrl}/eventsub/subscriptions`, {
      method: "POST",
      headers: AUTH,
      body: JSON.stringify({ type: "channel.follow" }),
    });
    expect(malformed.status).toBe(400);
    expect((await subscribe(server, sessionId)).status).toBe(202);
    expect((await subscribe(server, sessionId)).status).toBe(409);
  });

  test("lists and deletes subscriptions", async () => {
    const server = start();
    const { sessionId } = await welcomed(server);
    expect((await subscribe(server, sessionId, "stream.online", "1")).status).toBe(202);
    expect((await subscribe(server, sessionId, "stream.offline", "1")).status).toBe(202);
    const url = `${server.apiUrl}/eventsub/subscriptions`;
    const listed = (await (
      await fetch(`${url}?type=stream.online`, { headers: AUTH })
    ).json()) as Listing;
    expect(listed.data.map((sub) => sub.type)).toEqual(["stream.online"]);
    expect(listed.total).toBe(2);
    const id = listed.data[0]?.id;
    expect((await fetch(`${url}?id=${id}`, { method: "DELETE", headers: AUTH })).status).toBe(204);
    expect((await fetch(`${url}?id=${id}`, { method: "DELETE", headers: AUTH })).status).toBe(404);
    expect(server.subscriptions().map((sub) => sub.type)).toEqual(["stream.offline"]);
  });
});
