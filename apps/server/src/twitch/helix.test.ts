import { afterEach, describe, expect, test } from "bun:test";
import { createLogger } from "@landale/logger";
import {
  BROADCASTER,
  EMOTE_TEMPLATE,
  type FakeHelix,
  startFakeHelix,
} from "../../test/support/helix";
import { createHelix, HelixError } from "./helix";
import { MAX_RATE_LIMIT_RETRIES, MAX_RATE_LIMIT_WAIT_MS } from "./helix-request";

const CLIENT_ID = "client-1";
const logger = createLogger({ name: "test", level: "silent" });

let fake: FakeHelix | null = null;
afterEach(async () => {
  await fake?.stop();
  fake = null;
});

/** A fake Helix and a client on one test clock; `sleep` moves the clock instead of waiting. */
function setUp(options: { tokens?: string[]; renewTo?: string | null; pageSize?: number } = {}) {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const waits: number[] = [];
  const rejected: string[] = [];
  let token = "token-1";
  const server = startFakeHelix({
    tokens: options.tokens ?? ["token-1"],
    clientId: CLIENT_ID,
    now,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });
  fake = server;
  const helix = createHelix({
    apiUrl: server.apiUrl,
    clientId: CLIENT_ID,
    logger,
    now,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    auth: {
      accessToken: async () => token,
      tokenRejected: async (refused) => {
        rejected.push(refused);
        const renewed = options.renewTo === undefined ? null : options.renewTo;
        if (renewed !== null) token = renewed;
        return renewed;
      },
    },
  });
  return { server, helix, waits, rejected, now };
}

async function refusal(call: Promise<unknown>): Promise<HelixError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof HelixError)) throw new Error(`expected a HelixError, got ${String(err)}`);
  return err;
}

describe("Helix client", () => {
  test("sends the bearer token and Client-Id and parses the token's user", async () => {
    const { server, helix } = setUp();
    const [user] = await helix.getUsers();
    expect(user).toMatchObject({ id: BROADCASTER.id, login: BROADCASTER.login });
    expect(server.requests()).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/users",
        token: "token-1",
        clientId: CLIENT_ID,
      }),
    ]);
  });

  test("reads and updates the channel, and carries Twitch's message when it refuses", async () => {
    const { server, helix } = setUp();
    const channel = await helix.getChannel(BROADCASTER.id);
    expect(channel).toMatchObject({
      broadcaster_id: BROADCASTER.id,
      game_name: "Science & Technology",
    });

    await helix.updateChannel(BROADCASTER.id, { title: "New title", tags: ["English"] });
    expect(server.channel()).toMatchObject({ title: "New title", tags: ["English"] });
    expect(server.requests().at(-1)).toMatchObject({
      method: "PATCH",
      query: { broadcaster_id: BROADCASTER.id },
      body: { title: "New title", tags: ["English"] },
    });

    const refused = await refusal(helix.updateChannel(BROADCASTER.id, { title: "  " }));
    expect(refused).toMatchObject({
      status: 400,
      error: "Bad Request",
      message: "The title field may not contain an empty string.",
    });
    const missing = await refusal(helix.getChannel("0"));
    expect(missing.status).toBe(404);
  });

  test("searches categories and reads goals", async () => {
    const { helix } = setUp();
    expect(await helix.searchCategories("fort")).toEqual([
      {
        id: "33214",
        name: "Fortnite",
        box_art_url: "https://static-cdn.jtvnw.net/ttv-boxart/33214-52x72.jpg",
      },
    ]);
    const [goal] = await helix.getGoals(BROADCASTER.id);
    expect(goal).toMatchObject({ type: "follower", current_amount: 27062, target_amount: 30000 });
  });

  test("maps emotes to {id, name, url}: the 1x image, else the filled-in template", async () => {
    const { helix } = setUp();
    expect(await helix.getChannelEmotes(BROADCASTER.id)).toEqual([
      {
        id: "304456832",
        name: "twitchdevPitchfork",
        url: "https://static-cdn.jtvnw.net/emoticons/v2/304456832/static/light/1.0",
      },
      {
        id: "emotesv2_dc24652ada1e4c84a5e3ceebae4de709",
        name: "twitchdevHype",
        url: EMOTE_TEMPLATE.replace("{{id}}", "emotesv2_dc24652ada1e4c84a5e3ceebae4de709")
          .replace("{{format}}", "static")
          .replace("{{theme_mode}}", "dark")
          .replace("{{scale}}", "1.0"),
      },
    ]);
    expect(await helix.getGlobalEmotes()).toEqual([
      {
        id: "196892",
        name: "TwitchUnity",
        url: "https://static-cdn.jtvnw.net/emoticons/v2/196892/static/light/1.0",
      },
    ]);
  });

  test("a 401 asks for a fresh token and retries once with it", async () => {
    const { server, helix, rejected } = setUp({ tokens: ["token-2"], renewTo: "token-2" });
    expect(await helix.getUsers()).toHaveLength(1);
    expect(rejected).toEqual(["token-1"]);
    expect(server.requests().map((request) => request.token)).toEqual(["token-1", "token-2"]);
  });

  test("a 401 without a fresh token is Twitch's refusal", async () => {
    const { server, helix, rejected } = setUp({ tokens: [] });
    const err = await refusal(helix.getUsers());
    expect(err).toMatchObject({
      status: 401,
      error: "Unauthorized",
      message: "Invalid OAuth token",
    });
    expect(rejected).toEqual(["token-1"]);
    expect(server.requests()).toHaveLength(1);
  });

  test("a fresh token refused again is not renewed a second time", async () => {
    const { server, helix, rejected } = setUp({ tokens: [], renewTo: "token-2" });
    expect((await refusal(helix.getUsers())).status).toBe(401);
    expect(rejected).toEqual(["token-1"]);
    expect(server.requests().map((request) => request.token)).toEqual(["token-1", "token-2"]);
  });

  test("with no requests left in the window, the next call waits for the reset", async () => {
    const { server, helix, waits, now } = setUp();
    const resetAt = now() + 30_000;
    server.setRateLimit(800, 1, resetAt);
    await helix.getUsers();
    await helix.getUsers();
    expect(waits).toEqual([resetAt - 1_700_000_000_000]);
    const [first, second] = server.requests();
    expect(first?.at).toBeLessThan(resetAt);
    expect(second?.at).toBeGreaterThanOrEqual(resetAt);
  });

  test("a 429 waits for the reset and retries", async () => {
    const { server, helix, waits, now } = setUp();
    const resetAt = now() + 5_000;
    server.setRateLimit(800, 0, resetAt);
    expect(await helix.getUsers()).toHaveLength(1);
    expect(waits).toEqual([5_000]);
    expect(server.requests()).toHaveLength(2);
  });

  test("gives up with Twitch's 429 after a bounded number of retries", async () => {
    const { server, helix, waits, now } = setUp();
    server.setRateLimit(800, 0, now() + 60 * 60_000);
    const err = await refusal(helix.getUsers());
    expect(err).toMatchObject({ status: 429, error: "Too Many Requests" });
    expect(waits).toEqual(Array(MAX_RATE_LIMIT_RETRIES).fill(MAX_RATE_LIMIT_WAIT_MS));
    expect(server.requests()).toHaveLength(MAX_RATE_LIMIT_RETRIES + 1);
  });

  test("an answer of the wrong shape is a HelixError, not a crash", async () => {
    const { server, helix } = setUp();
    server.answerNext("/users", 200, { data: [{ id: 1 }] });
    const err = await refusal(helix.getUsers());
    expect(err.status).toBe(502);
    expect(err.message).toContain("GET /users");
  });

  test("creates, lists (every page) and deletes EventSub subscriptions", async () => {
    const { server, helix } = setUp({ pageSize: 2 });
    const types = ["stream.online", "stream.offline", "channel.update"];
    for (const type of types) {
      const created = await helix.createSubscription({
        type,
        version: "1",
        condition: { broadcaster_user_id: BROADCASTER.id },
        transport: { method: "websocket", session_id: "session-1" },
      });
      expect(created).toMatchObject({ type, version: "1", status: "enabled" });
    }
    const listed = await helix.listSubscriptions();
    expect(listed.map((sub) => sub.type)).toEqual(types);
    const [first] = listed;
    if (!first) throw new Error("no subscription");
    await helix.deleteSubscription(first.id);
    expect((await helix.listSubscriptions()).map((sub) => sub.type)).toEqual(types.slice(1));
    expect((await refusal(helix.deleteSubscription(first.id))).status).toBe(404);
    // Two pages of two, then one page once one is deleted.
    expect(server.requests().filter((request) => request.method === "GET")).toHaveLength(3);
  });
});
