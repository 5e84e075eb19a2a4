/** The fake Helix: token and Client-Id checks, rate limits, and each endpoint's documented shape. */
import { afterEach, describe, expect, test } from "bun:test";
import { type FakeTwitch, type FakeTwitchOptions, startFakeTwitch } from "./fake";
import { CLIENT_ID, helix, helixError } from "./fake-client";

let twitch: FakeTwitch | null = null;

function start(options: FakeTwitchOptions = {}): { server: FakeTwitch; token: string } {
  twitch = startFakeTwitch({ clientId: CLIENT_ID, ...options });
  return { server: twitch, token: twitch.issueToken().access_token };
}

afterEach(async () => {
  await twitch?.stop();
  twitch = null;
});

describe("Helix authorization", () => {
  test("refuses a token it did not issue, a missing token and another Client-Id", async () => {
    const { server, token } = start();
    expect(await helixError(await helix(server, "/users", "made-up"))).toEqual({
      error: "Unauthorized",
      status: 401,
      message: "Invalid OAuth token",
    });
    expect(
      (await fetch(`${server.apiUrl}/users`, { headers: { "Client-Id": CLIENT_ID } })).status,
    ).toBe(401);
    const foreign = await fetch(`${server.apiUrl}/users`, {
      headers: { Authorization: `Bearer ${token}`, "Client-Id": "someone-else" },
    });
    expect((await helixError(foreign)).message).toBe("Client ID and OAuth token do not match");
    expect((await helix(server, "/users", token)).status).toBe(200);
  });

  test("an expired access token is refused", async () => {
    const { server, token } = start();
    server.expireAccessTokens();
    expect((await helix(server, "/users", token)).status).toBe(401);
  });
});

describe("Helix rate limit", () => {
  test("every answer carries the bucket; an empty bucket is 429 until it refills", async () => {
    const { server, token } = start();
    const first = await helix(server, "/users", token);
    expect(first.headers.get("Ratelimit-Limit")).toBe("800");
    expect(first.headers.get("Ratelimit-Remaining")).toBe("799");
    expect(Number(first.headers.get("Ratelimit-Reset"))).toBeGreaterThan(Date.now() / 1000);

    server.setRateLimit({ limit: 5, remaining: 1, resetInSeconds: 3600 });
    const last = await helix(server, "/users", token);
    expect(last.status).toBe(200);
    expect(last.headers.get("Ratelimit-Remaining")).toBe("0");
    const limited = await helix(server, "/users", token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Ratelimit-Remaining")).toBe("0");
    expect(Number(limited.headers.get("Ratelimit-Reset"))).toBeGreaterThan(
      Date.now() / 1000 + 3000,
    );
    expect(await helixError(limited)).toEqual({
      error: "Too Many Requests",
      status: 429,
      message: "Request limit exceeded",
    });

    // A bucket whose reset time has passed is full again.
    server.setRateLimit({ limit: 5, remaining: 0, resetInSeconds: 0 });
    const refilled = await helix(server, "/users", token);
    expect(refilled.status).toBe(200);
    expect(refilled.headers.get("Ratelimit-Remaining")).toBe("4");
  });
});

describe("Helix on the test's clock", () => {
  test("the bucket resets when that clock reaches Ratelimit-Reset, and not before", async () => {
    let clock = Date.parse("2026-11-21T12:00:00.000Z");
    const { server, token } = start({ now: () => clock });
    server.setRateLimit({ limit: 5, remaining: 0, resetInSeconds: 30 });
    const limited = await helix(server, "/users", token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Ratelimit-Reset")).toBe(String(clock / 1000 + 30));
    clock += 29_999;
    expect((await helix(server, "/users", token)).status).toBe(429);
    clock += 1;
    const refilled = await helix(server, "/users", token);
    expect(refilled.status).toBe(200);
    expect(refilled.headers.get("Ratelimit-Remaining")).toBe("4");
    expect(refilled.headers.get("Ratelimit-Reset")).toBe(String(clock / 1000 + 60));
  });

  test("an access token expires when that clock passes its lifetime", async () => {
    let clock = Date.parse("2026-11-21T12:00:00.000Z");
    const { server } = start({ now: () => clock });
    const token = server.issueToken({ expiresIn: 60 }).access_token;
    clock += 59_999;
    expect((await helix(server, "/users", token)).status).toBe(200);
    clock += 1;
    expect((await helix(server, "/users", token)).status).toBe(401);
  });
});

describe("Helix endpoints", () => {
  test("GET /users answers the token's user", async () => {
    const { server, token } = start({
      user: { id: "42", login: "streamer", display_name: "Streamer" },
    });
    const body = (await (await helix(server, "/users", token)).json()) as { data: unknown[] };
    expect(body.data).toEqual([
      expect.objectContaining({ id: "42", login: "streamer", display_name: "Streamer" }),
    ]);
    const other = (await (await helix(server, "/users?login=nobody", token)).json()) as {
      data: unknown[];
    };
    expect(other.data).toEqual([]);
  });

  test("PATCH /channels stores title, category (with its name), language and tags", async () => {
    const { server, token } = start();
    const id = server.user.id;
    const patched = await helix(server, `/channels?broadcaster_id=${id}`, token, {
      method: "PATCH",
      body: {
        title: "Building a fake Twitch",
        game_id: "1469308723",
        broadcaster_language: "de",
        tags: ["TypeScript", "Bun"],
      },
    });
    expect(patched.status).toBe(204);
    const expected = {
      broadcaster_id: id,
      broadcaster_login: server.user.login,
      broadcaster_name: server.user.display_name,
      broadcaster_language: "de",
      game_id: "1469308723",
      game_name: "Software and Game Development",
      title: "Building a fake Twitch",
      delay: 0,
      tags: ["TypeScript", "Bun"],
      content_classification_labels: [],
      is_branded_content: false,
    };
    expect(server.channel()).toEqual(expected);
    const got = await helix(server, `/channels?broadcaster_id=${id}`, token);
    expect(await got.json()).toEqual({ data: [expected] });
  });

  test("PATCH /channels refuses bad input with Twitch's message and changes nothing", async () => {
    const { server, token } = start({ channel: { title: "Before" } });
    const patch = (body: unknown) =>
      helix(server, `/channels?broadcaster_id=${server.user.id}`, token, { method: "PATCH", body });
    const cases: [unknown, string][] = [
      [{ title: "" }, "The title field may not contain an empty string."],
      [{ game_id: "999999" }, "The ID in game_id is not valid."],
      [{ broadcaster_language: "english" }, "ISO 639-1"],
      [{ tags: ["has space"] }, 'The tag "has space" is not valid'],
      [{ tags: Array.from({ length: 11 }, (_, i) => `tag${i}`) }, "maximum of 10 tags"],
      [{ delay: 5 }, "partner"],
      [{ title: 42 }, "title"],
      [{}, "at least one field"],
    ];
    for (const [body, message] of cases) {
      const response = await patch(body);
      expect(response.status).toBe(400);
      expect((await helixError(response)).message).toContain(message);
    }
    expect(server.channel().title).toBe("Before");
    const elsewhere = await helix(server, "/channels?broadcaster_id=1", token, {
      method: "PATCH",
      body: { title: "x" },
    });
    expect(elsewhere.status).toBe(401);
  });

  test("PATCH /channels needs channel:manage:broadcast", async () => {
    const { server } = start();
    const token = server.issueToken({ scopes: ["channel:read:goals"] }).access_token;
    const response = await helix(server, `/channels?broadcaster_id=${server.user.id}`, token, {
      method: "PATCH",
      body: { title: "New" },
    });
    expect(await helixError(response)).toEqual({
      error: "Unauthorized",
      status: 401,
      message: "Missing scope: channel:manage:broadcast",
    });
  });

  test("search/categories matches a substring, case-insensitively, with box art", async () => {
    const { server, token } = start();
    const response = await helix(server, "/search/categories?query=CRAFT", token);
    const body = (await response.json()) as {
      data: { id: string; name: string; box_art_url: string }[];
    };
    expect(body.data).toEqual([
      {
        id: "27471",
        name: "Minecraft",
        box_art_url: `${server.url}/static-cdn/ttv-boxart/27471-52x72.jpg`,
      },
      {
        id: "18122",
        name: "World of Warcraft",
        box_art_url: `${server.url}/static-cdn/ttv-boxart/18122-52x72.jpg`,
      },
    ]);
    const art = await fetch(body.data[0]?.box_art_url ?? "");
    expect(art.headers.get("content-type")).toBe("image/svg+xml");
    expect((await helix(server, "/search/categories?query=", token)).status).toBe(400);
    const games = await helix(server, "/games?id=27471", token);
    expect(((await games.json()) as { data: { box_art_url: string }[] }).data[0]?.box_art_url).toBe(
      `${server.url}/static-cdn/ttv-boxart/27471-{width}x{height}.jpg`,
    );
  });

  test("goals need channel:read:goals and the broadcaster's own id", async () => {
    const { server, token } = start();
    const goals = await helix(server, `/goals?broadcaster_id=${server.user.id}`, token);
    expect(((await goals.json()) as { data: { type: string }[] }).data[0]?.type).toBe("follower");
    const narrow = server.issueToken({ scopes: [] }).access_token;
    const refused = await helix(server, `/goals?broadcaster_id=${server.user.id}`, narrow);
    expect((await helixError(refused)).message).toBe("Missing scope: channel:read:goals");
  });

  test("channel and global emotes in Helix's shape, with the URL template", async () => {
    const { server, token } = start();
    const global = (await (await helix(server, "/chat/emotes/global", token)).json()) as {
      data: Record<string, unknown>[];
      template: string;
    };
    expect(global.template).toBe(
      `${server.url}/static-cdn/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}`,
    );
    expect(global.data).toContainEqual({
      id: "25",
      name: "Kappa",
      images: {
        url_1x: `${server.url}/static-cdn/emoticons/v2/25/static/light/1.0`,
        url_2x: `${server.url}/static-cdn/emoticons/v2/25/static/light/2.0`,
        url_4x: `${server.url}/static-cdn/emoticons/v2/25/static/light/3.0`,
      },
      format: ["static"],
      scale: ["1.0", "2.0", "3.0"],
      theme_mode: ["light", "dark"],
    });
    const channel = (await (
      await helix(server, `/chat/emotes?broadcaster_id=${server.user.id}`, token)
    ).json()) as { data: Record<string, unknown>[] };
    expect(channel.data[0]).toMatchObject({ tier: "1000", emote_type: "subscriptions" });
    expect((await helix(server, "/chat/emotes", token)).status).toBe(400);
  });

  test("the emotes option replaces the built-in emotes, as given", async () => {
    const emote = {
      id: "emotesv2_fallback",
      name: "noImages",
      images: {},
      format: ["animated", "static"],
      scale: ["1.0"],
      theme_mode: ["dark"],
    };
    const { server, token } = start({ emotes: { channel: [emote], global: [] } });
    const channel = await helix(server, `/chat/emotes?broadcaster_id=${server.user.id}`, token);
    expect(((await channel.json()) as { data: unknown[] }).data).toEqual([emote]);
    const global = await helix(server, "/chat/emotes/global", token);
    expect(((await global.json()) as { data: unknown[] }).data).toEqual([]);
  });
});
