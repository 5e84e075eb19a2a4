import { afterEach, describe, expect, onTestFinished, test } from "bun:test";
import { createLogger } from "@landale/logger";
import {
  DEFAULT_FAKE_USER as BROADCASTER,
  type FakeEmote,
  type FakeTwitch,
  startFakeTwitch,
} from "@landale/testkit";
import { createHelix, HelixError } from "./helix";
import { MAX_RATE_LIMIT_RETRIES, MAX_RATE_LIMIT_WAIT_MS } from "./helix-request";

const CLIENT_ID = "client-1";
const T0 = 1_700_000_000_000;
const logger = createLogger({ name: "test", level: "silent" });

/** Emotes as Twitch answers them: channel ones with their images and with none (the template), a global one. */
const PITCHFORK: FakeEmote = {
  id: "304456832",
  name: "twitchdevPitchfork",
  images: { url_1x: "https://static-cdn.jtvnw.net/emoticons/v2/304456832/static/light/1.0" },
  format: ["static", "animated"],
  scale: ["1.0", "2.0", "3.0"],
  theme_mode: ["light", "dark"],
  tier: "1000",
};
const HYPE: FakeEmote = {
  ...PITCHFORK,
  id: "emotesv2_dc24652ada1e4c84a5e3ceebae4de709",
  name: "twitchdevHype",
  images: {},
};
const UNITY: FakeEmote = {
  id: "196892",
  name: "TwitchUnity",
  images: { url_1x: "https://static-cdn.jtvnw.net/emoticons/v2/196892/static/light/1.0" },
  format: ["static"],
  scale: ["1.0"],
  theme_mode: ["light", "dark"],
};

let fake: FakeTwitch | null = null;
afterEach(async () => {
  await fake?.stop();
  fake = null;
});

/** A token the fake never issued: Helix answers it 401. */
const UNKNOWN = "notatokenthefakeissued00000000";

interface SetUpOptions {
  /** The token the client starts with. Default: one the fake issued. */
  token?: string;
  /** What `tokenRejected` answers: a token (`"issued"`: a fresh one from the fake), or null. */
  renewTo?: string | null;
  subscriptionsPerPage?: number;
}

/** A fake Twitch and a client on one test clock; `sleep` moves the clock instead of waiting. */
function setUp(options: SetUpOptions = {}) {
  let clock = T0;
  const now = () => clock;
  const waits: number[] = [];
  const rejected: string[] = [];
  const server = startFakeTwitch({
    clientId: CLIENT_ID,
    now,
    channel: {
      game_id: "509670",
      game_name: "Science & Technology",
      title: "TwitchDev Monthly Update // May 6, 2021",
      tags: ["DevsInTheKnow"],
    },
    emotes: { channel: [PITCHFORK, HYPE], global: [UNITY] },
    subscriptionsPerPage: options.subscriptionsPerPage,
  });
  fake = server;
  let token = options.token ?? server.issueToken().access_token;
  const renewTo = options.renewTo === "issued" ? server.issueToken().access_token : options.renewTo;
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
        const renewed = renewTo ?? null;
        if (renewed !== null) token = renewed;
        return renewed;
      },
    },
  });
  /** The Helix requests the fake received (the EventSub socket's upgrade aside). */
  const requests = () => server.requests().filter((request) => request.path.startsWith("/helix/"));
  return { server, helix, waits, rejected, requests, token, renewTo };
}

/** An EventSub WebSocket session on the fake, for subscriptions to be created on; closed at the end. */
async function openSession(server: FakeTwitch): Promise<string> {
  const socket = new WebSocket(server.eventSubUrl);
  onTestFinished(() => socket.close());
  return new Promise((resolve, reject) => {
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as {
        metadata: { message_type: string };
        payload: { session?: { id: string } };
      };
      if (message.metadata.message_type === "session_welcome") {
        resolve(message.payload.session?.id ?? "");
      }
    };
    socket.onclose = () => reject(new Error("the fake closed the EventSub socket"));
  });
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
    const { helix, requests, token } = setUp();
    const [user] = await helix.getUsers();
    expect(user).toMatchObject({ id: BROADCASTER.id, login: BROADCASTER.login });
    expect(requests()).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/helix/users",
        authorization: `Bearer ${token}`,
        clientId: CLIENT_ID,
      }),
    ]);
  });

  test("reads and updates the channel, and carries Twitch's message when it refuses", async () => {
    const { server, helix, requests } = setUp();
    const channel = await helix.getChannel(BROADCASTER.id);
    expect(channel).toMatchObject({
      broadcaster_id: BROADCASTER.id,
      game_name: "Science & Technology",
    });

    await helix.updateChannel(BROADCASTER.id, { title: "New title", tags: ["English"] });
    expect(server.channel()).toMatchObject({ title: "New title", tags: ["English"] });
    expect(requests().at(-1)).toMatchObject({
      method: "PATCH",
      path: `/helix/channels?broadcaster_id=${BROADCASTER.id}`,
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
    const { server, helix } = setUp();
    expect(await helix.searchCategories("fort")).toEqual([
      {
        id: "33214",
        name: "Fortnite",
        box_art_url: `${server.url}/static-cdn/ttv-boxart/33214-52x72.jpg`,
      },
    ]);
    const [goal] = await helix.getGoals(BROADCASTER.id);
    expect(goal).toMatchObject({ type: "follower", current_amount: 27062, target_amount: 30000 });
  });

  test("maps emotes to {id, name, url}: the 1x image, else the filled-in template", async () => {
    const { server, helix } = setUp();
    const template = `${server.url}/static-cdn/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}`;
    expect(await helix.getChannelEmotes(BROADCASTER.id)).toEqual([
      { id: PITCHFORK.id, name: PITCHFORK.name, url: PITCHFORK.images.url_1x as string },
      {
        id: HYPE.id,
        name: HYPE.name,
        url: template
          .replace("{{id}}", HYPE.id)
          .replace("{{format}}", "static")
          .replace("{{theme_mode}}", "dark")
          .replace("{{scale}}", "1.0"),
      },
    ]);
    expect(await helix.getGlobalEmotes()).toEqual([
      { id: UNITY.id, name: UNITY.name, url: UNITY.images.url_1x as string },
    ]);
  });

  test("a 401 asks for a fresh token and retries once with it", async () => {
    const { helix, rejected, requests, renewTo } = setUp({ token: UNKNOWN, renewTo: "issued" });
    expect(await helix.getUsers()).toHaveLength(1);
    expect(rejected).toEqual([UNKNOWN]);
    expect(requests().map((request) => request.authorization)).toEqual([
      `Bearer ${UNKNOWN}`,
      `Bearer ${renewTo}`,
    ]);
  });

  test("a 401 without a fresh token is Twitch's refusal", async () => {
    const { helix, rejected, requests } = setUp({ token: UNKNOWN });
    const err = await refusal(helix.getUsers());
    expect(err).toMatchObject({
      status: 401,
      error: "Unauthorized",
      message: "Invalid OAuth token",
    });
    expect(rejected).toEqual([UNKNOWN]);
    expect(requests()).toHaveLength(1);
  });

  test("a fresh token refused again is not renewed a second time", async () => {
    const other = "anothertokenthefakeneverissued";
    const { helix, rejected, requests } = setUp({ token: UNKNOWN, renewTo: other });
    expect((await refusal(helix.getUsers())).status).toBe(401);
    expect(rejected).toEqual([UNKNOWN]);
    expect(requests().map((request) => request.authorization)).toEqual([
      `Bearer ${UNKNOWN}`,
      `Bearer ${other}`,
    ]);
  });

  test("with no requests left in the window, the next call waits for the reset", async () => {
    const { server, helix, waits, requests } = setUp();
    server.setRateLimit({ limit: 800, remaining: 1, resetInSeconds: 30 });
    const resetAt = T0 + 30_000;
    await helix.getUsers();
    await helix.getUsers();
    expect(waits).toEqual([30_000]);
    const [first, second] = requests();
    expect(first?.at).toBeLessThan(resetAt);
    expect(second?.at).toBeGreaterThanOrEqual(resetAt);
  });

  test("a 429 waits for the reset and retries", async () => {
    const { server, helix, waits, requests } = setUp();
    server.setRateLimit({ limit: 800, remaining: 0, resetInSeconds: 5 });
    expect(await helix.getUsers()).toHaveLength(1);
    expect(waits).toEqual([5_000]);
    expect(requests()).toHaveLength(2);
  });

  test("gives up with Twitch's 429 after a bounded number of retries", async () => {
    const { server, helix, waits, requests } = setUp();
    server.setRateLimit({ limit: 800, remaining: 0, resetInSeconds: 60 * 60 });
    const err = await refusal(helix.getUsers());
    expect(err).toMatchObject({ status: 429, error: "Too Many Requests" });
    expect(waits).toEqual(Array(MAX_RATE_LIMIT_RETRIES).fill(MAX_RATE_LIMIT_WAIT_MS));
    expect(requests()).toHaveLength(MAX_RATE_LIMIT_RETRIES + 1);
  });

  test("an answer of the wrong shape is a HelixError, not a crash", async () => {
    const { server, helix } = setUp();
    server.answerNext("/helix/users", { body: { data: [{ id: 1 }] } });
    const err = await refusal(helix.getUsers());
    expect(err.status).toBe(502);
    expect(err.message).toContain("GET /users");
  });

  test("creates, lists (every page) and deletes EventSub subscriptions", async () => {
    const { server, helix, requests } = setUp({ subscriptionsPerPage: 2 });
    const sessionId = await openSession(server);
    const types = ["stream.online", "stream.offline", "channel.update"];
    for (const type of types) {
      const created = await helix.createSubscription({
        type,
        version: "1",
        condition: { broadcaster_user_id: BROADCASTER.id },
        transport: { method: "websocket", session_id: sessionId },
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
    expect(requests().filter((request) => request.method === "GET")).toHaveLength(3);
  });
});
