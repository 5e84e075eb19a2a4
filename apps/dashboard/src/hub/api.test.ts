import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sampleTwitchStatus } from "@landale/shared/fixtures/twitch-status";
import { ApiError, checkAccess, createApi } from "./api";

// A stand-in for the hub's REST surface over a real socket: only the auth and JSON rules and the
// answers the client reads. (The browser tests run the real hub.)
const TOKEN = "control-token-123456789";
let server: ReturnType<typeof Bun.serve>;
const CONNECTED = sampleTwitchStatus(
  {
    state: "connected",
    user: { id: "141981764", login: "twitchdev" },
    scopes: ["channel:manage:broadcast"],
    expires_at: "2030-01-01T00:00:00.000Z",
    validated_at: "2029-12-31T20:00:00.000Z",
  },
  { state: "connecting" },
);
let base: string;

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const auth = request.headers.get("authorization");
      if (auth !== `Bearer ${TOKEN}`) {
        return Response.json({ code: "unauthorized", message: "send the token" }, { status: 401 });
      }
      // As the hub: writes only as JSON.
      if (request.method !== "GET" && request.headers.get("content-type") !== "application/json") {
        return Response.json({ code: "unsupported_media_type", message: "JSON" }, { status: 415 });
      }
      const url = new URL(request.url);
      if (url.pathname === "/api/events") {
        return Response.json(
          {
            code: "invalid_event",
            message: "data.bits: Too small",
            details: [{ path: "data.bits", message: "Too small" }],
          },
          { status: 422 },
        );
      }
      if (url.pathname === "/api/twitch/token") {
        const body = (await request.json()) as { access_token?: string };
        if (body.access_token !== "good-token") {
          return Response.json(
            { code: "twitch_refused", message: "invalid access token" },
            { status: 422 },
          );
        }
        return Response.json(CONNECTED);
      }
      if (url.pathname === "/api/activity/events") {
        return Response.json({ events: [], next_cursor: url.searchParams.get("limit") });
      }
      return Response.json({ unexpected: true });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(() => server.stop(true));

describe("createApi", () => {
  it("sends the token and parses the answer with its schema", async () => {
    const api = createApi({ base, token: TOKEN });
    const page = await api.activity(new URLSearchParams({ limit: "7" }));
    expect(page).toEqual({ events: [], next_cursor: "7" });
  });

  it("turns a refusal into an ApiError with the hub's code and details", async () => {
    const api = createApi({ base, token: TOKEN });
    const error = await api.ingest({ type: "channel.cheer", data: {} }).catch((err) => err);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: "invalid_event" });
    expect(error.details).toEqual([{ path: "data.bits", message: "Too small" }]);
  });

  it("posts a pasted Twitch token and reads the status the hub answers", async () => {
    const api = createApi({ base, token: TOKEN });
    expect(await api.twitchToken({ access_token: "good-token" })).toEqual(
      CONNECTED as Awaited<ReturnType<typeof api.twitchToken>>,
    );
    await expect(api.twitchToken({ access_token: "bad" })).rejects.toMatchObject({
      status: 422,
      code: "twitch_refused",
      message: "invalid access token",
    });
  });

  it("tells onUnauthorized about a 401", async () => {
    let told = 0;
    const api = createApi({ base, token: "wrong", onUnauthorized: () => told++ });
    await expect(api.health()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(told).toBe(1);
  });

  it("refuses an answer that does not fit the schema", async () => {
    const api = createApi({ base, token: TOKEN });
    await expect(api.health()).rejects.toMatchObject({ code: "invalid_response" });
  });
});

describe("checkAccess", () => {
  it("says a token is required when none was given and the hub answers 401", async () => {
    expect(await checkAccess(null, { base })).toEqual({ kind: "token_required" });
  });

  it("says a wrong token is refused, in words", async () => {
    const access = await checkAccess("wrong", { base });
    expect(access.kind).toBe("refused");
  });

  it("says the hub is unreachable when nothing listens", async () => {
    const access = await checkAccess(null, { base: "http://127.0.0.1:9" });
    expect(access.kind).toBe("unreachable");
  });
});
