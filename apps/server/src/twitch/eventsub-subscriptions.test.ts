import { describe, expect, onTestFinished, test } from "bun:test";
import { createLogger } from "@landale/logger";
import { type ScriptedAnswer, startFakeTwitch, startTcpProxy } from "@landale/testkit";
import { eventually, FOLLOW_SUB, planned } from "../../test/support/eventsub";
import { ManualScheduler } from "../../test/support/scheduler";
import { createSubscriptionBook, type PlannedSubscription } from "./eventsub-subscriptions";
import { createHelix } from "./helix";

const CLIENT_ID = "client-1";
const CREATE = "/helix/eventsub/subscriptions";
const ONLINE = planned("stream.online", "1", true);
const CHEER = planned("channel.cheer", "1", false);
const logger = createLogger({ name: "test", level: "silent" });
/** The first wait before trying again; it doubles. The clock is moved by it, never slept. */
const WAIT_MS = 1_000;
/** No jitter: each wait is the whole of its backoff step. */
const BACKOFF = { backoffBaseMs: WAIT_MS, backoffMaxMs: 60 * WAIT_MS, random: () => 1 };

const refusal = (status: number, error: string, message: string): ScriptedAnswer => ({
  status,
  body: { error, status, message },
});
const UNAVAILABLE = refusal(503, "Service Unavailable", "try again later");

/** A session on the fake's EventSub server: its id, once welcomed; closed when the test ends. */
async function openSession(url: string): Promise<string> {
  const socket = new WebSocket(url);
  onTestFinished(() => socket.close());
  return new Promise((resolve, reject) => {
    socket.onmessage = (message) => {
      const { metadata, payload } = JSON.parse(String(message.data));
      if (metadata.message_type === "session_welcome") resolve(payload.session.id);
    };
    socket.onerror = () => reject(new Error("EventSub session not opened"));
  });
}

/** A fake Twitch, a real Helix client (optionally through a proxy) and a book on a manual clock. */
async function setUp(plan: PlannedSubscription[], options: { proxied?: boolean } = {}) {
  const fake = startFakeTwitch({ clientId: CLIENT_ID });
  onTestFinished(() => fake.stop());
  const proxy = options.proxied
    ? await startTcpProxy({ host: "127.0.0.1", port: fake.port })
    : null;
  if (proxy !== null) onTestFinished(() => proxy.stop());
  const token = fake.issueToken().access_token;
  const helix = createHelix({
    apiUrl: proxy === null ? fake.apiUrl : `http://127.0.0.1:${proxy.port}/helix`,
    clientId: CLIENT_ID,
    logger,
    auth: { accessToken: async () => token, tokenRejected: async () => null },
    // Helix's own waits for a rate-limit reset pass at once.
    sleep: async () => {},
  });
  const scheduler = new ManualScheduler();
  let recovered = 0;
  const book = createSubscriptionBook({
    plan: () => plan,
    helix,
    logger,
    onChange: () => {},
    onRecovered: () => {
      recovered += 1;
    },
    backoff: BACKOFF,
    scheduler,
  });
  onTestFinished(() => book.stop());
  const sessionId = await openSession(fake.eventSubUrl);
  const statusOf = (type: string) => book.list().find((sub) => sub.type === type);
  const creates = () =>
    fake.requests().filter((request) => request.method === "POST" && request.path === CREATE);
  return {
    fake,
    proxy,
    book,
    scheduler,
    sessionId,
    statusOf,
    creates,
    recovered: () => recovered,
  };
}

describe("EventSub subscriptions that failed for a reason that passes", () => {
  test("Twitch not reached: failed with that, tried again after the wait, enabled once Helix answers", async () => {
    const { proxy, book, scheduler, sessionId, fake, recovered } = await setUp([ONLINE, CHEER], {
      proxied: true,
    });
    await proxy?.cut();
    book.subscribe(sessionId);
    await eventually("a wait for the next try", () => scheduler.pendingTimers === 1);
    for (const sub of book.list()) {
      expect(sub.status).toBe("failed");
      expect(sub.error).toStartWith("Twitch could not be reached for POST /eventsub/subscriptions");
    }

    // Still out of reach: tried again, and the wait after that is twice as long.
    await scheduler.advance(WAIT_MS);
    await eventually("a second wait", () => scheduler.pendingTimers === 1);
    expect(recovered()).toBe(0);

    await proxy?.restore();
    await scheduler.advance(2 * WAIT_MS - 1);
    expect(scheduler.pendingTimers).toBe(1);
    expect(book.list().every((sub) => sub.status === "failed")).toBe(true);
    await scheduler.advance(1);
    await eventually("all enabled", () => book.list().every((sub) => sub.status === "enabled"));
    expect(book.list().map((sub) => sub.error)).toEqual([null, null]);
    expect(
      fake
        .subscriptions(sessionId)
        .map((sub) => sub.type)
        .sort(),
    ).toEqual(["channel.cheer", "stream.online"]);
    expect(scheduler.pendingTimers).toBe(0);
    expect(recovered()).toBe(1);
  });

  test("a 5xx or a 429 is tried again; the others stay enabled and are not created again", async () => {
    const { fake, book, scheduler, sessionId, statusOf, creates } = await setUp([
      ONLINE,
      FOLLOW_SUB,
      CHEER,
    ]);
    // The critical group goes first, in order: stream.online gets the 503, channel.follow the
    // 429s (four: Helix waits for the reset and retries three times before it gives up).
    fake.answerNext(CREATE, UNAVAILABLE);
    for (let i = 0; i < 4; i += 1) {
      fake.answerNext(CREATE, refusal(429, "Too Many Requests", "Request limit exceeded"));
    }
    book.subscribe(sessionId);
    await eventually("a wait for the next try", () => scheduler.pendingTimers === 1);
    expect(statusOf("stream.online")).toMatchObject({ status: "failed", error: "try again later" });
    expect(statusOf("channel.follow")).toMatchObject({
      status: "failed",
      error: "Request limit exceeded",
    });
    expect(statusOf("channel.cheer")?.status).toBe("enabled");

    await scheduler.advance(WAIT_MS);
    await eventually("all enabled", () => book.list().every((sub) => sub.status === "enabled"));
    expect(fake.subscriptions(sessionId)).toHaveLength(3);
    const bodies = creates().map((request) => (request.body as { type: string }).type);
    expect(bodies.filter((type) => type === "channel.cheer")).toHaveLength(1);
    expect(bodies.filter((type) => type === "stream.online")).toHaveLength(2);
    expect(scheduler.pendingTimers).toBe(0);
  });

  test("another refusal (a 403) stays failed with Twitch's message and is not tried again", async () => {
    const { fake, book, scheduler, sessionId, statusOf, creates } = await setUp([ONLINE, CHEER]);
    fake.answerNext(CREATE, refusal(403, "Forbidden", "subscription missing proper authorization"));
    book.subscribe(sessionId);
    await eventually("both answered", () => book.list().every((sub) => sub.status !== "pending"));
    expect(statusOf("stream.online")).toMatchObject({
      status: "failed",
      error: "subscription missing proper authorization",
    });
    expect(statusOf("channel.cheer")?.status).toBe("enabled");
    expect(scheduler.pendingTimers).toBe(0);

    await scheduler.advance(60 * WAIT_MS);
    await book.stop();
    expect(creates()).toHaveLength(2);
    expect(statusOf("stream.online")?.status).toBe("failed");
  });

  test("stop during a wait resolves at once and leaves no timer", async () => {
    const { fake, book, scheduler, sessionId, creates } = await setUp([ONLINE]);
    fake.answerNext(CREATE, UNAVAILABLE);
    book.subscribe(sessionId);
    await eventually("a wait for the next try", () => scheduler.pendingTimers === 1);

    // The manual clock never moves by itself: a stop that waited for the wait would never end.
    await book.stop();
    expect(scheduler.pendingTimers).toBe(0);
    await scheduler.advance(60 * WAIT_MS);
    expect(creates()).toHaveLength(1);
  });

  test("the session's end, or a new session, drops the old session's wait", async () => {
    const { fake, book, scheduler, sessionId, statusOf } = await setUp([ONLINE]);
    fake.answerNext(CREATE, UNAVAILABLE);
    book.subscribe(sessionId);
    await eventually("a wait for the next try", () => scheduler.pendingTimers === 1);
    book.disconnected();
    expect(scheduler.pendingTimers).toBe(0);

    fake.answerNext(CREATE, UNAVAILABLE);
    const next = await openSession(fake.eventSubUrl);
    book.subscribe(next);
    await eventually("a wait on the new session", () => scheduler.pendingTimers === 1);
    const newer = await openSession(fake.eventSubUrl);
    book.subscribe(newer);
    await eventually(
      "enabled on the newest",
      () => statusOf("stream.online")?.status === "enabled",
    );
    expect(scheduler.pendingTimers).toBe(0);
    expect(fake.subscriptions(newer)).toHaveLength(1);
    expect(fake.subscriptions(next)).toHaveLength(0);
  });
});
